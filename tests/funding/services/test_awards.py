"""Awards (以奖代补): provisional award under public notice, objections and answers, approval within the
caps, advances at their conditions, settlement after acceptance and rating, recovery, corrections."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from civic.errors import Conflict, InvalidInput, NotAllowed
from funding import services
from funding.ledger_check import check_ledger
from funding.models import (
    AwardStage,
    AwardStatus,
    EntryKind,
    LedgerEntry,
    ObjectionStatus,
    SubsidyAward,
)
from funding.services.awards import area_year_used
from tests.factories import UserFactory
from tests.world import verify

from ..conftest import POLICY, end_notice, end_rating, plan
from .test_projects import CHECKLIST

pytestmark = pytest.mark.django_db


def total(project, kind):
    return sum(LedgerEntry.objects.filter(project=project, kind=kind).values_list("amount", flat=True), Decimal(0))


def approved_provisional(w, project):
    award = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    end_notice(award)
    return services.award_approve(actor=w["official_here"], award=award)


def test_the_provisional_award_is_noticed_then_approved_and_charged_to_the_policy_area_year(fworld, project):
    w = fworld
    award = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    assert award.amount == Decimal("36000.00")  # 120,000 × 30 %
    assert award.status == AwardStatus.NOTICE and award.policy == w.policy and award.charge_area == w["D1"]
    assert award.steps[0][0] == "share"
    with pytest.raises(Conflict) as error:
        services.award_approve(actor=w["official_here"], award=award)
    assert error.value.code == "notice_running"
    end_notice(award)
    with pytest.raises(NotAllowed):
        services.award_approve(actor=w["representative"], award=award)
    award = services.award_approve(actor=w["official_here"], award=award)
    assert award.status == AwardStatus.APPROVED and award.charge_year is not None
    assert area_year_used(w["D1"], award.charge_year) == Decimal("36000.00")
    with pytest.raises(Conflict):
        services.award_approve(actor=w["official_here"], award=award)
    with pytest.raises(Conflict) as error:
        services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    assert error.value.code == "award_exists"


def test_objections_must_be_answered_and_an_upheld_one_recomputes_the_award(fworld, project):
    w = fworld
    award = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    with pytest.raises(NotAllowed):
        services.objection_file(user=w["visitor"], award=award, text="预算虚高")
    with pytest.raises(InvalidInput):
        services.objection_file(user=w["resident"], award=award, text="  ")
    first = services.objection_file(user=w["resident"], award=award, text="线路检修 4 万元明显偏高")
    with pytest.raises(Conflict) as error:
        services.objection_file(user=w["resident"], award=award, text="再提一次")
    assert error.value.code == "objection_open"
    end_notice(award)
    with pytest.raises(Conflict) as error:
        services.award_approve(actor=w["official_here"], award=award)
    assert error.value.code == "objections_open"
    with pytest.raises(InvalidInput):
        services.objection_answer(
            actor=w["official_here"], objection=first, upheld=True, answer="核减", corrected_base="-1"
        )
    services.objection_answer(
        actor=w["official_here"],
        objection=first,
        upheld=True,
        answer="经核实，线路检修按 2 万元计。",
        corrected_base="100000",
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.SUPERSEDED
    fresh = SubsidyAward.objects.get(project=project, status=AwardStatus.NOTICE)
    assert fresh.amount == Decimal("30000.00") and fresh.base == Decimal("100000.00")
    second = services.objection_file(user=w["resident"], award=fresh, text="还是偏高")
    services.objection_answer(actor=w["official_here"], objection=second, upheld=False, answer="已按市场价核定。")
    second.refresh_from_db()
    assert second.status == ObjectionStatus.REJECTED and second.answered_by == w["official_here"]
    with pytest.raises(Conflict):
        services.objection_answer(actor=w["official_here"], objection=second, upheld=True, answer="改判")
    end_notice(fresh)
    with pytest.raises(Conflict) as error:
        services.objection_file(user=w["resident"], award=fresh, text="晚了")
    assert error.value.code == "objections_closed"
    assert services.award_approve(actor=w["official_here"], award=fresh).amount == Decimal("30000.00")


def test_advances_are_paid_at_their_conditions_never_twice_and_never_while_suspended(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    with pytest.raises(Conflict) as error:
        services.advance_pay(actor=w["official_here"], award=award, condition="start")
    assert error.value.code == "condition_not_met"
    services.project_start(actor=w["representative"], project=project)
    entry = services.advance_pay(actor=w["official_here"], award=award, condition="start")
    assert entry.amount == Decimal("10800.00")  # 30 % of 36,000
    with pytest.raises(Conflict) as error:
        services.advance_pay(actor=w["official_here"], award=award, condition="start")
    assert error.value.code == "nothing_due"
    with pytest.raises(Conflict):
        services.advance_pay(actor=w["official_here"], award=award, condition="midpoint")
    midpoint = project.milestones.get(is_midpoint=True)
    services.progress_report(
        actor=w["representative"], project=project, text="过半", spend_to_date="60000", milestone=midpoint
    )
    services.project_suspend(actor=w["official_here"], project=project, reason="安全检查")
    with pytest.raises(Conflict) as error:
        services.advance_pay(actor=w["official_here"], award=award, condition="midpoint")
    assert error.value.code == "payments_stopped"
    services.project_resume(actor=w["official_here"], project=project)
    assert services.advance_pay(actor=w["official_here"], award=award, condition="midpoint").amount == Decimal(
        "7200.00"
    )
    with pytest.raises(InvalidInput):
        services.advance_pay(actor=w["official_here"], award=award, condition="someday")
    assert total(project, EntryKind.ADVANCE) == Decimal("18000.00")  # 50 % cumulative, never above the award


def _through_acceptance(w, project, *, cost="118000", residents="15000", levels=(5, 5, 4, 3, 2)):
    services.project_start(actor=w["representative"], project=project)
    services.project_report_completion(actor=w["representative"], project=project, report="完工")
    services.inspection_record(
        actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost=cost, result="accepted"
    )
    residents_commitment = project.commitments.get(source="residents")
    if Decimal(residents):
        services.receipt_record(actor=w["official_here"], commitment=residents_commitment, amount=residents)
    for level in levels:
        person = UserFactory()
        verify(person, w["c1a"])
        services.rating_submit(user=person, project=project, level=level)


def test_settlement_pays_the_difference_to_the_advances_and_closes_the_project(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    _through_acceptance(w, project)
    services.advance_pay(actor=w["official_here"], award=award, condition="completion")  # 80 % = 28,800
    with pytest.raises(Conflict) as error:
        services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert error.value.code == "rating_open"
    end_rating(project)
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert settlement.amount == Decimal("35400.00")  # 118,000 × 30 %
    assert settlement.payout == Decimal("6600.00") and settlement.recovery == Decimal("0.00")
    end_notice(settlement)
    settlement = services.award_approve(actor=w["official_here"], award=settlement)
    assert area_year_used(w["D1"], settlement.charge_year) == Decimal("35400.00")
    with pytest.raises(Conflict) as error:
        services.project_close(actor=w["official_here"], project=project)
    assert error.value.code == "settlement_unpaid"
    services.settlement_pay(actor=w["official_here"], award=settlement)
    with pytest.raises(Conflict):
        services.settlement_pay(actor=w["official_here"], award=settlement)
    assert total(project, EntryKind.ADVANCE) + total(project, EntryKind.SETTLEMENT) == Decimal("35400.00")
    services.project_close(actor=w["official_here"], project=project)
    project.proposal.refresh_from_db()
    assert project.proposal.state == "done"


def test_a_minimum_not_met_settles_to_zero_and_the_advances_are_to_be_recovered(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    _through_acceptance(w, project, residents="5000", levels=(5, 4))  # self-funded 5,000 / 118,000 < 10 %
    services.advance_pay(actor=w["official_here"], award=award, condition="completion")
    end_rating(project)
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert settlement.amount == Decimal("0.00") and settlement.recovery == Decimal("28800.00")
    assert "min_self_funded_share" in [code for code, _figures in settlement.steps]
    end_notice(settlement)
    settlement = services.award_approve(actor=w["official_here"], award=settlement)
    assert total(project, EntryKind.RECOVERY_DUE) == Decimal("28800.00")
    with pytest.raises(InvalidInput):
        services.recovery_record(actor=w["official_here"], award=settlement, amount="28800.01")
    services.recovery_record(actor=w["official_here"], award=settlement, amount="28800", reference="退款凭证 7")
    assert area_year_used(w["D1"], settlement.charge_year) == Decimal("0.00")


def test_the_area_year_cap_refuses_an_approval_that_would_pass_it(fworld, adopted):
    w = fworld
    projects = [
        services.project_create(
            actor=w["official_here"],
            area=w["C1"],
            implementer=w.organisation,
            **plan(title=f"项目{i}", budget_lines=[{"item": "工程", "amount": "333000"}]),
        )
        for i in range(3)
    ]
    awards = [services.award_compute(actor=w["official_here"], project=p, stage="provisional") for p in projects]
    assert [a.amount for a in awards] == [Decimal("99900.00")] * 3  # each under the 100,000 project cap
    for award in awards:
        end_notice(award)
    awards[0] = services.award_approve(actor=w["official_here"], award=awards[0])
    services.award_approve(actor=w["official_here"], award=awards[1])
    with pytest.raises(Conflict) as error:
        services.award_approve(actor=w["official_here"], award=awards[2])
    assert error.value.code == "area_year_cap_exceeded"
    awards[2].refresh_from_db()
    assert awards[2].status == AwardStatus.NOTICE
    assert area_year_used(w["D1"], awards[0].charge_year) == Decimal("199800.00")
    # computed afresh now, it is cut to what is left of the 250,000
    services.award_recompute(actor=w["official_here"], award=awards[2], reason="按剩余年度额度重算")
    recomputed = SubsidyAward.objects.get(project=projects[2], status=AwardStatus.NOTICE)
    assert recomputed.amount == Decimal("50200.00")


def test_corrections_reverse_a_payment_once_and_the_ledger_refuses_edits(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    services.project_start(actor=w["representative"], project=project)
    entry = services.advance_pay(actor=w["official_here"], award=award, condition="start")
    with pytest.raises(ProtectedError):
        entry.amount = Decimal("1")
        entry.save()
    with pytest.raises(ProtectedError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(ProtectedError):
        entry.delete()
    entry = LedgerEntry.objects.get(pk=entry.pk)
    with pytest.raises(InvalidInput):
        services.ledger_correct(actor=w["official_here"], entry=entry, reason="")
    reversal = services.ledger_correct(actor=w["official_here"], entry=entry, reason="打错账户")
    assert reversal.amount == -entry.amount and reversal.reverses == entry
    with pytest.raises(Conflict):
        services.ledger_correct(actor=w["official_here"], entry=entry, reason="再冲一次")
    award_entry = LedgerEntry.objects.get(project=project, kind=EntryKind.AWARD)
    with pytest.raises(Conflict):
        services.ledger_correct(actor=w["official_here"], entry=award_entry, reason="改奖")
    assert total(project, EntryKind.ADVANCE) == Decimal("0.00")
    # the advance is due again after the reversal
    assert services.advance_pay(actor=w["official_here"], award=award, condition="start").amount == Decimal("10800.00")


def test_no_policy_no_award(pworld, make_proposal):
    w = pworld
    project = services.project_create(actor=w["official_here"], area=w["C1"], implementer=w.organisation, **plan())
    with pytest.raises(Conflict) as error:
        services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    assert error.value.code == "no_policy"
    assert not SubsidyAward.objects.exists()


def test_a_cancelled_project_cancels_its_award_under_notice(fworld, project):
    award = services.award_compute(actor=fworld["official_here"], project=project, stage=AwardStage.PROVISIONAL)
    services.project_cancel(actor=fworld["official_here"], project=project, reason="方案调整")
    award.refresh_from_db()
    assert award.status == AwardStatus.CANCELLED


def _rated_and_due_for_settlement(w, project):
    _through_acceptance(w, project)
    end_rating(project)


def test_no_advance_is_paid_once_a_settlement_is_under_notice(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    _rated_and_due_for_settlement(w, project)  # every condition met, no advance paid yet
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert settlement.payout == Decimal("35400.00")  # computed on nothing advanced
    with pytest.raises(Conflict) as error:
        services.advance_pay(actor=w["official_here"], award=award, condition="completion")
    assert error.value.code == "settled"
    assert total(project, EntryKind.ADVANCE) == Decimal("0.00")
    end_notice(settlement)
    services.award_approve(actor=w["official_here"], award=settlement)
    services.settlement_pay(actor=w["official_here"], award=settlement)
    assert total(project, EntryKind.SETTLEMENT) == Decimal("35400.00")


def test_a_settlement_and_a_provisional_award_are_never_live_together(fworld, project):
    """Either order would charge the area-year twice: the settlement charges the whole award when no
    provisional award was approved, and a provisional award approved afterwards would charge it again."""
    w = fworld
    provisional = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    _rated_and_due_for_settlement(w, project)
    with pytest.raises(Conflict) as error:
        services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert error.value.code == "award_pending"
    services.award_recompute(actor=w["official_here"], award=provisional, reason="直接结算", cancel=True)
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    for approve in (True, False):  # refused while the settlement is under notice, then once it is approved
        with pytest.raises(Conflict) as error:
            services.award_compute(actor=w["official_here"], project=project, stage="provisional")
        assert error.value.code == "settlement_exists"
        if approve:
            end_notice(settlement)
            settlement = services.award_approve(actor=w["official_here"], award=settlement)
    assert area_year_used(w["D1"], settlement.charge_year) == Decimal("35400.00")
    assert SubsidyAward.objects.filter(project=project, stage=AwardStage.PROVISIONAL).get().status == "cancelled"
    assert check_ledger() == []


def test_the_settlement_keeps_the_policy_and_the_charge_of_the_provisional_award(fworld, project):
    w = fworld
    award = approved_provisional(w, project)  # the district's policy: 30 %, charged to D1
    community = services.policy_publish(
        actor=w["official_here"], area=w["C1"], data={**POLICY, "share": Decimal("0.5"), "cap_per_area_year": None}
    )
    _rated_and_due_for_settlement(w, project)
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert settlement.policy == award.policy != community
    assert settlement.charge_area == w["D1"] and settlement.amount == Decimal("35400.00")  # 118,000 × 30 %
    end_notice(settlement)
    settlement = services.award_approve(actor=w["official_here"], award=settlement)
    assert settlement.charge_year == award.charge_year
    assert area_year_used(w["D1"], award.charge_year) == Decimal("35400.00")
    assert area_year_used(w["C1"], award.charge_year) == Decimal("0.00")
    assert check_ledger() == []


def test_a_settlement_approved_in_the_next_year_is_charged_to_the_year_of_the_provisional_award(
    fworld, project, monkeypatch
):
    w = fworld
    award = approved_provisional(w, project)
    _rated_and_due_for_settlement(w, project)
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today.replace(year=today.year + 1, day=1))
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    end_notice(settlement)
    settlement = services.award_approve(actor=w["official_here"], award=settlement)
    assert settlement.charge_year == award.charge_year == today.year
    assert area_year_used(w["D1"], today.year) == Decimal("35400.00")
    assert area_year_used(w["D1"], today.year + 1) == Decimal("0.00")


def test_cancelling_a_project_with_an_approved_award_gives_the_area_year_its_money_back(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    assert area_year_used(w["D1"], award.charge_year) == Decimal("36000.00")
    services.project_cancel(actor=w["official_here"], project=project, reason="方案调整")
    award.refresh_from_db()
    assert award.status == AwardStatus.CANCELLED and award.status_reason == "方案调整"
    assert area_year_used(w["D1"], award.charge_year) == Decimal("0.00")
    reversal = LedgerEntry.objects.get(project=project, kind=EntryKind.AWARD, reverses__isnull=False)
    assert reversal.amount == Decimal("-36000.00") and reversal.award == award
    assert check_ledger() == []


def test_a_suspended_project_is_resumed_not_restarted_and_recoveries_need_the_settlement(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    services.project_start(actor=w["representative"], project=project)
    services.project_suspend(actor=w["official_here"], project=project, reason="安全检查")
    with pytest.raises(Conflict) as error:
        services.project_start(actor=w["representative"], project=project)
    assert error.value.code == "already_started"
    project.refresh_from_db()
    assert project.state == "suspended"
    with pytest.raises(Conflict) as error:
        services.recovery_record(actor=w["official_here"], award=award, amount="1")
    assert error.value.code == "award_not_approved"


def test_an_advance_the_settlement_counts_cannot_be_reversed(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    _through_acceptance(w, project)
    advance = services.advance_pay(actor=w["official_here"], award=award, condition="completion")
    end_rating(project)
    services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    with pytest.raises(Conflict) as error:
        services.ledger_correct(actor=w["official_here"], entry=advance, reason="打错账户")
    assert error.value.code == "settlement_counts_it"
    assert not LedgerEntry.objects.filter(reverses=advance).exists()


def test_open_objections_follow_an_award_recomputed_on_an_upheld_one(fworld, project):
    """Two residents object; the first is upheld with a corrected figure: the second objection is carried
    to the new award (never left open on the superseded one) and approval waits for its answer there."""
    w = fworld
    other = UserFactory()
    verify(other, project.area)
    award = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    first = services.objection_file(user=w["resident"], award=award, text="线路检修偏高")
    second = services.objection_file(user=other, award=award, text="材料费也偏高")
    services.objection_answer(
        actor=w["official_here"], objection=first, upheld=True, answer="按 10 万元核定。", corrected_base="100000"
    )
    fresh = SubsidyAward.objects.get(project=project, status=AwardStatus.NOTICE)
    second.refresh_from_db()
    assert second.award == fresh and second.carried_from == award and second.status == ObjectionStatus.OPEN
    assert not award.objections.filter(status=ObjectionStatus.OPEN).exists()
    end_notice(fresh)
    with pytest.raises(Conflict) as error:
        services.award_approve(actor=w["official_here"], award=fresh)
    assert error.value.code == "objections_open"
    services.objection_answer(actor=w["official_here"], objection=second, upheld=False, answer="材料费按市场价。")
    assert services.award_approve(actor=w["official_here"], award=fresh).status == AwardStatus.APPROVED


def test_open_objections_are_closed_with_a_cancelled_award_and_say_why(fworld, project):
    w = fworld
    other = UserFactory()
    verify(other, project.area)
    award = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    first = services.objection_file(user=w["resident"], award=award, text="不该补")
    second = services.objection_file(user=other, award=award, text="也不该补")
    services.objection_answer(actor=w["official_here"], objection=first, upheld=True, answer="项目不符合条件。")
    second.refresh_from_db()
    assert second.status == ObjectionStatus.CLOSED and "项目不符合条件。" in second.answer
    assert second.answered_by == w["official_here"] and second.answered_at is not None


def test_open_objections_are_closed_when_the_project_is_cancelled(fworld, project):
    award = services.award_compute(actor=fworld["official_here"], project=project, stage="provisional")
    objection = services.objection_file(user=fworld["resident"], award=award, text="预算偏高")
    services.project_cancel(actor=fworld["official_here"], project=project, reason="方案调整")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.CLOSED and "方案调整" in objection.answer


def test_award_and_payment_notices_carry_the_ledger_chain_head_at_publication(fworld, project):
    from civic.services import notice_publish
    from funding.models import ledger_head

    w = fworld
    award = approved_provisional(w, project)
    head = ledger_head()
    notice = notice_publish(
        actor=w["official_here"],
        area=project.area,
        kind="award",
        title="预拨奖补公示",
        body="拟奖补 ¥36,000.00。",
        source_key=f"award:{award.pk}",
        decided_at=timezone.now(),
    )
    assert notice.body.startswith("拟奖补 ¥36,000.00。") and head in notice.body and head[:12] in notice.body
    assert LedgerEntry.objects.latest("id").entry_hash == head
