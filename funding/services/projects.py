"""Micro-projects: creation (from an adopted proposal or directly), the state machine, co-funding,
milestones and progress reports, the acceptance inspection and the residents' satisfaction ratings."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import Area, Membership, Organisation
from civic.selectors import is_eligible
from civic.services import audit_record, notify, require_perm, timeline_record
from civic.uploads import IMAGE, accept_uploads
from proposals.models import PledgeKind, Proposal, ProposalState
from proposals.services import proposal_complete, proposal_start_implementation

from ..models import (
    PROJECT_TRANSITIONS,
    AwardStage,
    AwardStatus,
    BudgetLine,
    Commitment,
    EntryKind,
    FundingSource,
    Inspection,
    InspectionResult,
    LedgerEntry,
    MicroProject,
    Milestone,
    ProgressReport,
    ProjectPhoto,
    Receipt,
    SatisfactionLevel,
    SatisfactionRating,
    SubsidyAward,
)
from ..models import ProjectState as S
from .common import MAX_AMOUNT, day, money, number
from .common import text as _text

MAX_PHOTOS = 6
MAX_CHECKLIST = 50


# --- helpers ------------------------------------------------------------------------------------------


def locked_project(project) -> MicroProject:
    return (
        MicroProject.objects.select_for_update(of=("self",))
        .select_related("area", "implementer", "proposal")
        .get(pk=project.pk)
    )


def project_story(project: MicroProject, verb: str, *, actor=None, params=None) -> None:
    """One line on the project's public story, and the same line on its proposal's (the story continues)."""
    params = {"title": project.title, **(params or {})}
    for subject in (project, project.proposal) if project.proposal_id else (project,):
        timeline_record(
            subject=subject,
            verb=verb,
            params=params,
            url=project.get_absolute_url(),
            actor=actor,
            organisation=project.implementer,
            area=project.area,
        )


def _move(project: MicroProject, target: str, *, actor, verb: str, reason: str = "", params=None, fields=()):
    if target not in PROJECT_TRANSITIONS[project.state]:
        raise Conflict(
            "transition_not_allowed",
            _("A project that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(project.state).label, "target": S(target).label},
        )
    before = project.state
    project.state = target
    project.save(update_fields=["state", *fields])
    audit_record(
        actor=actor,
        action=f"project.{target}",
        obj=project,
        area=project.area,
        before={"state": before},
        after={"state": target, **({"reason": reason} if reason else {})},
    )
    project_story(project, verb, actor=actor, params=params)


def _photos(project, files, *, report=None, inspection=None) -> list[ProjectPhoto]:
    cleaned = accept_uploads(files, field="photos", kinds=(IMAGE,), max_files=MAX_PHOTOS)
    return [
        ProjectPhoto.objects.create(project=project, report=report, inspection=inspection, image=clean.file)
        for clean in cleaned
    ]


def _ledger(project, kind, amount, *, actor, area=None, year=None, **extra) -> LedgerEntry:
    now = timezone.now()
    return LedgerEntry.objects.create(
        project=project,
        area=area or project.area,
        year=year or timezone.localdate(now).year,
        kind=kind,
        amount=amount,
        created_by=actor,
        created_at=now,
        **extra,
    )


def _clean_lines(lines) -> list[tuple[str, Decimal]]:
    clean = []
    for index, line in enumerate(lines or []):
        item = _text(line.get("item"), f"budget_lines.{index}.item", limit=120)
        amount_raw = line.get("amount")
        if not item and amount_raw in (None, ""):
            continue
        if not item:
            raise InvalidInput(
                "required", _("Name what each budget line pays for."), field=f"budget_lines.{index}.item"
            )
        clean.append((item, money(amount_raw, f"budget_lines.{index}.amount", positive=True)))
    if not clean:
        raise InvalidInput("budget_required", _("Give at least one budget line."), field="budget_lines")
    if len(clean) > 30:
        raise InvalidInput("too_many_lines", _("At most 30 budget lines."), field="budget_lines")
    if sum(amount for _item, amount in clean) >= MAX_AMOUNT:  # the budget column holds no more than a line
        raise InvalidInput("amount_too_large", _("This amount is too large."), field="budget_lines")
    return clean


def _clean_milestones(milestones, start, end) -> list[tuple[str, object, bool]]:
    clean = []
    for index, row in enumerate(milestones or []):
        title = _text(row.get("title"), f"milestones.{index}.title", limit=120)
        if not title and not row.get("due_on"):
            continue
        if not title:
            raise InvalidInput("required", _("Name each milestone."), field=f"milestones.{index}.title")
        due = day(row.get("due_on"), f"milestones.{index}.due_on")
        if not start <= due <= end:
            raise InvalidInput(
                "milestone_outside_plan",
                _("A milestone falls between the planned start and end."),
                field=f"milestones.{index}.due_on",
            )
        clean.append((title, due, bool(row.get("is_midpoint"))))
    if sum(1 for *_x, midpoint in clean if midpoint) > 1:
        raise InvalidInput("one_midpoint", _("Only one milestone can be the mid-point."), field="milestones")
    if len(clean) > 20:
        raise InvalidInput("too_many_milestones", _("At most 20 milestones."), field="milestones")
    return clean


def _source_for(cosponsor) -> str:
    if cosponsor.pledge_kind == PledgeKind.IN_KIND:
        return FundingSource.IN_KIND
    if cosponsor.organisation_id is None:
        return FundingSource.RESIDENTS
    return {
        "enterprise": FundingSource.ENTERPRISE,
        "residents_group": FundingSource.RESIDENTS,
        "committee": FundingSource.RESIDENTS,
        "government": FundingSource.GOVERNMENT,
    }.get(cosponsor.organisation.kind, FundingSource.SOCIAL)


# --- creation ----------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor,
    area: Area | None = None,
    title: str,
    scope: str,
    implementer: Organisation | None,
    budget_lines: list[dict],
    planned_start,
    planned_end,
    location: str = "",
    proposal: Proposal | None = None,
    milestones: Sequence[dict] = (),
    carry_pledges: bool = True,
) -> MicroProject:
    """Create a micro-project; from an adopted proposal its pledges become commitments."""
    if proposal is not None:
        proposal = Proposal.objects.select_for_update(of=("self",)).select_related("area").get(pk=proposal.pk)
        area = proposal.area
        if proposal.state != ProposalState.ADOPTED:
            raise Conflict("proposal_not_adopted", _("Only an adopted proposal can become a project."))
        if MicroProject.objects.filter(proposal=proposal).exists():
            raise Conflict("project_exists", _("This proposal already has a project."))
    if area is None:
        raise InvalidInput("required", _("Choose the area of the project."), field="area")
    require_perm(
        actor, "funding.create_project", area, _("Only an official of this area or above can create projects.")
    )
    title = _text(title, "title", limit=80, required=True, message=_("Give the project a title."))
    scope = _text(scope, "scope", limit=5000, required=True, message=_("Describe the scope of work."))
    location = _text(location, "location", limit=120)
    if implementer is None:
        raise InvalidInput("required", _("Choose the implementer."), field="implementer")
    if implementer.is_hidden:
        raise InvalidInput("implementer_hidden", _("This organisation cannot implement projects."), field="implementer")
    start = day(planned_start, "planned_start")
    end = day(planned_end, "planned_end")
    if end < start:
        raise InvalidInput("dates_reversed", _("The planned end comes after the planned start."), field="planned_end")
    lines = _clean_lines(budget_lines)
    plan = _clean_milestones(milestones, start, end)
    try:
        with transaction.atomic():
            project = MicroProject.objects.create(
                proposal=proposal,
                area=area,
                area_path=area.path,
                title=title,
                scope=scope,
                location=location,
                implementer=implementer,
                budget=sum((amount for _item, amount in lines), Decimal("0.00")),
                planned_start=start,
                planned_end=end,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict("project_exists", _("This proposal already has a project.")) from None
    BudgetLine.objects.bulk_create(
        BudgetLine(project=project, position=i, item=item, amount=amount) for i, (item, amount) in enumerate(lines)
    )
    Milestone.objects.bulk_create(
        Milestone(project=project, position=i, title=t, due_on=due, is_midpoint=mid)
        for i, (t, due, mid) in enumerate(plan)
    )
    carried = 0
    if proposal is not None and carry_pledges:
        pledges = proposal.cosponsors.exclude(pledge_kind=PledgeKind.NONE).filter(pledge_amount__gt=0)
        for cosponsor in pledges.select_related("user", "organisation"):
            commitment = Commitment.objects.create(
                project=project,
                source=_source_for(cosponsor),
                funder=cosponsor.organisation.name if cosponsor.organisation_id else cosponsor.user.public_name,
                organisation=cosponsor.organisation,
                amount=cosponsor.pledge_amount,
                description=cosponsor.pledge_description,
                from_pledge=cosponsor,
                created_by=actor,
            )
            _ledger(
                project,
                EntryKind.COMMITMENT,
                commitment.amount,
                actor=actor,
                commitment=commitment,
            )
            carried += 1
    audit_record(
        actor=actor,
        action="project.created",
        obj=project,
        area=area,
        after={"budget": str(project.budget), "implementer": implementer.pk, "pledges_carried": carried},
    )
    project_story(project, "project.created", actor=actor, params={"implementer": implementer.name})
    if proposal is not None:
        proposal_start_implementation(proposal=proposal, actor=actor, project_url=project.get_absolute_url())
    return project


# --- the state machine ----------------------------------------------------------------------------------


@transaction.atomic
def project_start(*, actor, project) -> MicroProject:
    project = locked_project(project)
    require_perm(
        actor, "funding.report_progress", project, _("Only the implementer or an official can start the work.")
    )
    if project.state != S.PLANNED:  # a suspended project is resumed by an official, not restarted
        raise Conflict("already_started", _("Only a planned project can be started."))
    project.started_at = timezone.now()
    _move(project, S.IN_PROGRESS, actor=actor, verb="project.started", fields=["started_at"])
    return project


@transaction.atomic
def project_report_completion(*, actor, project, report: str, files=()) -> MicroProject:
    """The implementer says the work is done, with evidence; an official then inspects it."""
    project = locked_project(project)
    require_perm(actor, "funding.report_progress", project, _("Only the implementer can report completion."))
    report = _text(report, "report", limit=5000, required=True, message=_("Describe what was built."))
    if project.state != S.IN_PROGRESS:
        raise Conflict("not_in_progress", _("Only a project in progress can be reported complete."))
    project.completion_report = report
    project.completed_at = timezone.now()
    _move(project, S.COMPLETED, actor=actor, verb="project.completed", fields=["completion_report", "completed_at"])
    progress = ProgressReport.objects.create(
        project=project, author=actor, text=report, spend_to_date=_spent(project), reported_on=timezone.localdate()
    )
    _photos(project, files, report=progress)
    for official in _officials_of(project):
        notify(
            recipient=official,
            kind="project.inspection_due",
            title=gettext_lazy("“%(title)s” is ready for inspection"),
            params={"title": project.title},
            url=project.get_absolute_url(),
        )
    return project


def _spent(project) -> Decimal:
    last = ProgressReport.objects.filter(project=project).order_by("-reported_on", "-id").first()
    return last.spend_to_date if last else Decimal("0.00")


def _officials_of(project):
    from civic.models import User

    paths = [*project.area.ancestor_codes, project.area.code]
    return User.objects.filter(is_active=True, area_roles__role="official", area_roles__area__code__in=paths).distinct()


@transaction.atomic
def project_suspend(*, actor, project, reason: str) -> MicroProject:
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can suspend a project."))
    reason = _text(reason, "reason", limit=1000, required=True, message=_("Say why the project is suspended."))
    if project.state == S.SUSPENDED:
        raise Conflict("already_suspended", _("The project is already suspended."))
    previous = project.state
    if S.SUSPENDED not in PROJECT_TRANSITIONS[previous]:
        raise Conflict("transition_not_allowed", _("A closed or cancelled project cannot be suspended."))
    project.suspended_from = previous
    project.state_reason = reason
    _move(
        project,
        S.SUSPENDED,
        actor=actor,
        verb="project.suspended",
        reason=reason,
        params={"reason": reason},
        fields=["suspended_from", "state_reason"],
    )
    return project


@transaction.atomic
def project_resume(*, actor, project) -> MicroProject:
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can resume a project."))
    if project.state != S.SUSPENDED:
        raise Conflict("not_suspended", _("Only a suspended project can be resumed."))
    target = project.suspended_from or S.PLANNED
    project.suspended_from = ""
    project.state_reason = ""
    _move(project, target, actor=actor, verb="project.resumed", fields=["suspended_from", "state_reason"])
    return project


@transaction.atomic
def project_cancel(*, actor, project, reason: str) -> MicroProject:
    """Cancel a project nothing was paid to; its awards are cancelled and what they charged to their
    area-year is given back by reversing entries."""
    # the awards before the project, in the order the award services lock them
    list(SubsidyAward.objects.select_for_update().filter(project_id=project.pk).order_by("pk"))
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can cancel a project."))
    reason = _text(reason, "reason", limit=1000, required=True, message=_("Say why the project is cancelled."))
    if project.ledger.filter(kind__in=[EntryKind.ADVANCE, EntryKind.SETTLEMENT]).exists():
        raise Conflict(
            "payments_made",
            _("Money has been paid to this project: suspend it and record what is to be recovered instead."),
        )
    project.state_reason = reason
    project.closed_at = timezone.now()
    _move(
        project,
        S.CANCELLED,
        actor=actor,
        verb="project.cancelled",
        reason=reason,
        params={"reason": reason},
        fields=["state_reason", "closed_at"],
    )
    live = project.awards.select_for_update().filter(status__in=[AwardStatus.NOTICE, AwardStatus.APPROVED])
    for award in live:
        before = award.status
        award.status, award.status_reason = AwardStatus.CANCELLED, reason
        award.save(update_fields=["status", "status_reason"])
        audit_record(
            actor=actor,
            action="award.cancelled",
            obj=award,
            area=project.area,
            before={"status": before},
            after={"status": award.status, "reason": reason},
        )
    for entry in project.ledger.filter(kind=EntryKind.AWARD, reverses__isnull=True, reversed_by__isnull=True):
        _ledger(
            project,
            EntryKind.AWARD,
            -entry.amount,
            actor=actor,
            area=entry.area,
            year=entry.year,
            award=entry.award,
            reverses=entry,
            memo=reason[:300],
        )
    return project


@transaction.atomic
def project_close(*, actor, project) -> MicroProject:
    """Close an accepted project once its settlement is paid (or it has no award to settle)."""
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can close a project."))
    if project.state != S.ACCEPTED:
        raise Conflict("not_accepted", _("Only an accepted project can be closed."))
    if project.awards.filter(status=AwardStatus.NOTICE).exists():
        raise Conflict("award_pending", _("An award of this project is still under public notice."))
    settlement = project.awards.filter(stage=AwardStage.SETTLEMENT, status=AwardStatus.APPROVED).first()
    if settlement is not None:
        paid = sum(project.ledger.filter(kind=EntryKind.SETTLEMENT).values_list("amount", flat=True), Decimal(0))
        if paid < settlement.payout:
            raise Conflict("settlement_unpaid", _("Pay the settlement before closing the project."))
    elif project.awards.filter(stage=AwardStage.PROVISIONAL, status=AwardStatus.APPROVED).exists():
        raise Conflict("settlement_missing", _("Settle the award before closing the project."))
    project.closed_at = timezone.now()
    _move(project, S.CLOSED, actor=actor, verb="project.closed", fields=["closed_at"])
    if project.proposal_id and project.proposal.state == ProposalState.IN_IMPLEMENTATION:
        proposal_complete(proposal=project.proposal, actor=actor)
    return project


# --- co-funding (共建共享) ------------------------------------------------------------------------------------


@transaction.atomic
def commitment_add(
    *, actor, project, source: str, funder: str, amount, organisation=None, description: str = ""
) -> Commitment:
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can record co-funding."))
    if project.state in (S.CLOSED, S.CANCELLED):
        raise Conflict("project_finished", _("This project is finished."))
    if source not in FundingSource.values:
        raise InvalidInput("source_invalid", _("Choose where the money comes from."), field="source")
    funder = _text(
        funder or (organisation.name if organisation else ""),
        "funder",
        limit=120,
        required=True,
        message=_("Name who pays."),
    )
    amount = money(amount, "amount", positive=True)
    description = _text(description, "description", limit=200)
    if source == FundingSource.IN_KIND and not description:
        raise InvalidInput("required", _("Describe what is given in kind."), field="description")
    commitment = Commitment.objects.create(
        project=project,
        source=source,
        funder=funder,
        organisation=organisation,
        amount=amount,
        description=description,
        created_by=actor,
    )
    _ledger(project, EntryKind.COMMITMENT, amount, actor=actor, commitment=commitment, memo=funder)
    audit_record(
        actor=actor,
        action="project.commitment_added",
        obj=project,
        area=project.area,
        after={"source": source, "funder": funder, "amount": str(amount)},
    )
    project_story(
        project,
        "project.commitment",
        actor=actor,
        params={"funder": funder, "amount": f"{amount:,.2f}", "source": str(FundingSource(source).label)},
    )
    return commitment


@transaction.atomic
def receipt_record(*, actor, commitment, amount, received_on=None, reference: str = "") -> Receipt:
    """Money (or goods) that arrived; never more than what is still outstanding on the commitment."""
    project = locked_project(commitment.project)  # the project first, in the order ledger_correct locks
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can record receipts."))
    if project.state in (S.CLOSED, S.CANCELLED):
        raise Conflict("project_finished", _("This project is finished."))
    amount = money(amount, "amount", positive=True)
    received_on = day(received_on, "received_on", required=False) or timezone.localdate()
    if received_on > timezone.localdate():
        raise InvalidInput("date_in_future", _("A receipt cannot be dated in the future."), field="received_on")
    reference = _text(reference, "reference", limit=120)
    if amount > commitment.outstanding:
        raise InvalidInput(
            "receipt_above_commitment",
            _("Only ¥%(left)s of this commitment is still outstanding.") % {"left": f"{commitment.outstanding:,.2f}"},
            field="amount",
        )
    receipt = Receipt.objects.create(
        commitment=commitment, amount=amount, received_on=received_on, reference=reference, recorded_by=actor
    )
    commitment.received += amount
    commitment.save(update_fields=["received"])
    _ledger(project, EntryKind.RECEIPT, amount, actor=actor, commitment=commitment, memo=reference or commitment.funder)
    audit_record(
        actor=actor,
        action="project.receipt_recorded",
        obj=project,
        area=project.area,
        after={"commitment": commitment.pk, "amount": str(amount)},
    )
    return receipt


# --- milestones and progress --------------------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, actor, project, title: str, due_on, is_midpoint: bool = False) -> Milestone:
    project = locked_project(project)
    require_perm(
        actor, "funding.report_progress", project, _("Only the implementer or an official can plan milestones.")
    )
    if project.state in (S.CLOSED, S.CANCELLED, S.ACCEPTED):
        raise Conflict("project_finished", _("This project is finished."))
    ((title, due, midpoint),) = _clean_milestones(
        [{"title": title, "due_on": due_on, "is_midpoint": is_midpoint}], project.planned_start, project.planned_end
    ) or [(None, None, None)]
    if title is None:
        raise InvalidInput("required", _("Name the milestone."), field="title")
    if midpoint and project.milestones.filter(is_midpoint=True).exists():
        raise InvalidInput("one_midpoint", _("This project already has a mid-point milestone."), field="is_midpoint")
    position = project.milestones.count()
    milestone = Milestone.objects.create(
        project=project, position=position, title=title, due_on=due, is_midpoint=midpoint
    )
    audit_record(
        actor=actor,
        action="project.milestone_added",
        obj=project,
        area=project.area,
        after={"title": title, "due_on": due.isoformat()},
    )
    return milestone


@transaction.atomic
def progress_report(
    *, actor, project, text: str, spend_to_date, reported_on=None, milestone=None, files=()
) -> ProgressReport:
    """A progress report; naming a milestone marks it reached."""
    project = locked_project(project)
    require_perm(actor, "funding.report_progress", project, _("Only the implementer can report progress."))
    if project.state != S.IN_PROGRESS:
        raise Conflict("not_in_progress", _("Progress is reported while the work is in progress."))
    body = _text(text, "text", limit=5000, required=True, message=_("Describe what was done."))
    spent = money(spend_to_date, "spend_to_date")
    reported_on = day(reported_on, "reported_on", required=False) or timezone.localdate()
    if reported_on > timezone.localdate():
        raise InvalidInput("date_in_future", _("A report cannot be dated in the future."), field="reported_on")
    if milestone is not None:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if milestone.project_id != project.pk:
            raise InvalidInput("milestone_invalid", _("Choose a milestone of this project."), field="milestone")
        if milestone.reached_at is not None:
            raise Conflict("milestone_reached", _("This milestone was already reached."))
    report = ProgressReport.objects.create(
        project=project, milestone=milestone, author=actor, text=body, spend_to_date=spent, reported_on=reported_on
    )
    _photos(project, files, report=report)
    if milestone is not None:
        milestone.reached_at = timezone.now()
        milestone.save(update_fields=["reached_at"])
        project_story(project, "project.milestone_reached", actor=actor, params={"milestone": milestone.title})
    else:
        project_story(project, "project.progress", actor=actor, params={"spent": f"{spent:,.2f}"})
    audit_record(
        actor=actor,
        action="project.progress_reported",
        obj=project,
        area=project.area,
        after={"spend_to_date": str(spent), "milestone": milestone.pk if milestone else None},
    )
    return report


def notify_overdue_milestones(now=None) -> int:
    """Tell the officials of the area once about each milestone that passed its date unreached (tick job)."""
    today = timezone.localdate(now or timezone.now())
    count = 0
    due = Milestone.objects.filter(
        reached_at__isnull=True,
        due_on__lt=today,
        overdue_notified_at__isnull=True,
        project__state__in=[S.PLANNED, S.IN_PROGRESS],
    ).select_related("project__area")
    for milestone in due:
        with transaction.atomic():
            claimed = Milestone.objects.filter(pk=milestone.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if not claimed:  # another machine's tick took it
                continue
            for official in _officials_of(milestone.project):
                notify(
                    recipient=official,
                    kind="project.milestone_overdue",
                    title=gettext_lazy("Milestone “%(milestone)s” of “%(title)s” is overdue"),
                    params={"milestone": milestone.title, "title": milestone.project.title},
                    url=milestone.project.get_absolute_url(),
                )
            count += 1
    return count


# --- inspection (验收) ------------------------------------------------------------------------------------


def _points(value, field: str, *, positive: bool = False) -> Decimal:
    """A checklist score or maximum: a number of points, not negative (above zero for a maximum), at most
    1,000, with at most two decimals."""
    points = number(value, field)
    if points is None:
        raise InvalidInput("required", _("Enter the points."), field=field)
    if not (Decimal(0) < points if positive else Decimal(0) <= points) or points > 1000:
        raise InvalidInput(
            "points_range",
            _("Points are between 0 and 1,000.") if not positive else _("The maximum is above 0 and at most 1,000."),
            field=field,
        )
    if points != points.quantize(Decimal("0.01")):
        raise InvalidInput("points_precision", _("Points have at most two decimals."), field=field)
    return points.quantize(Decimal("0.01"))


def _clean_checklist(rows) -> tuple[list[dict], Decimal]:
    clean, total, most = [], Decimal(0), Decimal(0)
    for index, row in enumerate(rows or []):
        item = _text(row.get("item"), f"checklist.{index}.item", limit=120)
        if not item and row.get("score") in (None, ""):
            continue
        if not item:
            raise InvalidInput("required", _("Name each item of the checklist."), field=f"checklist.{index}.item")
        top = row.get("max")
        top = _points(10 if top in (None, "") else top, f"checklist.{index}.max", positive=True)
        score = _points(row.get("score"), f"checklist.{index}.score")
        if score > top:
            raise InvalidInput(
                "score_above_max",
                _("“%(item)s” scores at most %(max)s.") % {"item": item, "max": top.normalize()},
                field=f"checklist.{index}.score",
            )
        clean.append({"item": item, "score": str(score), "max": str(top)})
        total += score
        most += top
    if not clean:
        raise InvalidInput("checklist_required", _("Score at least one item of the checklist."), field="checklist")
    if len(clean) > MAX_CHECKLIST:
        raise InvalidInput(
            "too_many_items", _("At most %(n)s checklist items.") % {"n": MAX_CHECKLIST}, field="checklist"
        )
    score = (total * 100 / most).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return clean, score


@transaction.atomic
def inspection_record(
    *,
    actor,
    project,
    checklist: list[dict],
    verified_cost,
    result: str,
    invoices: str = "",
    remarks: str = "",
    defects: str = "",
    files=(),
) -> Inspection:
    """The official's signed acceptance inspection: accepted, or back to work with the defects listed."""
    project = locked_project(project)
    require_perm(actor, "funding.inspect", project, _("Only an official of this area can inspect its projects."))
    if Membership.objects.filter(organisation_id=project.implementer_id, user=actor).exists():
        raise NotAllowed(
            "inspects_own_organisation", _("You cannot inspect a project of an organisation you belong to.")
        )
    if project.state != S.COMPLETED:
        raise Conflict("not_completed", _("A project is inspected after the implementer reports completion."))
    if result not in InspectionResult.values:
        raise InvalidInput("result_invalid", _("Choose accepted or rework."), field="result")
    items, score = _clean_checklist(checklist)
    cost = money(verified_cost, "verified_cost", required=result == InspectionResult.ACCEPTED)
    defects = _text(defects, "defects", limit=3000)
    if result == InspectionResult.REWORK and not defects:
        raise InvalidInput("defects_required", _("List the defects to put right."), field="defects")
    inspection = Inspection.objects.create(
        project=project,
        inspector=actor,
        checklist=items,
        score=score,
        verified_cost=cost if cost is not None else Decimal("0.00"),
        invoices=_text(invoices, "invoices", limit=500),
        remarks=_text(remarks, "remarks", limit=3000),
        defects=defects,
        result=result,
    )
    _photos(project, files, inspection=inspection)
    if result == InspectionResult.ACCEPTED:
        project.accepted_at = inspection.signed_at
        _move(
            project,
            S.ACCEPTED,
            actor=actor,
            verb="project.accepted",
            params={"score": f"{score}", "cost": f"{cost:,.2f}"},
            fields=["accepted_at"],
        )
    else:
        project.rework_count += 1
        project.completed_at = None
        _move(
            project,
            S.IN_PROGRESS,
            actor=actor,
            verb="project.rework",
            reason=defects,
            params={"defects": defects},
            fields=["rework_count", "completed_at"],
        )
    return inspection


# --- satisfaction (满意度) ---------------------------------------------------------------------------------


@transaction.atomic
def rating_submit(*, user, project, level, comment: str = "") -> SatisfactionRating:
    """An eligible resident rates an accepted project in the rating period; one rating, changed at most once."""
    from ..selectors.projects import rating_window

    project = MicroProject.objects.select_related("area").get(pk=project.pk)
    opens, closes = rating_window(project)
    now = timezone.now()
    if opens is None or not opens <= now < closes:
        raise Conflict(
            "rating_closed", _("This project cannot be rated now: ratings open for a set period after acceptance.")
        )
    if not is_eligible(user, project.area):
        raise NotAllowed("not_eligible", _("Only verified residents of this area can rate its projects."))
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in SatisfactionLevel.values:
        raise InvalidInput("level_invalid", _("Choose one of the five levels."), field="level")
    comment = _text(comment, "comment", limit=500)
    existing = SatisfactionRating.objects.select_for_update().filter(project=project, user=user).first()
    if existing is not None:
        if existing.changed_at is not None:
            raise Conflict("rating_changed_already", _("You have already changed your rating once."))
        existing.level, existing.comment, existing.changed_at = level, comment, now
        existing.save(update_fields=["level", "comment", "changed_at"])
        return existing
    try:
        with transaction.atomic():
            return SatisfactionRating.objects.create(project=project, user=user, level=level, comment=comment)
    except IntegrityError:
        raise Conflict("rated_already", _("You have already rated this project.")) from None
