"""The award arithmetic: worked cases, and properties that must hold for any figures."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funding.subsidy import Policy, advance_due, fen, provisional_award, settle

POLICY = Policy(
    share=D("0.30"),
    cap_per_project=D("100000"),
    cap_per_area_year=D("250000"),
    min_self_funded_share=D("0.10"),
    min_acceptance_score=D("80"),
    min_satisfaction_rate=D("0.80"),
    advances=(("start", D("0.30")), ("midpoint", D("0.50")), ("completion_report", D("0.80"))),
)


def test_rounding_is_half_up_to_the_fen():
    assert fen(D("0.005")) == D("0.01") and fen(D("2.675")) == D("2.68") and fen(D("-0.005")) == D("-0.01")


def test_provisional_award_with_its_caps():
    assert provisional_award(approved_budget=D("120000"), policy=POLICY).amount == D("36000.00")
    big = provisional_award(approved_budget=D("500000"), policy=POLICY)
    assert big.amount == D("100000.00") and [s[0] for s in big.steps] == ["share", "project_cap"]
    late = provisional_award(approved_budget=D("200000"), policy=POLICY, area_year_used=D("230000"))
    assert late.amount == D("20000.00") and late.steps[-1][0] == "area_year_cap"
    assert provisional_award(approved_budget=D("200000"), policy=POLICY, area_year_used=D("260000")).amount == D("0.00")
    assert provisional_award(approved_budget=D("333.35"), policy=POLICY).amount == D("100.01")  # 100.005 → 100.01


def test_advances_follow_their_conditions():
    assert advance_due(provisional=D("36000"), policy=POLICY, conditions_met=set()).amount == D("0.00")
    assert advance_due(provisional=D("36000"), policy=POLICY, conditions_met={"start"}).amount == D("10800.00")
    assert advance_due(
        provisional=D("36000"), policy=POLICY, conditions_met={"start", "midpoint"}, already_paid=D("10800")
    ).amount == D("7200.00")
    assert advance_due(
        provisional=D("36000"), policy=POLICY, conditions_met={"start"}, already_paid=D("18000")
    ).amount == D("0.00")


def test_settlement_pays_the_difference_or_recovers_it():
    ok = settle(
        verified_cost=D("110000"),
        residents_money=D("15000"),
        acceptance_score=D("92"),
        satisfaction_rate=D("0.9"),
        policy=POLICY,
        advances_paid=D("28800"),
    )
    assert ok.award == D("33000.00") and ok.payout == D("4200.00") and ok.recovery == D("0.00")
    short = settle(
        verified_cost=D("110000"),
        residents_money=D("5000"),
        acceptance_score=D("92"),
        satisfaction_rate=D("0.9"),
        policy=POLICY,
        advances_paid=D("28800"),
    )
    assert short.award == D("0.00") and short.recovery == D("28800.00")
    assert "min_self_funded_share" in [s[0] for s in short.steps]
    unhappy = settle(
        verified_cost=D("110000"),
        residents_money=D("15000"),
        acceptance_score=D("92"),
        satisfaction_rate=D("0.79"),
        policy=POLICY,
    )
    assert unhappy.award == D("0.00") and unhappy.steps[-2][0] == "min_satisfaction_rate"


def test_a_policy_must_make_sense():
    with pytest.raises(ValueError):
        Policy(share=D("1.5"))
    with pytest.raises(ValueError):
        Policy(share=D("0.3"), advances=(("start", D("0.5")), ("midpoint", D("0.3"))))


money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def policies(draw):
    cumulative = sorted(draw(st.lists(shares, max_size=3)))
    return Policy(
        share=draw(shares),
        cap_per_project=draw(st.none() | money),
        cap_per_area_year=draw(st.none() | money),
        min_self_funded_share=draw(shares),
        min_acceptance_score=draw(st.decimals(min_value=0, max_value=100, places=0)),
        min_satisfaction_rate=draw(shares),
        advances=tuple((f"c{i}", s) for i, s in enumerate(cumulative)),
    )


@given(money, policies(), money)
def test_no_award_above_any_cap_never_negative_to_the_fen(budget, policy, used):
    award = provisional_award(approved_budget=budget, policy=policy, area_year_used=used).amount
    assert award >= 0 and award == fen(award)
    assert award <= fen(budget * policy.share)
    if policy.cap_per_project is not None:
        assert award <= policy.cap_per_project
    if policy.cap_per_area_year is not None:
        assert award + used <= max(policy.cap_per_area_year, used)


@given(money, policies(), st.sets(st.sampled_from(["c0", "c1", "c2"])), money)
def test_advances_never_exceed_the_provisional_award(provisional, policy, met, paid):
    due = advance_due(provisional=provisional, policy=policy, conditions_met=met, already_paid=paid).amount
    assert due >= 0 and due == fen(due)
    assert min(paid, fen(provisional)) + due <= fen(provisional) or due == 0


@given(money, money, shares, policies(), money, money)
def test_settlement_balances(cost, residents, rate, policy, used, paid):
    result = settle(
        verified_cost=cost,
        residents_money=residents,
        acceptance_score=D(100),
        satisfaction_rate=rate,
        policy=policy,
        area_year_used=used,
        advances_paid=paid,
    )
    assert result.award >= 0 and result.payout >= 0 and result.recovery >= 0
    assert result.award == fen(result.award)
    assert fen(paid) + result.payout - result.recovery == result.award
    assert not (result.payout and result.recovery)
