"""Organisations: the register, a page each, members, requests and invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import pagecache, pages, selectors, services
from ..errors import InvalidInput
from ..forms import (
    ButtonForm,
    InviteForm,
    JoinForm,
    OrganisationForm,
    RequestAnswerForm,
    submit,
)
from ..models import (
    Area,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
)
from ..predicates import is_member
from .shared import back, refuse_unless, require_page_perm


def organisation_list(request):
    kind = request.GET.get("kind") or None
    if kind not in OrganisationKind.values:
        kind = None
    code = request.GET.get("area") or ""
    area = Area.objects.filter(code=code).only("code", "path", "name").first() if code else None
    number = request.GET.get("page")
    query = urlencode({key: value for key, value in (("kind", kind), ("area", area and area.code)) if value})
    part = pagecache.Part(
        "organisation-list",
        pages.organisation_list_scopes(),
        (kind or "", area.code if area else "", number or ""),
        lambda: {"page": selectors.organisation_cards(kind=kind, area=area, number=number), "query": query},
        request=request,
        signed_in_page=True,  # nothing personal but the header
    )
    return pagecache.whole_page(
        request,
        part,
        lambda: render(
            request,
            "civic/organisation_list.html",
            {"part": part, "kind": kind, "area": area, "kinds": OrganisationKind.choices},
        ),
        reader=dict,
    )


@login_required
def organisation_register(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and (
        done := submit(form, lambda data: services.organisation_register(actor=request.user, **data))
    ):
        messages.success(request, _("The organisation is registered. An official of its area will confirm it."))
        return redirect(done.value.get_absolute_url())
    return render(request, "civic/organisation_form.html", {"form": form, "editing": False})


def _shared_organisation(organisation) -> dict:
    """What everyone sees of an organisation's page (its cached parts)."""
    return {
        "representatives": selectors.organisation_representatives(organisation),
        "member_count": organisation.memberships.count(),
        "timeline": selectors.timeline_for_organisation(organisation),
    }


def organisation_detail(request, pk):
    # The parts' versions first, then the organisation: what is kept is never older than its versions.
    part = pagecache.Part(
        "organisation",
        pages.organisation_scopes(pk),
        (pk,),
        lambda: _shared_organisation(organisation),
        request=request,
    )
    if kept := pagecache.kept_page(request, part):
        return kept
    organisation = get_object_or_404(Organisation.objects.prefetch_related("areas"), pk=pk)
    user = request.user
    if not user.has_perm("civic.view_organisation", organisation):
        raise Http404
    if organisation.is_hidden:  # seen by its representatives only: never kept
        part = pagecache.Part("organisation", [], (pk,), lambda: _shared_organisation(organisation), cache=False)
    signed_in = user.is_authenticated
    context = {
        "organisation": organisation,
        "part": part,
        "is_representative": signed_in and user.has_perm("civic.manage_organisation", organisation),
        "is_member": signed_in and is_member(user, organisation),
        "has_pending_request": signed_in and organisation.requests.filter(user=user, status="pending").exists(),
        "can_confirm": signed_in
        and not organisation.confirmed_at
        and user.has_perm("civic.confirm_organisation", organisation),
        "join_form": JoinForm(),
        "report_type": "civic.organisation",
    }
    return pagecache.whole_page(request, part, lambda: render(request, "civic/organisation_detail.html", context))


@login_required
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    require_page_perm(request, "civic.manage_organisation", organisation)
    initial = {
        "name": organisation.name,
        "description": organisation.description,
        "areas": list(organisation.areas.values_list("pk", flat=True)),
    }
    form = OrganisationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and submit(
        form, lambda data: services.organisation_update(actor=request.user, organisation=organisation, **data)
    ):
        messages.success(request, _("Saved."))
        return redirect(organisation.get_absolute_url())
    return render(
        request, "civic/organisation_form.html", {"form": form, "editing": True, "organisation": organisation}
    )


@login_required
def organisation_members(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    require_page_perm(request, "civic.manage_organisation", organisation)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if submit(form, lambda data: services.organisation_invite(actor=request.user, organisation=organisation, **data)):
        messages.success(request, _("The invitation is sent."))
        return redirect("civic:organisation-members", pk=organisation.pk)
    return render(
        request,
        "civic/organisation_members.html",
        {
            "organisation": organisation,
            "form": form,
            "memberships": organisation.memberships.select_related("user").order_by("role", "joined_at"),
            "requests": selectors.pending_requests_for_organisation(organisation),
        },
    )


@login_required
@require_POST
def organisation_join(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = JoinForm(request.POST)
    done = submit(
        form,
        lambda data: services.organisation_request_join(
            user=request.user, organisation=organisation, message=data["message"]
        ),
    )
    refuse_unless(done, form)
    messages.success(request, _("Your request is sent to the organisation's representatives."))
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def organisation_confirm(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = ButtonForm(request.POST)
    refuse_unless(
        submit(form, lambda data: services.organisation_confirm(actor=request.user, organisation=organisation)), form
    )
    messages.success(request, _("%(organisation)s is confirmed.") % {"organisation": organisation.name})
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def organisation_request_decide(request, pk):
    membership_request = get_object_or_404(OrganisationRequest, pk=pk)
    form = RequestAnswerForm(request.POST)

    def answer(data):
        if data["action"] == "withdraw":
            return services.organisation_request_withdraw(actor=request.user, request=membership_request)
        return services.organisation_request_decide(
            actor=request.user, request=membership_request, accept=data["action"] == "accept"
        )

    refuse_unless(submit(form, answer), form, InvalidInput("action_unknown", _("Unknown action.")))
    messages.success(request, _("Done."))
    return back(request, reverse("civic:me"))


@login_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    form = ButtonForm(request.POST)
    refuse_unless(
        submit(form, lambda data: services.membership_remove(actor=request.user, membership=membership)), form
    )
    messages.success(request, _("Done."))
    return back(request, membership.organisation.get_absolute_url())
