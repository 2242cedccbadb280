"""Incentive-for-subsidy (以奖代补) awards: computed, put under public notice, objected to and answered,
approved under the area-year cap (with the area's row locked), advanced and settled; every movement of
money is an append-only ledger entry."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import Area
from civic.money import format_yuan, parse_amount
from civic.services import audit_record, require_perm
from civic.text import clean_text
from civic.workdays import add_working_days

from .. import subsidy
from ..models import (
    AdvanceCondition,
    AwardObjection,
    AwardStage,
    AwardStatus,
    EntryKind,
    LedgerEntry,
    MicroProject,
    ObjectionStatus,
    SubsidyAward,
)
from ..selectors import awards as award_selectors
from ..selectors import projects as project_selectors
from ..selectors.policy import policy_in_force
from .common import (
    AWARD_REASON_MAX,
    LEDGER_REASON_MAX,
    OBJECTION_ANSWER_MAX,
    OBJECTION_TEXT_MAX,
    REFERENCE_MAX,
    locked_project,
    objections_follow,
    project_story,
)
from .ledger import ledger_post

STOPPED = award_selectors.STOPPED


def _jsonable(steps) -> list:
    return [[code, {k: str(v) for k, v in figures.items()}] for code, figures in steps]


def area_year_used(area: Area, year: int) -> Decimal:
    """What the approved awards charged to (area, year) add up to, from the ledger."""
    value = LedgerEntry.objects.filter(area=area, year=year, kind=EntryKind.AWARD).aggregate(s=Sum("amount"))["s"]
    return value or Decimal("0.00")


def _sum(project, kind) -> Decimal:
    value = LedgerEntry.objects.filter(project=project, kind=kind).aggregate(s=Sum("amount"))["s"]
    return value or Decimal("0.00")


def _approved(project, stage) -> SubsidyAward | None:
    return SubsidyAward.objects.filter(project=project, stage=stage, status=AwardStatus.APPROVED).first()


def _live(project, stage):
    """The award of this stage under notice or approved (at most one: a constraint)."""
    return SubsidyAward.objects.filter(
        project=project, stage=stage, status__in=[AwardStatus.NOTICE, AwardStatus.APPROVED]
    )


def _compute(project: MicroProject, stage: str, policy, *, base_override=None) -> dict:
    """The figures of an award computed now (used both when noticing and again when approving)."""
    if stage == AwardStage.PROVISIONAL:
        year = timezone.localdate().year
        base = project.budget if base_override is None else base_override
        used = area_year_used(policy.area, year)
        award = subsidy.provisional_award(approved_budget=base, policy=policy.as_policy(), area_year_used=used)
        return {
            "base": base,
            "amount": award.amount,
            "payout": Decimal("0.00"),
            "recovery": Decimal("0.00"),
            "steps": award.steps,
            "year": year,
            "used": used,
        }
    provisional = _approved(project, AwardStage.PROVISIONAL)
    year = provisional.charge_year if provisional else timezone.localdate().year
    used = area_year_used(policy.area, year) - (provisional.amount if provisional else Decimal(0))
    inspection = project_selectors.latest_accepted_inspection(project)
    if inspection is None:
        raise Conflict("not_inspected", _("A settlement needs an accepted inspection."))
    base = inspection.verified_cost if base_override is None else base_override
    rated = project_selectors.satisfaction(project)
    result = subsidy.settle(
        verified_cost=base,
        residents_money=project_selectors.residents_money(project),
        acceptance_score=inspection.score,
        satisfaction_rate=rated["rate"],
        policy=policy.as_policy(),
        area_year_used=used,
        advances_paid=_sum(project, EntryKind.ADVANCE),
    )
    return {
        "base": base,
        "amount": result.award,
        "payout": result.payout,
        "recovery": result.recovery,
        "steps": result.steps,
        "year": year,
        "used": used,
    }


def _notice(*, actor, project, stage, base_override=None, reason: str = "") -> SubsidyAward:
    if project.state in STOPPED:
        raise Conflict("project_stopped", _("No award is computed for a suspended or cancelled project."))
    if _live(project, stage).exists():
        raise Conflict("award_exists", _("This project already has this award under notice or approved."))
    provisional = _approved(project, AwardStage.PROVISIONAL) if stage == AwardStage.SETTLEMENT else None
    # a project keeps the policy version of its approved provisional award, and its charge
    policy = provisional.policy if provisional else policy_in_force(project.area)
    if policy is None:
        raise Conflict("no_policy", _("No subsidy policy is in force for this area."))
    if stage == AwardStage.SETTLEMENT:
        # a provisional award approved after the settlement would be charged on top of it
        if SubsidyAward.objects.filter(
            project=project, stage=AwardStage.PROVISIONAL, status=AwardStatus.NOTICE
        ).exists():
            raise Conflict("award_pending", _("Approve or cancel the provisional award before the settlement."))
        if project.state not in award_selectors.COMPUTABLE[stage]:
            raise Conflict("not_accepted", _("A settlement is computed after the project is accepted."))
        period = project_selectors.rating_period(project)
        if not period["over"]:
            raise Conflict(
                "rating_open",
                _("Residents can rate this project until %(date)s; settle after that.")
                % {"date": timezone.localtime(period["closes"]).strftime("%Y-%m-%d %H:%M")},
            )
    elif project.state not in award_selectors.COMPUTABLE[stage]:
        raise Conflict("project_finished", _("This project is finished."))
    elif _live(project, AwardStage.SETTLEMENT).exists():
        raise Conflict("settlement_exists", _("This project is being settled; no provisional award now."))
    figures = _compute(project, stage, policy, base_override=base_override)
    now = timezone.now()
    award = SubsidyAward.objects.create(
        project=project,
        stage=stage,
        policy=policy,
        base=figures["base"],
        amount=figures["amount"],
        payout=figures["payout"],
        recovery=figures["recovery"],
        steps=_jsonable(figures["steps"]),
        computed_by=actor,
        computed_at=now,
        notice_until=now + timedelta(days=policy.notice_days),
        objections_until=now + timedelta(days=policy.objection_days),
        charge_area=policy.area,
        status_reason=reason,
    )
    audit_record(
        actor=actor,
        action=f"award.{stage}_noticed",
        obj=award,
        area=project.area,
        after={"amount": str(award.amount), "policy": policy.pk, "base": str(award.base)},
    )
    project_story(
        project,
        f"award.{stage}_noticed",
        actor=actor,
        params={
            "amount": format_yuan(award.amount),
            "until": timezone.localtime(award.notice_until).strftime("%Y-%m-%d"),
        },
    )
    return award


@transaction.atomic
def award_compute(*, actor, project, stage: str) -> SubsidyAward:
    """Compute the provisional award or the settlement and put it under public notice (公示)."""
    project = locked_project(project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can compute awards."))
    if stage not in AwardStage.values:
        raise InvalidInput("stage_invalid", _("Choose the provisional award or the settlement."), field="stage")
    return _notice(actor=actor, project=project, stage=stage)


@transaction.atomic
def award_recompute(*, actor, award, reason: str, cancel: bool = False) -> SubsidyAward | None:
    """Replace an award under notice by one computed from today's figures (a new notice period), or
    cancel it: the way out when the caps or the figures changed since it was noticed."""
    award = SubsidyAward.objects.select_for_update().get(pk=award.pk)
    project = locked_project(award.project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can recompute awards."))
    reason = clean_text(
        reason, field="reason", limit=AWARD_REASON_MAX, required=True, message=_("Say why the award is recomputed.")
    )
    if award.status != AwardStatus.NOTICE:
        raise Conflict("award_not_pending", _("Only an award under public notice can be recomputed."))
    if award.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise Conflict("objections_open", _("Answer every objection first."))
    award.status = AwardStatus.CANCELLED if cancel else AwardStatus.SUPERSEDED
    award.status_reason = reason
    award.save(update_fields=["status", "status_reason"])
    audit_record(
        actor=actor,
        action="award.recomputed",
        obj=award,
        area=project.area,
        after={"reason": reason, "cancelled": cancel},
    )
    if cancel:
        project_story(project, "award.cancelled", actor=actor, params={"reason": reason})
        return None
    return _notice(actor=actor, project=project, stage=award.stage, reason=reason)


# --- objections ---------------------------------------------------------------------------------------------


@transaction.atomic
def objection_file(*, user, award, text: str) -> AwardObjection:
    """Anyone signed in may object to an award while its objection window is open."""
    if not user.has_perm("funding.object_to_award", award):
        raise NotAllowed("login_required", _("Sign in to file an objection."))
    award = SubsidyAward.objects.select_for_update(of=("self",)).select_related("policy", "project").get(pk=award.pk)
    body = clean_text(
        text, field="text", limit=OBJECTION_TEXT_MAX, required=True, message=_("Say what is wrong with this award.")
    )
    if award.status != AwardStatus.NOTICE or timezone.now() >= award.objections_until:
        raise Conflict("objections_closed", _("Objections to this award are closed."))
    if AwardObjection.objects.filter(award=award, author=user, status=ObjectionStatus.OPEN).exists():
        raise Conflict("objection_open", _("Your earlier objection to this award is still waiting for its answer."))
    objection = AwardObjection.objects.create(
        award=award,
        author=user,
        text=body,
        answer_due=add_working_days(timezone.localdate(), award.policy.answer_days),
    )
    audit_record(
        actor=user,
        action="award.objection_filed",
        obj=award,
        area=award.project.area,
        after={"objection": objection.pk},
    )
    project_story(award.project, "award.objection_filed", params={"due": objection.answer_due.isoformat()})
    return objection


@transaction.atomic
def objection_answer(*, actor, objection, upheld: bool, answer: str, corrected_base=None) -> AwardObjection:
    """An official answers an objection. Upheld: the award is recomputed on the corrected figure (a new
    notice period) or, with no figure, cancelled. Rejected: the reason is the answer."""
    objection = (
        AwardObjection.objects.select_for_update(of=("self",)).select_related("award__project").get(pk=objection.pk)
    )
    award = SubsidyAward.objects.select_for_update().get(pk=objection.award_id)
    project = locked_project(award.project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can answer objections."))
    answer = clean_text(
        answer,
        field="answer",
        limit=OBJECTION_ANSWER_MAX,
        required=True,
        message=_("Write the answer to the objection."),
    )
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict("objection_answered", _("This objection has already been answered."))
    base = parse_amount(corrected_base, field="corrected_base", required=False)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.answer, objection.answered_by, objection.answered_at = answer, actor, timezone.now()
    objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if upheld and award.status == AwardStatus.NOTICE:
        award.status = AwardStatus.SUPERSEDED if base is not None else AwardStatus.CANCELLED
        award.status_reason = answer
        award.save(update_fields=["status", "status_reason"])
        if base is not None:
            successor = _notice(actor=actor, project=project, stage=award.stage, base_override=base, reason=answer)
            objections_follow(award, actor=actor, reason=answer, successor=successor)
        else:
            objections_follow(award, actor=actor, reason=answer)
            project_story(project, "award.cancelled", actor=actor, params={"reason": answer})
    audit_record(
        actor=actor,
        action="award.objection_answered",
        obj=award,
        area=project.area,
        after={"objection": objection.pk, "upheld": upheld, "corrected_base": str(base) if base else None},
    )
    project_story(project, "award.objection_answered", actor=actor, params={"outcome": objection.status})
    return objection


# --- approval ---------------------------------------------------------------------------------------------


@transaction.atomic
def award_approve(*, actor, award) -> SubsidyAward:
    """Approve an award after its notice period, every objection answered, within every cap.

    The policy area's row is locked first, so two approvals that together would pass the area-year cap
    are taken one after the other and the second sees the first.
    """
    award = SubsidyAward.objects.select_related("policy__area", "project").get(pk=award.pk)
    Area.objects.select_for_update().get(pk=award.charge_area_id)
    award = SubsidyAward.objects.select_for_update(of=("self",)).select_related("policy__area").get(pk=award.pk)
    project = locked_project(award.project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can approve awards."))
    if award.status != AwardStatus.NOTICE:
        raise Conflict("award_not_pending", _("Only an award under public notice can be approved."))
    if project.state in STOPPED:
        raise Conflict("project_stopped", _("Payments and approvals stop while a project is suspended."))
    now = timezone.now()
    if now < award.notice_until or now < award.objections_until:
        raise Conflict(
            "notice_running",
            _("The public notice runs until %(date)s.")
            % {"date": timezone.localtime(max(award.notice_until, award.objections_until)).strftime("%Y-%m-%d %H:%M")},
        )
    if award.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise Conflict("objections_open", _("Answer every objection before approving."))
    policy = award.policy
    figures = _compute(project, award.stage, policy, base_override=award.base)
    if figures["amount"] < award.amount:
        left = (policy.cap_per_area_year or Decimal(0)) - figures["used"]
        if any(code == "area_year_cap" for code, _f in figures["steps"]):
            raise Conflict(
                "area_year_cap_exceeded",
                _("Approving %(amount)s would pass the area's yearly cap: only %(left)s is left for %(year)s.")
                % {
                    "amount": format_yuan(award.amount),
                    "left": format_yuan(max(left, Decimal(0))),
                    "year": figures["year"],
                },
            )
        raise Conflict("award_stale", _("The figures changed since the notice: compute the award again."))
    if figures["amount"] != award.amount or figures["payout"] != award.payout or figures["recovery"] != award.recovery:
        raise Conflict("award_stale", _("The figures changed since the notice: compute the award again."))
    award.status, award.approved_by, award.approved_at = AwardStatus.APPROVED, actor, now
    award.charge_year = figures["year"]
    award.save(update_fields=["status", "approved_by", "approved_at", "charge_year"])
    provisional = _approved(project, AwardStage.PROVISIONAL) if award.stage == AwardStage.SETTLEMENT else None
    charge = award.amount - (provisional.amount if provisional else Decimal(0))
    charged_to = {"area": award.charge_area, "year": award.charge_year, "award": award}
    ledger_post(
        project=project,
        kind=EntryKind.AWARD,
        amount=charge,
        actor=actor,
        audit=(f"award.{award.stage}_approved", award, {"amount": str(award.amount), "year": award.charge_year}),
        story=f"award.{award.stage}_approved",
        story_params={"amount": format_yuan(award.amount)},
        **charged_to,
    )
    if award.recovery > 0:
        ledger_post(project=project, kind=EntryKind.RECOVERY_DUE, amount=award.recovery, actor=actor, **charged_to)
    return award


# --- payments ----------------------------------------------------------------------------------------------


def _payment_guard(project) -> None:
    if project.state in STOPPED:
        raise Conflict(
            "payments_stopped",
            _("Payments stop while the project is suspended or cancelled: %(reason)s")
            % {"reason": project.state_reason or "—"},
        )


def _locked_award(award) -> SubsidyAward:
    return SubsidyAward.objects.select_for_update(of=("self",)).select_related("policy", "charge_area").get(pk=award.pk)


@transaction.atomic
def advance_pay(*, actor, award, condition: str) -> LedgerEntry:
    """Pay the advance due at `condition`: the cumulative share reached, less what was paid already."""
    award = _locked_award(award)
    project = locked_project(award.project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can pay awards."))
    _payment_guard(project)
    if award.stage != AwardStage.PROVISIONAL or award.status != AwardStatus.APPROVED:
        raise Conflict("award_not_approved", _("Advances are paid on an approved provisional award."))
    if _live(project, AwardStage.SETTLEMENT).exists():  # its payout counts the advances paid until then
        raise Conflict("settled", _("This project is being settled; no more advances."))
    schedule = dict(award.policy.advances)
    if condition not in schedule:
        raise InvalidInput("condition_invalid", _("The policy has no advance at this point."), field="condition")
    met = project_selectors.conditions_met(project)
    if condition not in met:
        raise Conflict(
            "condition_not_met",
            _("The advance “%(condition)s” is paid once that point is reached.")
            % {"condition": AdvanceCondition(condition).label},
        )
    due = award_selectors.advance_due(award, condition, met, _sum(project, EntryKind.ADVANCE))
    if due <= 0:
        raise Conflict("nothing_due", _("This advance has already been paid."))
    return ledger_post(
        project=project,
        area=award.charge_area,
        year=award.charge_year,
        kind=EntryKind.ADVANCE,
        amount=due,
        actor=actor,
        award=award,
        condition=condition,
        audit=("award.advance_paid", award, {"amount": str(due), "condition": condition}),
        story="award.advance_paid",
        story_params={"amount": format_yuan(due), "condition": condition},
    )


@transaction.atomic
def settlement_pay(*, actor, award) -> LedgerEntry:
    """Pay what the approved settlement leaves to pay after the advances."""
    award = _locked_award(award)
    project = locked_project(award.project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can pay awards."))
    _payment_guard(project)
    if award.stage != AwardStage.SETTLEMENT or award.status != AwardStatus.APPROVED:
        raise Conflict("award_not_approved", _("The settlement is paid once it is approved."))
    due = award.payout - _sum(project, EntryKind.SETTLEMENT)
    if due <= 0:
        raise Conflict("nothing_due", _("The settlement has already been paid."))
    return ledger_post(
        project=project,
        area=award.charge_area,
        year=award.charge_year,
        kind=EntryKind.SETTLEMENT,
        amount=due,
        actor=actor,
        award=award,
        audit=("award.settlement_paid", award, {"amount": str(due)}),
        story="award.settlement_paid",
        story_params={"amount": format_yuan(due)},
    )


@transaction.atomic
def recovery_record(*, actor, award, amount, reference: str = "") -> LedgerEntry:
    """Money the implementer paid back after a settlement below the advances."""
    award = _locked_award(award)
    project = locked_project(award.project)
    require_perm(actor, "funding.award", project, _("Only an official of this area can record recoveries."))
    if award.stage != AwardStage.SETTLEMENT or award.status != AwardStatus.APPROVED:
        raise Conflict("award_not_approved", _("Recoveries are recorded against the approved settlement."))
    amount = parse_amount(amount, field="amount", required=True, positive=True)
    owed = _sum(project, EntryKind.RECOVERY_DUE) - _sum(project, EntryKind.RECOVERY)
    if amount > owed:
        raise InvalidInput(
            "recovery_above_owed", _("Only %(owed)s is owed back.") % {"owed": format_yuan(owed)}, field="amount"
        )
    return ledger_post(
        project=project,
        area=award.charge_area,
        year=award.charge_year,
        kind=EntryKind.RECOVERY,
        amount=amount,
        actor=actor,
        award=award,
        memo=clean_text(reference, field="reference", limit=REFERENCE_MAX),
        audit=("award.recovered", award, {"amount": str(amount)}),
        story="award.recovered",
        story_params={"amount": format_yuan(amount)},
    )


CORRECTABLE = (EntryKind.RECEIPT, EntryKind.ADVANCE, EntryKind.SETTLEMENT, EntryKind.RECOVERY)


@transaction.atomic
def ledger_correct(*, actor, entry, reason: str) -> LedgerEntry:
    """Reverse a mistaken payment or receipt with an entry of the opposite amount; the original stays."""
    entry = LedgerEntry.objects.select_for_update(of=("self",)).select_related("project__area").get(pk=entry.pk)
    project = locked_project(entry.project)
    require_perm(actor, "funding.manage_project", project, _("Only an official of this area can correct the ledger."))
    reason = clean_text(
        reason, field="reason", limit=LEDGER_REASON_MAX, required=True, message=_("Say why the entry is reversed.")
    )
    if entry.kind not in CORRECTABLE:
        raise Conflict(
            "not_correctable",
            _("Awards and commitments are changed through their own steps, not by reversing ledger lines."),
        )
    if entry.reverses_id is not None or LedgerEntry.objects.filter(reverses=entry).exists():
        raise Conflict("already_reversed", _("This entry is a reversal or has already been reversed."))
    if entry.kind == EntryKind.ADVANCE and _live(project, AwardStage.SETTLEMENT).exists():
        # the settlement counted this advance as paid: reversing it now would leave the implementer short
        raise Conflict(
            "settlement_counts_it",
            _("The settlement already counts this advance; recompute the settlement before reversing it."),
        )
    if entry.kind == EntryKind.RECEIPT and entry.commitment_id:
        from ..models import Commitment

        commitment = Commitment.objects.select_for_update().get(pk=entry.commitment_id)
        commitment.received -= entry.amount
        commitment.save(update_fields=["received"])
    return ledger_post(
        project=project,
        area=entry.area,
        year=entry.year,
        kind=entry.kind,
        amount=-entry.amount,
        actor=actor,
        commitment_id=entry.commitment_id,
        award_id=entry.award_id,
        condition=entry.condition,
        reverses=entry,
        memo=reason,
        audit=("ledger.corrected", project, {"reverses": entry.pk, "amount": str(-entry.amount), "reason": reason}),
    )
