"""Award pages (以奖代补): the awards section of a project page, one award's public page, the small POST
views behind each form (each calls one service), and the officials' funding desk."""

from decimal import Decimal
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic import pagecache
from civic.errors import NotAllowed
from civic.forms import submit
from civic.money import format_yuan
from civic.selectors import areas_for_roles

from .. import services
from ..forms.awards import (
    AdvanceForm,
    AwardComputeForm,
    AwardRecomputeForm,
    LedgerReverseForm,
    ObjectionAnswerForm,
    ObjectionForm,
    RecoveryForm,
)
from ..models import (
    AwardObjection,
    AwardStage,
    AwardStatus,
    EntryKind,
    LedgerEntry,
    MicroProject,
    Milestone,
    ObjectionStatus,
    ProjectState,
    SubsidyAward,
)
from ..selectors import awards as award_selectors
from ..selectors import projects as project_selectors
from ..selectors.awards import STOPPED
from ..services.awards import CORRECTABLE

ZERO = Decimal("0.00")
PAYMENT_KINDS = (
    EntryKind.AWARD,
    EntryKind.ADVANCE,
    EntryKind.SETTLEMENT,
    EntryKind.RECOVERY_DUE,
    EntryKind.RECOVERY,
)
DESK_ROWS = 50


# --- what the awards section shows -------------------------------------------------------------------


def _awards_of(project_ids):
    objections = AwardObjection.objects.select_related("author", "answered_by").order_by("created_at", "id")
    return (
        SubsidyAward.objects.filter(project_id__in=project_ids)
        .select_related("policy__area", "computed_by", "approved_by", "charge_area")
        .prefetch_related(Prefetch("objections", queryset=objections, to_attr="objection_list"))
        .order_by("-computed_at", "-id")
    )


def _balances(entries) -> dict:
    sums = dict.fromkeys(PAYMENT_KINDS, ZERO)
    for entry in entries:
        sums[entry.kind] += entry.amount
    paid = sums[EntryKind.ADVANCE] + sums[EntryKind.SETTLEMENT]
    return {
        "award": sums[EntryKind.AWARD],
        "advances": sums[EntryKind.ADVANCE],
        "settlement": sums[EntryKind.SETTLEMENT],
        "paid": paid,
        "recovery_due": sums[EntryKind.RECOVERY_DUE],
        "recovered": sums[EntryKind.RECOVERY],
        "owed_back": sums[EntryKind.RECOVERY_DUE] - sums[EntryKind.RECOVERY],
        "net_paid": paid - sums[EntryKind.RECOVERY],
    }


def award_context(request, project) -> dict:
    """The context of the awards section (`funding/awards/_project_awards.html`) of a project page.

    A fixed number of queries, whatever the number of awards, objections and ledger lines. Every award of
    the project is read, also for one award's page: what may be done with one award depends on the others
    (no advance once the project is being settled).
    """
    user = request.user
    # every signed-in reader may object (the shared signed-in page is made for them all: pagecache.holes)
    signed_in = pagecache.holes(request) or user.has_perm("funding.object_to_award")
    can_award = signed_in and user.has_perm("funding.award", project)
    can_correct = signed_in and user.has_perm("funding.manage_project", project)
    now = timezone.now()
    awards = list(_awards_of([project.pk]))
    entry_qs = LedgerEntry.objects.filter(project_id=project.pk, kind__in=PAYMENT_KINDS)
    entries = list(entry_qs.select_related("award", "created_by").order_by("-created_at", "-id"))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    for entry in entries:
        entry.is_reversed = entry.pk in reversed_ids
        entry.can_reverse = (
            can_correct and entry.kind in CORRECTABLE and entry.reverses_id is None and not entry.is_reversed
        )
    balances = _balances(entries)
    stopped = project.state in STOPPED
    any_approved_provisional = any(
        a.stage == AwardStage.PROVISIONAL and a.status == AwardStatus.APPROVED for a in awards
    )
    settling = AwardStage.SETTLEMENT in award_selectors.live_stages(
        awards
    )  # its payout counts the advances paid until then
    advancing = can_award and any_approved_provisional and not settling
    met = project_selectors.conditions_met(project) if advancing else set()
    for award in awards:
        open_objections = [o for o in award.objection_list if o.status == ObjectionStatus.OPEN]
        notice = award.status == AwardStatus.NOTICE
        window_open = notice and now < award.objections_until
        notice_over = notice and now >= award.notice_until and now >= award.objections_until
        mine_open = signed_in and any(o.author_id == user.pk for o in open_objections)
        award.open_objections = len(open_objections)
        award.objections_open = window_open
        award.approvable_from = max(award.notice_until, award.objections_until)
        award.payment_list = [e for e in entries if e.award_id == award.pk]
        for objection in award.objection_list:
            objection.overdue = objection.status == ObjectionStatus.OPEN and objection.answer_due < now.date()
            objection.can_answer = can_award and objection.status == ObjectionStatus.OPEN
        actions = {
            "object": window_open and signed_in and not mine_open,
            "objection_waiting": window_open and mine_open,
            "approve": can_award and notice_over and not open_objections and not stopped,
            "recompute": can_award and notice and not open_objections,
            "advances": [],
            "settlement_due": ZERO,
            "recovery_owed": ZERO,
        }
        if can_award and not stopped and award.status == AwardStatus.APPROVED:
            if award.stage == AwardStage.PROVISIONAL and not settling:
                actions["advances"] = award_selectors.advance_schedule(award, met, balances["advances"])
            if award.stage == AwardStage.SETTLEMENT:
                actions["settlement_due"] = max(ZERO, award.payout - balances["settlement"])
        if can_award and award.stage == AwardStage.SETTLEMENT and award.status == AwardStatus.APPROVED:
            actions["recovery_owed"] = max(ZERO, balances["owed_back"])
        actions["advances_payable"] = [row for row in actions["advances"] if row["met"] and row["due"] > 0]
        actions["any"] = bool(
            actions["approve"]
            or actions["recompute"]
            or actions["advances_payable"]
            or actions["settlement_due"]
            or actions["recovery_owed"]
        )
        award.actions = actions
    return {
        "award_project": project,
        "awards": awards,
        "award_payments": entries,
        "award_balances": balances,
        "award_can_act": can_award,
        "award_can_correct": can_correct,
        "award_can_object": signed_in,
        "award_compute_stages": award_selectors.computable_stages(project, awards) if can_award and not stopped else [],
        "award_next": f"{project.get_absolute_url()}#awards",
    }


def award_detail(request, pk):
    """One award's public page (linked from notices), with the same explanations and forms."""
    award = get_object_or_404(SubsidyAward.objects.select_related("project__area", "project__implementer"), pk=pk)
    project = award.project
    context = award_context(request, project)
    context["award"] = next(a for a in context["awards"] if a.pk == award.pk)
    context["award_payments"] = [e for e in context["award_payments"] if e.award_id == award.pk]
    context["award_next"] = reverse("funding:award-detail", args=[award.pk])
    context["award_compute_stages"] = []
    context["project"] = project
    return render(request, "funding/awards/detail.html", context)


# --- the forms' small POST views ---------------------------------------------------------------------


def _target(request, project) -> str:
    """Where to go after a form: back to the award page it came from, else the project's awards."""
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}) and "\\" not in wanted:
        try:
            match = resolve(urlsplit(wanted).path)
        except Resolver404:
            match = None
        if match is not None and match.url_name == "award-detail":
            return wanted
    return f"{project.get_absolute_url()}#awards"


def _act(request, project, form, action, success):
    """One award form: parsed by `form`, handed to one service by `action` (civic.forms.submit). A refusal
    becomes an error message (nothing written); a permission refusal of the service a 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(_target(request, project))

    def allowed(data):
        try:
            return action(data)
        except NotAllowed as error:
            raise PermissionDenied(str(error.message)) from None

    if done := submit(form, allowed):
        messages.success(request, success(done.value))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_target(request, project))


def _guard(request, perm, project, message):
    """Refuse with 403 before parsing anything when the person may not act at all."""
    if request.user.is_authenticated and not request.user.has_perm(perm, project):
        raise PermissionDenied(message)


def _award(pk):
    return get_object_or_404(SubsidyAward.objects.select_related("project__area", "policy"), pk=pk)


@require_POST
def award_compute(request, pk):
    project = get_object_or_404(MicroProject.objects.select_related("area"), pk=pk)
    _guard(request, "funding.award", project, _("Only an official of this area can compute awards."))
    return _act(
        request,
        project,
        AwardComputeForm(request.POST),
        lambda data: services.award_compute(actor=request.user, project=project, stage=data["stage"]),
        lambda award: (
            _("The %(stage)s of %(amount)s is under public notice until %(date)s.")
            % {
                "stage": award.get_stage_display(),
                "amount": format_yuan(award.amount),
                "date": timezone.localtime(award.notice_until).strftime("%Y-%m-%d"),
            }
        ),
    )


@require_POST
def award_approve(request, pk):
    award = _award(pk)
    _guard(request, "funding.award", award.project, _("Only an official of this area can approve awards."))
    return _act(
        request,
        award.project,
        forms.Form(request.POST),
        lambda data: services.award_approve(actor=request.user, award=award),
        lambda done: (
            _("The %(stage)s of %(amount)s is approved.")
            % {"stage": done.get_stage_display(), "amount": format_yuan(done.amount)}
        ),
    )


@require_POST
def award_recompute(request, pk):
    award = _award(pk)
    _guard(request, "funding.award", award.project, _("Only an official of this area can recompute awards."))
    return _act(
        request,
        award.project,
        AwardRecomputeForm(request.POST),
        lambda data: services.award_recompute(actor=request.user, award=award, **data),
        lambda fresh: (
            _("The award is cancelled.")
            if fresh is None
            else _("The award is recomputed: %(amount)s, under public notice until %(date)s.")
            % {"amount": format_yuan(fresh.amount), "date": timezone.localtime(fresh.notice_until).strftime("%Y-%m-%d")}
        ),
    )


@require_POST
def objection_file(request, pk):
    award = _award(pk)
    return _act(
        request,
        award.project,
        ObjectionForm(request.POST),
        lambda data: services.objection_file(user=request.user, award=award, text=data["text"]),
        lambda objection: (
            _("Your objection is filed; the answer is due by %(date)s.") % {"date": objection.answer_due.isoformat()}
        ),
    )


@require_POST
def objection_answer(request, pk):
    objection = get_object_or_404(AwardObjection.objects.select_related("award__project__area"), pk=pk)
    project = objection.award.project
    _guard(request, "funding.award", project, _("Only an official of this area can answer objections."))
    return _act(
        request,
        project,
        ObjectionAnswerForm(request.POST),
        lambda data: services.objection_answer(actor=request.user, objection=objection, **data),
        lambda done: (
            _("The objection is upheld and answered.")
            if done.status == ObjectionStatus.UPHELD
            else _("The objection is rejected and answered.")
        ),
    )


@require_POST
def advance_pay(request, pk):
    award = _award(pk)
    _guard(request, "funding.award", award.project, _("Only an official of this area can pay awards."))
    return _act(
        request,
        award.project,
        AdvanceForm(request.POST),
        lambda data: services.advance_pay(actor=request.user, award=award, condition=data["condition"]),
        lambda entry: _("An advance of %(amount)s is paid.") % {"amount": format_yuan(entry.amount)},
    )


@require_POST
def settlement_pay(request, pk):
    award = _award(pk)
    _guard(request, "funding.award", award.project, _("Only an official of this area can pay awards."))
    return _act(
        request,
        award.project,
        forms.Form(request.POST),
        lambda data: services.settlement_pay(actor=request.user, award=award),
        lambda entry: _("The settlement of %(amount)s is paid.") % {"amount": format_yuan(entry.amount)},
    )


@require_POST
def recovery_record(request, pk):
    award = _award(pk)
    _guard(request, "funding.award", award.project, _("Only an official of this area can record recoveries."))
    return _act(
        request,
        award.project,
        RecoveryForm(request.POST),
        lambda data: services.recovery_record(actor=request.user, award=award, **data),
        lambda entry: _("A recovery of %(amount)s is recorded.") % {"amount": format_yuan(entry.amount)},
    )


@require_POST
def ledger_reverse(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("project__area"), pk=pk)
    _guard(request, "funding.manage_project", entry.project, _("Only an official of this area can correct the ledger."))
    return _act(
        request,
        entry.project,
        LedgerReverseForm(request.POST),
        lambda data: services.ledger_correct(actor=request.user, entry=entry, reason=data["reason"]),
        lambda reversal: (
            _("The entry is reversed by a new entry of %(amount)s.") % {"amount": format_yuan(reversal.amount)}
        ),
    )


# --- the officials' funding desk ---------------------------------------------------------------------


def _scope(user, field: str) -> Q | None:
    """Q limiting `field` (an area path) to the areas where `user` is an official; None = everywhere."""
    if user.is_superuser:
        return None
    query = Q(pk__in=[])
    for path in areas_for_roles(user, {"official"}).values_list("path", flat=True):
        query |= Q(**{f"{field}__startswith": path})
    return query


def _scoped(qs, scope):
    return qs if scope is None else qs.filter(scope)


def _payments_due(scope) -> list[dict]:
    """Approved provisional awards with an advance payable now, and approved settlements not yet paid."""
    midpoint = Milestone.objects.filter(project=OuterRef("project_id"), is_midpoint=True, reached_at__isnull=False)
    settling = SubsidyAward.objects.filter(  # approved or under notice: no more advances
        project=OuterRef("project_id"),
        stage=AwardStage.SETTLEMENT,
        status__in=(AwardStatus.NOTICE, AwardStatus.APPROVED),
    )
    awards = list(
        _scoped(
            SubsidyAward.objects.filter(status=AwardStatus.APPROVED).exclude(
                project__state__in=(*STOPPED, ProjectState.CLOSED)
            ),
            scope,
        )
        .annotate(midpoint_reached=Exists(midpoint), settling=Exists(settling))
        .filter(Q(stage=AwardStage.PROVISIONAL, settling=False) | Q(stage=AwardStage.SETTLEMENT, payout__gt=0))
        .select_related("policy", "project__area")
        .order_by("approved_at", "id")[: DESK_ROWS * 4]  # a window wide enough for rows with nothing due
    )
    paid = {
        row["project_id"]: row
        for row in LedgerEntry.objects.filter(
            project_id__in={a.project_id for a in awards}, kind__in=[EntryKind.ADVANCE, EntryKind.SETTLEMENT]
        )
        .order_by()
        .values("project_id")
        .annotate(
            advances=Sum("amount", filter=Q(kind=EntryKind.ADVANCE)),
            settlement=Sum("amount", filter=Q(kind=EntryKind.SETTLEMENT)),
        )
    }
    rows = []
    for award in awards:
        project = award.project
        sums = paid.get(project.pk, {})
        if award.stage == AwardStage.PROVISIONAL:
            met = set()
            if project.started_at:
                met.add("start")
            if award.midpoint_reached:
                met.add("midpoint")
            if project.completed_at or project.accepted_at:
                met.add("completion")
            payable = [
                row
                for row in award_selectors.advance_schedule(award, met, sums.get("advances") or ZERO)
                if row["met"] and row["due"] > 0
            ]
            if payable:
                rows.append({"award": award, "project": project, "advances": payable, "due": payable[-1]["due"]})
        else:
            due = award.payout - (sums.get("settlement") or ZERO)
            if due > 0:
                rows.append({"award": award, "project": project, "settlement": True, "due": due})
    return rows[:DESK_ROWS]


def funding_desk(request):
    """What waits for an official, in the areas they serve, each line linking to where to act."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.has_perm("funding.view_desk"):
        raise PermissionDenied(_("The funding desk is for officials."))
    now = timezone.now()
    today = timezone.localdate()
    scope = _scope(user, "project__area_path")
    open_objection = AwardObjection.objects.filter(award=OuterRef("pk"), status=ObjectionStatus.OPEN)
    approvable = list(
        _scoped(
            SubsidyAward.objects.filter(status=AwardStatus.NOTICE, notice_until__lte=now, objections_until__lte=now)
            .exclude(project__state__in=STOPPED)
            .annotate(has_open=Exists(open_objection))
            .filter(has_open=False),
            scope,
        )
        .select_related("project__area")
        .order_by("notice_until", "id")[:DESK_ROWS]
    )
    objections = list(
        _scoped(AwardObjection.objects.filter(status=ObjectionStatus.OPEN), _scope(user, "award__project__area_path"))
        .select_related("award__project__area", "author")
        .order_by("answer_due", "id")[:DESK_ROWS]
    )
    for objection in objections:
        objection.overdue = objection.answer_due < today
    to_inspect = list(
        _scoped(MicroProject.objects.filter(state=ProjectState.COMPLETED), _scope(user, "area_path"))
        .select_related("area", "implementer")
        .order_by("completed_at", "id")[:DESK_ROWS]
    )
    adopted = list(project_selectors.adopted_without_project(user)[:DESK_ROWS])
    for proposal in adopted:
        try:
            proposal.new_project_url = reverse("funding:project-new-from-proposal", args=[proposal.pk])
        except NoReverseMatch:  # the project pages are not installed
            proposal.new_project_url = ""
    return render(
        request,
        "funding/awards/desk.html",
        {
            "approvable": approvable,
            "objections": objections,
            "overdue_objections": sum(1 for o in objections if o.overdue),
            "payments_due": _payments_due(scope),
            "to_inspect": to_inspect,
            "overdue_milestones": list(project_selectors.overdue_milestones(user)[:DESK_ROWS]),
            "adopted": adopted,
            "today": today,
            "limit": DESK_ROWS,
        },
    )
