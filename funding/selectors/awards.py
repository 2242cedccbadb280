"""Reading awards: the rules the awards page shows and the award services apply, written once."""

from decimal import Decimal

from .. import subsidy
from ..models import AdvanceCondition, AwardStage, AwardStatus, ProjectState
from . import projects as project_selectors
from .policy import policy_in_force

ZERO = Decimal("0.00")
CONDITION_ORDER = [c.value for c in AdvanceCondition]
STOPPED = (ProjectState.SUSPENDED, ProjectState.CANCELLED)  # no award, approval or payment meanwhile
COMPUTABLE = {  # the states in which each stage of award may be computed
    AwardStage.PROVISIONAL: (
        ProjectState.PLANNED,
        ProjectState.IN_PROGRESS,
        ProjectState.COMPLETED,
        ProjectState.ACCEPTED,
    ),
    AwardStage.SETTLEMENT: (ProjectState.ACCEPTED,),
}


def advance_due(award, condition: str, met: set, already_paid: Decimal) -> Decimal:
    """What paying the advance at `condition` pays: the cumulative share of the provisional award up to that
    point (counting only the points reached), less what was paid already."""
    upto = set(CONDITION_ORDER[: CONDITION_ORDER.index(condition) + 1]) & met
    return subsidy.advance_due(
        provisional=award.amount,
        policy=award.policy.as_policy(),
        conditions_met=upto,
        already_paid=already_paid,
    ).amount


def advance_schedule(award, met: set, already_paid: Decimal) -> list[dict]:
    """The policy's advance schedule for an approved provisional award: each point, whether it is reached,
    and what paying it now would pay."""
    return [
        {
            "condition": condition,
            "label": AdvanceCondition(condition).label,
            "share": share,
            "met": condition in met,
            "due": advance_due(award, condition, met, already_paid) if condition in met else ZERO,
        }
        for condition, share in award.policy.advances
    ]


def live_stages(awards) -> set:
    """The stages with an award under notice or approved (at most one award each)."""
    return {a.stage for a in awards if a.status in (AwardStatus.NOTICE, AwardStatus.APPROVED)}


def computable_stages(project, awards) -> list[dict]:
    """The stages an official may compute now, judged as the service does: one live award per stage, no
    provisional award once the project is being settled, no settlement while the provisional award is
    under notice, and a settlement only after an accepted inspection and the end of the rating period."""
    live = live_stages(awards)
    if AwardStage.SETTLEMENT in live:
        live.add(AwardStage.PROVISIONAL)
    if any(a.stage == AwardStage.PROVISIONAL and a.status == AwardStatus.NOTICE for a in awards):
        live.add(AwardStage.SETTLEMENT)
    stages = []
    candidates = [s for s in AwardStage if s not in live and project.state in COMPUTABLE[s]]
    if not candidates or policy_in_force(project.area) is None:
        return stages
    for stage in candidates:
        if stage == AwardStage.SETTLEMENT:
            if not project_selectors.rating_period(project)["over"]:
                continue
            if project_selectors.latest_accepted_inspection(project) is None:
                continue
        stages.append({"stage": stage.value, "label": stage.label})
    return stages
