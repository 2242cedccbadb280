"""HTML pages of the civic core: parse, call a service or selector, render. Rules live in services."""

import mimetypes

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import DomainError, InvalidInput, NotAllowed
from ..forms import (
    AuditFilterForm,
    InviteForm,
    JoinForm,
    ModerationDecisionForm,
    OrganisationForm,
    ProfileForm,
    ReasonForm,
    ReportForm,
    RoleGrantForm,
    VerificationForm,
    apply_domain_error,
    notification_preferences_form,
)
from ..models import (
    Area,
    AreaLevel,
    AreaRole,
    Membership,
    ModerationCase,
    Notification,
    NotificationPreference,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    ResidencyVerification,
    VerificationStatus,
)
from ..predicates import sees_person
from ..registry import NOTIFICATION_KINDS, moderation_adapter
from ..validators import as_pks

User = get_user_model()


def _require_perm(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise NotAllowed("not_allowed", _("You do not have permission to see this page."))


def _back(request, fallback: str):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


# --- home and areas -------------------------------------------------------------------------------


def home(request):
    roots = list(selectors.area_children_with_counts(None))
    districts = list(selectors.area_children_with_counts(roots[0])) if len(roots) == 1 else []
    return render(
        request,
        "home.html",
        {
            "roots": roots,
            "districts": districts,
            "counts": selectors.area_counts_by_level(),
            "organisation_count": Organisation.objects.filter(confirmed_at__isnull=False).count(),
        },
    )


def area_list(request):
    return render(request, "civic/area_list.html", {"roots": selectors.area_children_with_counts(None)})


def area_detail(request, code):
    area = get_object_or_404(Area, code=code)
    counts = selectors.area_counts_by_level(area)
    return render(
        request,
        "civic/area_detail.html",
        {
            "area": area,
            "ancestors": selectors.area_ancestors(area),
            "children": selectors.area_children_with_counts(area),
            "counts": [(AreaLevel(level).label, n) for level, n in counts.items() if n],
            "organisations": selectors.organisation_list(area=area)[:20],
            "role_holders": selectors.area_role_holders(area),
            "timeline": selectors.timeline_for_area(area),
            "can_manage_roles": request.user.has_perm("civic.grant_role", area),
            "eligible": selectors.is_eligible(request.user, area),
        },
    )


@login_required
def area_roles(request, code):
    area = get_object_or_404(Area, code=code)
    _require_perm(request, "civic.grant_role", area)
    form = RoleGrantForm(request.POST if request.method == "POST" and "grant" in request.POST else None)
    if form.is_bound and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            form.add_error("email", _("Nobody with this e-mail address is registered on the platform."))
        else:
            try:
                services.area_role_grant(actor=request.user, user=person, area=area, role=form.cleaned_data["role"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("%(person)s now holds the role.") % {"person": person.public_name})
                return redirect("area-roles", code=area.code)
    return render(
        request,
        "civic/area_roles.html",
        {
            "area": area,
            "form": form,
            "direct_roles": AreaRole.objects.filter(area=area).select_related("user", "granted_by").order_by("role"),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def area_role_revoke(request, pk):
    area_role = get_object_or_404(AreaRole.objects.select_related("area"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("area-roles", code=area_role.area.code)
    services.area_role_revoke(actor=request.user, area_role=area_role, reason=form.cleaned_data["reason"])
    messages.success(request, _("The role was taken back."))
    return redirect("area-roles", code=area_role.area.code)


# --- people ---------------------------------------------------------------------------------------


@login_required
def me(request):
    user = request.user
    return render(
        request,
        "civic/me.html",
        {
            "verification": selectors.effective_verification(user),
            "history": selectors.verification_history(user)[:10],
            "has_pending": selectors.has_pending_verification(user),
            "invitations": selectors.pending_invitations(user),
            "memberships": Membership.objects.filter(user=user).select_related("organisation"),
            "roles": AreaRole.objects.filter(user=user).select_related("area"),
        },
    )


@login_required
def me_edit(request):
    user = request.user
    initial = {
        "display_name": user.display_name,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "bio": user.bio,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("me")
    return render(request, "civic/me_edit.html", {"form": form})


@login_required
def me_deactivate(request):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you want to close your account."))
            return redirect("me-deactivate")
        services.user_deactivate(user=request.user, actor=request.user)
        logout(request)
        messages.success(request, _("Your account is closed and your personal data removed."))
        return redirect("home")
    return render(request, "civic/me_deactivate.html")


def person_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    if not sees_person(request.user, person):
        raise Http404
    return render(request, "civic/person_detail.html", {"person": person, **selectors.person_summary(person)})


# --- residency verification ----------------------------------------------------------------------


@login_required
def verification_request(request):
    """Pick the grid cell step by step (district → … → grid cell), then give the address."""
    chosen = None
    if code := request.GET.get("area") or request.POST.get("cell"):
        chosen = Area.objects.filter(code=code).first()
    if chosen is not None and chosen.level == AreaLevel.GRID:
        form = VerificationForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.verification_request(
                    user=request.user,
                    cell=chosen,
                    address=form.cleaned_data["address"],
                    proof=form.cleaned_data.get("proof"),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Your request is sent. The organisers of your community will review it."))
                return redirect("me")
        return render(
            request,
            "civic/verification_request.html",
            {"cell": chosen, "ancestors": selectors.area_ancestors(chosen), "form": form},
        )
    options = selectors.area_children_with_counts(chosen)
    return render(
        request,
        "civic/verification_choose.html",
        {"chosen": chosen, "ancestors": selectors.area_ancestors(chosen) if chosen else [], "options": options},
    )


@login_required
@require_POST
def verification_withdraw(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    services.verification_withdraw(verification=verification, user=request.user)
    messages.success(request, _("Your verification is withdrawn."))
    return redirect("me")


@login_required
def verification_queue(request):
    _require_perm(request, "civic.view_verification_queue")
    status = request.GET.get("status", VerificationStatus.PENDING)
    if status not in (VerificationStatus.PENDING, VerificationStatus.APPROVED):
        status = VerificationStatus.PENDING
    page = Paginator(selectors.verification_queue(request.user, status=status), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "civic/verification_queue.html",
        {"page": page, "status": status, "reason_form": ReasonForm()},
    )


@login_required
@require_POST
def verification_decide(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    action = request.POST.get("action")
    if action == "approve":
        services.verification_approve(verification=verification, actor=request.user)
        messages.success(
            request, _("Approved: %(person)s is now a verified resident.") % {"person": verification.user.public_name}
        )
    elif action in ("reject", "revoke"):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give a reason."))
            return _back(request, "/verifications/")
        service = services.verification_reject if action == "reject" else services.verification_revoke
        service(verification=verification, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Done. %(person)s has been told the reason.") % {"person": verification.user.public_name}
        )
    else:
        messages.error(request, _("Unknown action."))
    return _back(request, "/verifications/")


@login_required
def verification_proof(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    _require_perm(request, "civic.view_verification", verification)
    if not verification.proof:
        raise Http404
    content_type = mimetypes.guess_type(verification.proof.name)[0] or "application/octet-stream"
    response = FileResponse(verification.proof.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# --- organisations --------------------------------------------------------------------------------


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
    is_rep = user.has_perm("civic.manage_organisation", organisation)
    if organisation.is_hidden and not is_rep:
        raise Http404
    is_member = user.is_authenticated and organisation.memberships.filter(user=user).exists()
    return render(
        request,
        "civic/organisation_detail.html",
        {
            "organisation": organisation,
            "representatives": selectors.organisation_representatives(organisation),
            "member_count": organisation.memberships.count(),
            "timeline": selectors.timeline_for_organisation(organisation),
            "is_representative": is_rep,
            "is_member": is_member,
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
    _require_perm(request, "civic.manage_organisation", organisation)
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
    _require_perm(request, "civic.manage_organisation", organisation)
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
    return _back(request, "/me/")


@login_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("Done."))
    return _back(request, f"/organisations/{membership.organisation_id}/")


# --- moderation -----------------------------------------------------------------------------------


def _reported_object(type_label: str, pk: int):
    try:
        app_label, model = type_label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except (ValueError, ContentType.DoesNotExist) as error:
        raise Http404 from error
    model_class = content_type.model_class()
    if model_class is None or moderation_adapter(model_class) is None:
        raise Http404
    return get_object_or_404(model_class, pk=pk)


@login_required
def report_content(request, type_label, pk):
    obj = _reported_object(type_label, pk)
    adapter = moderation_adapter(type(obj))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.content_report(reporter=request.user, obj=obj, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at it."))
            return redirect(adapter.url(obj))
    return render(
        request, "civic/report_form.html", {"form": form, "excerpt": adapter.excerpt(obj), "back": adapter.url(obj)}
    )


@login_required
def moderation_queue(request):
    _require_perm(request, "civic.view_moderation_queue")
    decided = request.GET.get("decided") == "1"
    page = Paginator(selectors.moderation_queue(request.user, decided=decided), 20).get_page(request.GET.get("page"))
    return render(request, "civic/moderation_queue.html", {"page": page, "decided": decided})


@login_required
def moderation_case(request, pk):
    case = get_object_or_404(ModerationCase.objects.select_related("area", "author", "content_type"), pk=pk)
    _require_perm(request, "civic.decide_case", case)
    form = ModerationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_decide(
                actor=request.user,
                case=case,
                hide=form.cleaned_data["decision"] == "hide",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Decision recorded; the author has been told."))
            return redirect("moderation-queue")
    obj = case.content_object
    adapter = moderation_adapter(type(obj)) if obj is not None else None
    return render(
        request,
        "civic/moderation_case.html",
        {
            "case": case,
            "form": form,
            "reports": case.reports.select_related("reporter").order_by("created_at"),
            "url": adapter.url(obj) if adapter else "",
        },
    )


# --- notifications --------------------------------------------------------------------------------


@login_required
def notification_list(request):
    if request.method == "POST":
        ids = as_pks(request.POST.getlist("id")) or None
        count = services.notification_mark_read(user=request.user, ids=ids)
        messages.success(request, _("%(count)s marked as read.") % {"count": count})
        return redirect("notifications")
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "civic/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) else "/"
    return redirect(target or "notifications")


@login_required
def notification_preferences(request):
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = notification_preferences_form(NOTIFICATION_KINDS, current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        for field, delivery in form.cleaned_data.items():
            services.notification_preference_set(user=request.user, kind=field.replace("__", "."), delivery=delivery)
        messages.success(request, _("Your choices are saved."))
        return redirect("notification-preferences")
    return render(request, "civic/notification_preferences.html", {"form": form})


# --- audit ----------------------------------------------------------------------------------------


@login_required
def audit_list(request):
    _require_perm(request, "civic.view_audit")
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        area = Area.objects.filter(code=data["area"]).first() if data["area"] else None
        if data["area"] and area is None:
            form.add_error("area", _("No area has this code."))
        filters = {
            "action": data["action"],
            "actor_email": data["actor"] or "",
            "area": area,
            "since": data["since"],
            "until": data["until"],
        }
    page = Paginator(selectors.audit_entries(request.user, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "civic/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


from .notices import notice_detail, notice_feed, notice_list, notice_new  # noqa: E402, F401
