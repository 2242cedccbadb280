"""Incentive-for-subsidy (以奖代补) arithmetic, pure and exact.

Money is `Decimal` yuan, every share taken is rounded half up (四舍五入) to the fen, and every step is
returned with a code and its figures so that pages can explain the award in words.

1. Provisional award, when the project is approved: approved budget × share, capped by the project cap
   and by what is left of the area-year cap.
2. Advances as their conditions are met: the provisional award × the highest cumulative share whose
   condition is met, less what was already paid; never more than the provisional award.
3. Settlement, after acceptance and the rating period: verified cost × share, the same caps, reduced to
   zero (with the reason) if the residents' self-funded share, the acceptance score or the satisfaction
   rate is below the policy's minimum; the difference to the advances paid is paid out, or recovered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(value) -> Decimal:
    """Round half up to the fen (四舍五入)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Policy:
    share: Decimal  # of the budget or verified cost, e.g. 0.30
    cap_per_project: Decimal | None = None
    cap_per_area_year: Decimal | None = None
    min_self_funded_share: Decimal = Decimal(0)  # residents' money ÷ verified cost
    min_acceptance_score: Decimal = Decimal(0)
    min_satisfaction_rate: Decimal = Decimal(0)
    advances: tuple[tuple[str, Decimal], ...] = ()  # (condition, cumulative share of the provisional award)

    def __post_init__(self):
        if not Decimal(0) <= self.share <= Decimal(1):
            raise ValueError("the share is between 0 and 1")
        last = Decimal(0)
        for _condition, cumulative in self.advances:
            if not last <= cumulative <= Decimal(1):
                raise ValueError("advance shares are cumulative, rising, and at most 1")
            last = cumulative


@dataclass
class Award:
    amount: Decimal
    steps: list[tuple[str, dict]] = field(default_factory=list)


def _capped(base: Decimal, policy: Policy, area_year_used: Decimal, steps: list) -> Decimal:
    amount = fen(base * policy.share)
    steps.append(("share", {"base": fen(base), "share": policy.share, "amount": amount}))
    if policy.cap_per_project is not None and amount > policy.cap_per_project:
        amount = fen(policy.cap_per_project)
        steps.append(("project_cap", {"cap": amount, "amount": amount}))
    if policy.cap_per_area_year is not None:
        left = max(ZERO, fen(policy.cap_per_area_year) - fen(area_year_used))
        if amount > left:
            amount = left
            steps.append(
                ("area_year_cap", {"cap": fen(policy.cap_per_area_year), "used": fen(area_year_used), "amount": amount})
            )
    return max(ZERO, amount)


def provisional_award(*, approved_budget: Decimal, policy: Policy, area_year_used: Decimal = ZERO) -> Award:
    if approved_budget < 0:
        raise ValueError("a budget is not negative")
    steps: list = []
    return Award(_capped(Decimal(approved_budget), policy, Decimal(area_year_used), steps), steps)


def advance_due(
    *, provisional: Decimal, policy: Policy, conditions_met: set[str], already_paid: Decimal = ZERO
) -> Award:
    """What may be paid now: the provisional award × the highest cumulative share whose condition is met."""
    reached = max((share for condition, share in policy.advances if condition in conditions_met), default=Decimal(0))
    entitled = min(fen(provisional * reached), fen(provisional))
    due = max(ZERO, entitled - fen(already_paid))
    return Award(due, [("advance", {"share": reached, "entitled": entitled, "paid": fen(already_paid), "due": due})])


@dataclass
class Settlement:
    award: Decimal
    payout: Decimal  # to pay now
    recovery: Decimal  # to claw back from the implementer
    steps: list[tuple[str, dict]]


def settle(
    *,
    verified_cost: Decimal,
    residents_money: Decimal,
    acceptance_score: Decimal,
    satisfaction_rate: Decimal,
    policy: Policy,
    area_year_used: Decimal = ZERO,
    advances_paid: Decimal = ZERO,
) -> Settlement:
    if verified_cost < 0 or residents_money < 0 or advances_paid < 0:
        raise ValueError("amounts are not negative")
    steps: list = []
    award = _capped(Decimal(verified_cost), policy, Decimal(area_year_used), steps)
    self_share = Decimal(residents_money) / Decimal(verified_cost) if verified_cost else Decimal(0)
    for code, value, minimum in (
        ("min_self_funded_share", self_share, policy.min_self_funded_share),
        ("min_acceptance_score", Decimal(acceptance_score), policy.min_acceptance_score),
        ("min_satisfaction_rate", Decimal(satisfaction_rate), policy.min_satisfaction_rate),
    ):
        if value < minimum:
            award = ZERO
            steps.append((code, {"value": value, "minimum": minimum}))
    paid = fen(advances_paid)
    payout, recovery = max(ZERO, award - paid), max(ZERO, paid - award)
    steps.append(("settlement", {"award": award, "paid": paid, "payout": payout, "recovery": recovery}))
    return Settlement(award, payout, recovery, steps)
