"""Organisations: the register, a page each, members, requests and invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import DomainError, InvalidInput
from ..forms import (
    InviteForm,
    JoinForm,
    OrganisationForm,
    apply_domain_error,
)
from ..models import (
    Area,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
)
from ..predicates import is_member
from .shared import back, require_page_perm


def organisation_list(request):
    kind = request.GET.get("kind") or None
    if kind not in OrganisationKind.values:
        kind = None
    area = Area.objects.filter(code=request.GET.get("area", "")).first()
    page = Paginator(selectors.organisation_list(kind=kind, area=area), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "civic/organisation_list.html",
        {"page": page, "kind": kind, "area": area, "kinds": OrganisationKind.choices},
    )


@login_required
def organisation_register(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_register(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                credit_code=data["credit_code"],
                description=data["description"],
                areas=form.selected_areas(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The organisation is registered. An official of its area will confirm it."))
            return redirect("organisation-detail", pk=organisation.pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                areas=form.selected_areas(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation-detail", pk=organisation.pk)
    return render(
        request, "civic/organisation_form.html", {"form": form, "editing": True, "organisation": organisation}
    )


@login_required
def organisation_members(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    require_page_perm(request, "civic.manage_organisation", organisation)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.organisation_invite(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The invitation is sent."))
            return redirect("organisation-members", pk=organisation.pk)
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
    form.is_valid()
    services.organisation_request_join(
        user=request.user, organisation=organisation, message=form.cleaned_data.get("message", "")
    )
    messages.success(request, _("Your request is sent to the organisation's representatives."))
    return redirect("organisation-detail", pk=organisation.pk)


@login_required
@require_POST
def organisation_confirm(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    services.organisation_confirm(actor=request.user, organisation=organisation)
    messages.success(request, _("%(organisation)s is confirmed.") % {"organisation": organisation.name})
    return redirect("organisation-detail", pk=organisation.pk)


@login_required
@require_POST
def organisation_request_decide(request, pk):
    membership_request = get_object_or_404(OrganisationRequest, pk=pk)
    action = request.POST.get("action")
    if action == "withdraw":
        services.organisation_request_withdraw(actor=request.user, request=membership_request)
    elif action in ("accept", "decline"):
        services.organisation_request_decide(actor=request.user, request=membership_request, accept=action == "accept")
    else:
        raise InvalidInput("action_unknown", _("Unknown action."))
    messages.success(request, _("Done."))
    return back(request, "/me/")


@login_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("Done."))
    return back(request, f"/organisations/{membership.organisation_id}/")
