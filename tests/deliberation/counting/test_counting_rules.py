"""Counting rules against real published elections, against pabutools, and by hand."""

from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deliberation import counting, pabulib

DATA = Path(__file__).resolve().parents[2] / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb"))


def load(path):
    election = pabulib.parse(path.read_bytes())
    costs = {p: election.cost(p) for p in election.projects}
    return election, costs, counting.group_ballots(v for _, v in election.votes)


GREEDY_FILES = [f for f in FILES if "rule;greedy" in f.read_text(encoding="utf-8")[:2000]]


def test_the_data_is_all_there():
    assert len(FILES) == 41 and len(GREEDY_FILES) == 40


@pytest.mark.parametrize("path", GREEDY_FILES, ids=lambda p: p.stem)
def test_greedy_reproduces_every_official_greedy_outcome(path):
    election, costs, groups = load(path)
    outcome = counting.greedy(costs, groups, election.budget)
    assert set(outcome.selected) == set(election.selected)
    assert outcome.cost <= election.budget


def test_mes_add1_reproduces_wieliczka():
    election, costs, groups = load(DATA / "poland_wieliczka_2023.pb")
    assert len(election.votes) == 6586 and len(groups) == 1190
    outcome = counting.mes_add1(costs, groups, election.budget)
    assert set(outcome.selected) == set(election.selected)
    assert len(outcome.selected) == 30 and outcome.cost == 995079


def test_stopping_at_the_first_exhaustive_outcome_would_differ():
    """The README's warning: exhaustive_stop=True gives 31 projects, not the official 30."""
    election, costs, groups = load(DATA / "poland_wieliczka_2023.pb")
    official = counting.mes_add1(costs, groups, election.budget)
    assert official.note["steps"] > 0
    assert len(official.selected) == 30


# --- by hand (the worked examples in docs/counting.md) -------------------------------------------------


def test_greedy_worked_example():
    costs = {"a": 60, "b": 50, "c": 30, "d": 20}
    groups = counting.group_ballots([["a", "c"], ["a", "b"], ["b"], ["a", "d"], ["c", "d"]])
    outcome = counting.greedy(costs, groups, 100)
    # votes: a 3, b 2, c 2, d 2 → a (60), then equal votes cheaper first: d (20), c (30, no room: 20 left), b (no room)
    assert outcome.selected == ["a", "d"] and outcome.cost == 80
    assert outcome.reasons["c"][0] == "greedy_no_room"


def test_mes_worked_example():
    # 4 voters, budget 100: each has 25. p (cost 60) approved by all four, q (cost 40) by two, r (30) by one.
    costs = {"p": 60, "q": 40, "r": 30}
    groups = counting.group_ballots([["p", "q"], ["p", "q"], ["p"], ["p", "r"]])
    outcome = counting.mes(costs, groups, 100)
    # p: α = 15 each, ρ = 15/60 = 1/4; q: α = 20 each, ρ = 1/2; r unaffordable (one voter with 25 < 30).
    assert outcome.selected == ["p"]
    assert outcome.reasons["p"][1]["payment"] == 15
    # after p everyone has 10; q needs 40 from two voters with 10 each: unaffordable.
    assert outcome.reasons["q"][0] == "mes_unaffordable"
    add1 = counting.mes_add1(costs, groups, 100)
    assert add1.selected == ["p", "q"] and add1.cost == 100


def test_ties_go_to_the_smaller_project_id_as_a_string():
    costs = {"10": 10, "9": 10}
    groups = counting.group_ballots([["10", "9"], ["10", "9"]])
    assert counting.mes(costs, groups, 10).selected == ["10"]  # "10" < "9"
    assert counting.greedy(costs, groups, 10).selected == ["10"]


def test_yes_no_questions():
    Q = counting.Question
    half, two_thirds, tenth = Fraction(1, 2), Fraction(2, 3), Fraction(1, 10)
    assert Q(6, 4, 5, 100, tenth, half).passed
    assert not Q(5, 5, 0, 100, tenth, half).passed  # a tie fails
    assert not Q(6, 4, 0, 200, Fraction(1, 10) + Fraction(1, 200), half).quorum_met
    assert Q(2, 1, 0, 10, tenth, two_thirds).passed and not Q(3, 2, 0, 10, tenth, two_thirds).passed
    assert not Q(0, 0, 9, 10, tenth, half).passed  # only abstentions: nothing was decided


def test_choose_k():
    groups = counting.group_ballots([["a", "b"], ["b"], ["c", "b"], ["a"]])
    assert counting.choose_k(groups, ["a", "b", "c"], 2) == [("b", 3), ("a", 2)]


# --- against pabutools, on small random elections ----------------------------------------------------

elections = st.integers(min_value=2, max_value=6).flatmap(
    lambda m: st.tuples(
        st.lists(st.integers(min_value=1, max_value=60), min_size=m, max_size=m),
        st.lists(
            st.lists(st.integers(min_value=0, max_value=m - 1), min_size=1, max_size=m, unique=True),
            min_size=1,
            max_size=12,
        ),
        st.integers(min_value=10, max_value=150),
    )
)


def _pabutools(costs, ballots, budget, add1):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

    projects = {p: Project(p, cost) for p, cost in costs.items()}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile([ApprovalBallot([projects[p] for p in b]) for b in ballots])
    if add1:
        out = exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": Cost_Sat},
            budget_step=len(ballots),
            exhaustive_stop=False,
        )
    else:
        out = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    return sorted(p.name for p in out)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections)
def test_mes_equals_pabutools(election):
    cost_list, raw_ballots, budget = election
    costs = {f"p{i}": c for i, c in enumerate(cost_list)}
    ballots = [[f"p{i}" for i in b] for b in raw_ballots]
    groups = counting.group_ballots(ballots)
    assert sorted(counting.mes(costs, groups, budget).selected) == _pabutools(costs, ballots, budget, add1=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections)
def test_mes_add1_equals_pabutools(election):
    cost_list, raw_ballots, budget = election
    costs = {f"p{i}": c for i, c in enumerate(cost_list)}
    ballots = [[f"p{i}" for i in b] for b in raw_ballots]
    groups = counting.group_ballots(ballots)
    outcome = counting.mes_add1(costs, groups, budget)
    assert sorted(outcome.selected) == _pabutools(costs, ballots, budget, add1=True)
    assert outcome.cost <= budget


@pytest.mark.parametrize(
    "name", ["poland_warszawa_2017_sadul", "poland_lodz_2020_lagiewniki", "poland_warszawa_2019_miedzylesie"]
)
def test_mes_equals_pabutools_on_small_real_elections(name):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    election, costs, groups = load(DATA / f"{name}.pb")
    instance, profile = parse_pabulib(str(DATA / f"{name}.pb"))
    theirs = sorted(p.name for p in method_of_equal_shares(instance, profile, sat_class=Cost_Sat))
    assert sorted(counting.mes(costs, groups, election.budget).selected) == theirs


# --- the file format ------------------------------------------------------------------------------------

GOOD = (
    "META\nkey;value\nbudget;100\nvote_type;approval\n"
    "PROJECTS\nproject_id;cost;name\n1;60;甲\n2;50;乙\n"
    "VOTES\nvoter_id;vote\n1;1,2\n2;2\n"
)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (GOOD.replace("VOTES\nvoter_id;vote\n1;1,2\n2;2\n", ""), None, "VOTES section is missing"),
        (GOOD.replace("2;2\n", "2;7\n"), 12, "unknown project '7'"),
        (GOOD.replace("1;60;甲", "1;sixty;甲"), 7, "cost is not a number"),
        (GOOD.replace("1;60;甲", "1;-5;甲"), 7, "non-negative"),
        (GOOD.replace("budget;100", "budget;lots"), 1, "budget is not a number"),
        (GOOD.replace("project_id;cost;name", "id;cost;name"), 6, "no column 'project_id'"),
        (GOOD.replace("1;1,2", "1;1,1"), 11, "approved twice"),
        (GOOD.replace("approval", "ordinal"), 1, "only approval"),
    ],
)
def test_malformed_files_are_refused_naming_the_line(text, line, fragment):
    with translation.override("en"), pytest.raises(pabulib.PabulibError) as raised:
        pabulib.parse(text.encode())
    assert fragment in raised.value.message
    if line is not None:
        assert raised.value.line == line


def test_wrong_encoding_names_the_line():
    with translation.override("en"), pytest.raises(pabulib.PabulibError) as raised:
        pabulib.parse(GOOD.encode().replace("甲".encode(), b"\xe9"))  # a Latin-1 byte in a UTF-8 file
    assert raised.value.line == 7 and "UTF-8" in raised.value.message


def test_errors_are_translated():
    with pytest.raises(pabulib.PabulibError) as raised:
        pabulib.parse(GOOD.replace("2;2\n", "2;7\n").encode())
    assert str(raised.value) == "第 12 行：选票中有不存在的项目 '7'"


def test_write_then_read_gives_the_same_election():
    election = pabulib.parse((DATA / "poland_wieliczka_2023.pb").read_bytes())
    again = pabulib.parse(pabulib.write(election).encode())
    assert again.projects.keys() == election.projects.keys()
    assert [v for _, v in again.votes] == [v for _, v in election.votes]
    assert again.budget == election.budget and again.selected == election.selected


@pytest.mark.parametrize("rule", [counting.mes, counting.mes_add1])
def test_nobody_voted_buys_nothing_and_divides_by_no_one(rule):
    """Equal Shares divides the budget by the voters: with none, nothing is bought (the ballot service also
    counts an empty box as funding nothing, whatever the rule)."""
    outcome = rule({"1": 100, "2": 50}, [], 200)
    assert outcome.selected == [] and outcome.cost == 0
    assert outcome.reasons == {"1": ("no_votes", {}), "2": ("no_votes", {})}
