"""Counting rules, pure Python and exact (integers and fractions; never floats).

Participatory budgeting (approval ballots over costed projects):
- `greedy`: most approvals first (equal votes: cheaper first, then project id), fund each that fits.
- `mes`: the Method of Equal Shares with cost utilities; ties broken by project id (string order).
- `mes_add1`: MES completed by "Add1": raise every voter's share by one currency unit at a time and
  re-run, stopping at the first increase whose outcome would cost more than the real budget, keeping the
  outcome before it (equal to pabutools' exhaustion_by_budget_increase with budget_step = voters and
  exhaustive_stop=False).
Identical ballots are counted once with a weight, which is what makes large elections fast: a real
election of 6,586 voters holds about 1,200 distinct ballots.

Yes/no questions and approval/choose-k tallies are here too.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Money = int | Fraction


def group_ballots(ballots: Iterable[Iterable[str]]) -> list[tuple[frozenset[str], int]]:
    """Identical ballots folded into (set of project ids, number of voters), in a stable order."""
    counts = Counter(frozenset(b) for b in ballots)
    return sorted(counts.items(), key=lambda item: (-item[1], sorted(item[0])))


def approvals(groups: list[tuple[frozenset[str], int]], projects: Iterable[str]) -> dict[str, int]:
    tally = dict.fromkeys(projects, 0)
    for ballot, weight in groups:
        for p in ballot:
            if p in tally:
                tally[p] += weight
    return tally


# --- greedy ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a rule selected, in selection order, and why each project was or was not funded."""

    selected: list[str]
    cost: Money
    reasons: dict[str, tuple[str, dict]] = field(default_factory=dict)
    approvals: dict[str, int] = field(default_factory=dict)
    note: dict = field(default_factory=dict)


def greedy(costs: Mapping[str, Money], groups, budget: Money) -> Outcome:
    votes = approvals(groups, costs)
    order = sorted(costs, key=lambda p: (-votes[p], costs[p], p))
    left, selected, reasons = Fraction(budget), [], {}
    for rank, p in enumerate(order, start=1):
        if costs[p] <= left:
            left -= costs[p]
            selected.append(p)
            reasons[p] = ("greedy_funded", {"rank": rank, "votes": votes[p], "left": left})
        else:
            reasons[p] = ("greedy_no_room", {"rank": rank, "votes": votes[p], "left": left})
    return Outcome(selected, sum((costs[p] for p in selected), 0), reasons, votes)


# --- Method of Equal Shares -------------------------------------------------------------------------


def _prepare(costs: Mapping[str, Money], groups):
    """Per project, the indices of the ballot groups that approve it."""
    supporters: dict[str, list[int]] = {p: [] for p in costs}
    weights = []
    for index, (ballot, weight) in enumerate(groups):
        weights.append(weight)
        for p in ballot:
            if p in supporters:
                supporters[p].append(index)
    return supporters, weights


_BAND = 1e-9  # far wider than the rounding of a float of a fraction (about 1e-16)


def _affordability(cost, members, group_class, class_budget, class_float, weights):
    """The smallest per-voter payment α with Σ min(budget, α) = cost over the supporters, or None if
    their budgets together cannot pay. The ratio α/cost is MES's ρ for cost utilities.

    Voters' budgets take few distinct values, so supporters are first folded into budget classes. The
    classes are ordered by the float of their budget; α itself is computed with exact fractions and then
    checked exactly against every class whose float is near it. Floats only guide the search: if the check
    fails, the exact walk decides.
    """
    by_class: dict[int, int] = {}
    for g in members:
        c = group_class[g]
        by_class[c] = by_class.get(c, 0) + weights[g]
    classes = sorted(by_class.items(), key=lambda item: class_float[item[0]])
    fcost = float(cost)
    ftotal = sum(class_float[c] * w for c, w in classes)
    if ftotal < fcost * (1 - _BAND):
        return None
    if ftotal <= fcost * (1 + _BAND) and sum(class_budget[c] * w for c, w in classes) < cost:
        return None
    remaining = sum(w for _c, w in classes)
    fpaid, split = 0.0, len(classes) - 1
    for i, (c, w) in enumerate(classes):
        if (fcost - fpaid) / remaining <= class_float[c]:
            split = i
            break
        fpaid += class_float[c] * w
        remaining -= w
    poor, rich = classes[:split], classes[split:]
    alpha = (cost - sum((class_budget[c] * w for c, w in poor), Fraction(0))) / sum(w for _c, w in rich)
    low, high = float(alpha) * (1 - _BAND), float(alpha) * (1 + _BAND)
    if all(class_budget[c] <= alpha for c, _w in poor if class_float[c] >= low) and all(
        class_budget[c] >= alpha for c, _w in rich if class_float[c] <= high
    ):
        return alpha
    return _affordability_exact(cost, classes, class_budget)


def _affordability_exact(cost, classes, class_budget):
    classes = sorted(classes, key=lambda item: class_budget[item[0]])
    if sum(class_budget[c] * w for c, w in classes) < cost:
        return None
    paid, remaining = Fraction(0), sum(w for _c, w in classes)
    for c, w in classes:
        alpha = (cost - paid) / remaining
        if alpha <= class_budget[c]:
            return alpha
        paid += class_budget[c] * w
        remaining -= w
    return None


def _nobody_voted(costs, groups, votes) -> Outcome:
    return Outcome(
        [], 0, {p: ("no_votes", {}) for p in costs}, votes or approvals(groups, costs), {"per_voter": Fraction(0)}
    )


def mes(
    costs: Mapping[str, Money], groups, budget: Money, *, per_voter: Fraction | None = None, prepared=None, votes=None
) -> Outcome:
    """MES with cost utilities: each voter starts with budget/voters (or `per_voter`); at each step the
    project that needs the smallest ρ (payment per unit of utility) is bought by its supporters, each
    paying min(their budget, ρ · cost). Ties go to the smaller project id (string order)."""
    supporters, weights = prepared or _prepare(costs, groups)
    voters = sum(weights)
    if not voters:  # nobody voted: nothing is bought, and there is no share to divide
        return _nobody_voted(costs, groups, votes)
    share = Fraction(per_voter) if per_voter is not None else Fraction(budget) / voters
    class_budget: list[Fraction] = [share, Fraction(0)]  # class 1 is "nothing left"
    class_float = [float(share), 0.0]
    group_class = [0] * len(weights)
    heap: list[tuple[Fraction, str]] = []
    fresh_round: dict[str, int] = {}
    for p, members in supporters.items():
        cost = costs[p]
        if not members or cost <= 0:
            continue
        # a lower bound of ρ: every supporter pays the same share (budgets only fall, so ρ only rises)
        heapq.heappush(heap, (Fraction(1, sum(weights[g] for g in members)), p))
        fresh_round[p] = -1
    selected: list[str] = []
    reasons: dict[str, tuple[str, dict]] = {}
    rounds = 0
    while heap:
        rho, p = heap[0]
        if fresh_round[p] != rounds:
            heapq.heappop(heap)
            alpha = _affordability(costs[p], supporters[p], group_class, class_budget, class_float, weights)
            if alpha is None:
                reasons[p] = ("mes_unaffordable", {"round": rounds})
                continue
            fresh_round[p] = rounds
            heapq.heappush(heap, (alpha / costs[p], p))
            continue
        heapq.heappop(heap)
        alpha = rho * costs[p]
        moved: dict[int, int] = {}
        for g in supporters[p]:
            old = group_class[g]
            new = moved.get(old)
            if new is None:
                left = class_budget[old] - alpha
                if left <= 0:
                    new = 1
                else:
                    new = len(class_budget)
                    class_budget.append(left)
                    class_float.append(float(left))
                moved[old] = new
            group_class[g] = new
        selected.append(p)
        reasons[p] = ("mes_funded", {"round": rounds + 1, "rho": rho, "payment": alpha})
        rounds += 1
    total = sum((costs[p] for p in selected), 0)
    return Outcome(selected, total, reasons, votes or approvals(groups, costs), {"per_voter": share})


def mes_add1(costs: Mapping[str, Money], groups, budget: Money) -> Outcome:
    """MES completed by Add1 (see the module's docstring)."""
    prepared = _prepare(costs, groups)
    voters = sum(prepared[1])
    if not voters:
        return _nobody_voted(costs, groups, None)
    fundable = {p for p, members in prepared[0].items() if members}
    share = Fraction(budget) / voters
    votes = approvals(groups, costs)
    previous = Outcome([], 0, {}, votes, {"per_voter": share})
    steps = 0
    while True:
        outcome = mes(costs, groups, budget, per_voter=share, prepared=prepared, votes=votes)
        if outcome.cost > budget:
            break
        previous = outcome
        previous.note["steps"] = steps
        if set(outcome.selected) >= fundable:
            break  # everything anyone approved is funded: a larger share cannot change the outcome
        share += 1
        steps += 1
    for p in costs:
        if p not in previous.selected:
            previous.reasons.setdefault(p, ("mes_add1_not_funded", {}))
    return previous


# --- yes/no and approval ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    yes: int
    no: int
    abstain: int
    eligible: int
    turnout_quorum: Fraction  # share of eligible people who must take part
    threshold: Fraction  # share of yes among yes+no needed; ties fail

    @property
    def turnout(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def quorum_met(self) -> bool:
        return self.eligible > 0 and Fraction(self.turnout, self.eligible) >= self.turnout_quorum

    @property
    def passed(self) -> bool:
        cast = self.yes + self.no
        if not self.quorum_met or cast == 0:
            return False
        share = Fraction(self.yes, cast)
        if self.threshold == Fraction(1, 2):
            return share > self.threshold  # a majority: more than half, so a tie fails
        return share >= self.threshold


def choose_k(groups, options: Iterable[str], k: int) -> list[tuple[str, int]]:
    """Approval / choose-k: every option with its approvals, most first (ties by option id)."""
    tally = approvals(groups, options)
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))[: k if k else None]
