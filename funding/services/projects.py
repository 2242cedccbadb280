"""Micro-projects: creation (from an adopted proposal or directly) and the moves of the state machine."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.models import Area, Organisation
from civic.money import LIMIT, parse_amount
from civic.services import audit_record, notify, require_perm
from civic.text import clean_text
from proposals.models import PledgeKind, Proposal, ProposalState
from proposals.services import proposal_complete, proposal_start_implementation

from ..models import (
    PROJECT_STATES,
    AwardStage,
    AwardStatus,
    BudgetLine,
    Commitment,
    EntryKind,
    FundingSource,
    MicroProject,
    Milestone,
    ProgressReport,
    SubsidyAward,
)
from ..models import ProjectState as S
from .common import (
    ITEM_MAX,
    LOCATION_MAX,
    PROJECT_REASON_MAX,
    PROJECT_TITLE_MAX,
    REPORT_MAX,
    SCOPE_MAX,
    clean_milestones,
    day,
    locked_project,
    objections_follow,
    officials_of,
    project_move,
    project_photos,
    project_story,
)
from .ledger import ledger_post

# --- helpers ------------------------------------------------------------------------------------------


def _clean_lines(lines) -> list[tuple[str, Decimal]]:
    clean = []
    for index, line in enumerate(lines or []):
        item = clean_text(line.get("item"), field=f"budget_lines.{index}.item", limit=ITEM_MAX)
        amount_raw = line.get("amount")
        if not item and amount_raw in (None, ""):
            continue
        if not item:
            raise InvalidInput(
                "required", _("Name what each budget line pays for."), field=f"budget_lines.{index}.item"
            )
        clean.append(
            (item, parse_amount(amount_raw, field=f"budget_lines.{index}.amount", required=True, positive=True))
        )
    if not clean:
        raise InvalidInput("budget_required", _("Give at least one budget line."), field="budget_lines")
    if len(clean) > 30:
        raise InvalidInput("too_many_lines", _("At most 30 budget lines."), field="budget_lines")
    if sum(amount for _item, amount in clean) >= LIMIT:  # the budget column holds no more than a line
        raise InvalidInput("amount_too_large", _("This amount is too large."), field="budget_lines")
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
    title = clean_text(
        title, field="title", limit=PROJECT_TITLE_MAX, required=True, message=_("Give the project a title.")
    )
    scope = clean_text(scope, field="scope", limit=SCOPE_MAX, required=True, message=_("Describe the scope of work."))
    location = clean_text(location, field="location", limit=LOCATION_MAX)
    if implementer is None:
        raise InvalidInput("required", _("Choose the implementer."), field="implementer")
    if implementer.is_hidden:
        raise InvalidInput("implementer_hidden", _("This organisation cannot implement projects."), field="implementer")
    start = day(planned_start, "planned_start")
    end = day(planned_end, "planned_end")
    if end < start:
        raise InvalidInput("dates_reversed", _("The planned end comes after the planned start."), field="planned_end")
    lines = _clean_lines(budget_lines)
    plan = clean_milestones(milestones, start, end)
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
            ledger_post(
                project=project, kind=EntryKind.COMMITMENT, amount=commitment.amount, actor=actor, commitment=commitment
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
    project_move(project, S.IN_PROGRESS, actor=actor, verb="project.started", fields=["started_at"])
    return project


@transaction.atomic
def project_report_completion(*, actor, project, report: str, files=()) -> MicroProject:
    """The implementer says the work is done, with evidence; an official then inspects it."""
    project = locked_project(project)
    require_perm(actor, "funding.report_progress", project, _("Only the implementer can report completion."))
    report = clean_text(report, field="report", limit=REPORT_MAX, required=True, message=_("Describe what was built."))
    if project.state != S.IN_PROGRESS:
        raise Conflict("not_in_progress", _("Only a project in progress can be reported complete."))
    project.completion_report = report
    project.completed_at = timezone.now()
    project_move(
        project, S.COMPLETED, actor=actor, verb="project.completed", fields=["completion_report", "completed_at"]
    )
    progress = ProgressReport.objects.create(
        project=project, author=actor, text=report, spend_to_date=_spent(project), reported_on=timezone.localdate()
    )
    project_photos(project, files, report=progress)
    for official in officials_of(project):
        notify(
            recipient=official,
            kind="project.inspection_due",
            title=gettext_lazy("“%(title)s” is ready for inspection"),
            params={"title": project.title},
            url=project.get_absolute_url(),
        )
    return project


@transaction.atomic
def project_suspend(*, actor, project, reason: str) -> MicroProject:
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can suspend a project."))
    reason = clean_text(
        reason, field="reason", limit=PROJECT_REASON_MAX, required=True, message=_("Say why the project is suspended.")
    )
    if project.state == S.SUSPENDED:
        raise Conflict("already_suspended", _("The project is already suspended."))
    previous = project.state
    if not PROJECT_STATES.can(previous, S.SUSPENDED):
        raise Conflict("transition_not_allowed", _("A closed or cancelled project cannot be suspended."))
    project.suspended_from = previous
    project.state_reason = reason
    project_move(
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
    project_move(project, target, actor=actor, verb="project.resumed", fields=["suspended_from", "state_reason"])
    return project


@transaction.atomic
def project_cancel(*, actor, project, reason: str) -> MicroProject:
    """Cancel a project nothing was paid to; its awards are cancelled and what they charged to their
    area-year is given back by reversing entries."""
    # the awards before the project, in the order the award services lock them
    list(SubsidyAward.objects.select_for_update().filter(project_id=project.pk).order_by("pk"))
    project = locked_project(project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can cancel a project."))
    reason = clean_text(
        reason, field="reason", limit=PROJECT_REASON_MAX, required=True, message=_("Say why the project is cancelled.")
    )
    if project.ledger.filter(kind__in=[EntryKind.ADVANCE, EntryKind.SETTLEMENT]).exists():
        raise Conflict(
            "payments_made",
            _("Money has been paid to this project: suspend it and record what is to be recovered instead."),
        )
    project.state_reason = reason
    project.closed_at = timezone.now()
    project_move(
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
        objections_follow(award, actor=actor, reason=reason)
        audit_record(
            actor=actor,
            action="award.cancelled",
            obj=award,
            area=project.area,
            before={"status": before},
            after={"status": award.status, "reason": reason},
        )
    for entry in project.ledger.filter(kind=EntryKind.AWARD, reverses__isnull=True, reversed_by__isnull=True):
        ledger_post(
            project=project,
            kind=EntryKind.AWARD,
            amount=-entry.amount,
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
    project_move(project, S.CLOSED, actor=actor, verb="project.closed", fields=["closed_at"])
    if project.proposal_id and project.proposal.state == ProposalState.IN_IMPLEMENTATION:
        proposal_complete(proposal=project.proposal, actor=actor)
    return project


def _spent(project) -> Decimal:
    last = ProgressReport.objects.filter(project=project).order_by("-reported_on", "-id").first()
    return last.spend_to_date if last else Decimal("0.00")
