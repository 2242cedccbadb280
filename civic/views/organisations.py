"""Organisations: the register, a page each, members, requests and invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
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
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
)
from ..predicates import is_member
from .shared import area_named, back, refuse_unless, require_page_perm


def organisation_list(request):
    kind = request.GET.get("kind") or None
    if kind not in OrganisationKind.values:
        kind = None
    area = area_named(request.GET.get("area"))
    page = Paginator(selectors.organisation_list(kind=kind, area=area), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "civic/organisation_list.html",
        {"page": page, "kind": kind, "area": area, "kinds": OrganisationKind.choices},
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


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.prefetch_related("areas"), pk=pk)
    user = request.user
    if not user.has_perm("civic.view_organisation", organisation):
        raise Http404
    return render(
        request,
        "civic/organisation_detail.html",
        {
            "organisation": organisation,
            "representatives": selectors.organisation_representatives(organisation),
            "member_count": organisation.memberships.count(),
            "timeline": selectors.timeline_for_organisation(organisation),
            "is_representative": user.has_perm("civic.manage_organisation", organisation),
            "is_member": is_member(user, organisation),
            "has_pending_request": user.is_authenticated
            and organisation.requests.filter(user=user, status="pending").exists(),
            "can_confirm": not organisation.confirmed_at and user.has_perm("civic.confirm_organisation", organisation),
            "join_form": JoinForm(),
            "report_type": "civic.organisation",
        },
    )


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
