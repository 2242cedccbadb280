"""The demo city's scorecard shows real differences between its areas, and its books still balance."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.models import Report
from civic.models import Area
from deliberation.models import Session
from funding.ledger_check import check_ledger
from proposals.models import Proposal
from scorecard.period import custom_period
from scorecard.selectors import compare_children, scorecard

pytestmark = pytest.mark.django_db

DONGHU, XICHENG, GAOXIN = "990102", "990103", "990105"


def _period():
    """The whole of the demo's story: it moves moments back up to a few months, and the answer to one
    objection falls due a few working days after today."""
    today = timezone.localdate()
    return custom_period(today - timedelta(days=400), today + timedelta(days=60))


def _figures(code, period) -> dict:
    card = scorecard(Area.objects.get(code=code), period)
    return {figure["key"]: figure["value"] for governance in card["governances"] for figure in governance["figures"]}


def test_the_three_districts_have_figures_and_different_profiles():
    call_command("seed_demo", quiet_logins=True)
    period = _period()
    donghu, xicheng, gaoxin = (_figures(code, period) for code in (DONGHU, XICHENG, GAOXIN))

    # A district's small-matter and consultation figures need its reports and consultations; every other
    # figure has its numbers in every district.
    for code, figures in ((DONGHU, donghu), (XICHENG, xicheng), (GAOXIN, gaoxin)):
        path = Area.objects.get(code=code).path
        reports = Report.objects.filter(area_path__startswith=path).exists()
        missing = [
            key
            for key, value in figures.items()
            if value is None
            and not (key.startswith("casework_") and not reports)
            and not (key.startswith("consultation_") and not figures["consultations_held"])
        ]
        assert len(missing) <= 1, missing

    for key in (
        "median_answer_days",
        "answered_in_time_share",
        "quorum_share",
        "participation_share",
        "online_share",
        "enterprise_social_proposal_share",
        "enterprise_social_cofunding_share",
        "satisfaction_rate",
        "average_score",
        "notices_on_time_share",
    ):
        assert len({donghu[key], xicheng[key], gaoxin[key]}) == 3, key

    # 西城区 answers within a working day or two, 高新区 takes weeks and leaves some waiting past the deadline
    assert xicheng["median_answer_days"] <= 2 < 10 <= gaoxin["median_answer_days"]
    assert xicheng["answered_in_time_share"] == 1 > gaoxin["answered_in_time_share"]
    assert xicheng["overdue_now"] == 0 < gaoxin["overdue_now"]
    # 西城区's councils meet with a quorum and publish minutes; 高新区 missed sessions and minutes
    assert xicheng["quorum_share"] == 1 > donghu["quorum_share"] > gaoxin["quorum_share"]
    assert xicheng["minutes_share"] == 1 and gaoxin["minutes_share"] == 0
    assert xicheng["points_of_order_upheld"] >= 1 and gaoxin["points_of_order_raised"] >= 1
    # residents propose online in 西城区; in 高新区 staff enter half of them for people who phoned or came in
    assert xicheng["online_share"] > donghu["online_share"] > gaoxin["online_share"]
    assert xicheng["participation_share"] > gaoxin["participation_share"]
    # an enterprise pays most of 高新区's co-funding
    assert gaoxin["enterprise_social_cofunding_share"] > xicheng["enterprise_social_cofunding_share"] > 0
    # trust: satisfaction, notices and objections
    assert xicheng["satisfaction_rate"] > donghu["satisfaction_rate"] > gaoxin["satisfaction_rate"]
    assert xicheng["average_score"] > donghu["average_score"] > gaoxin["average_score"]
    assert xicheng["notices_on_time_share"] > donghu["notices_on_time_share"] > gaoxin["notices_on_time_share"]
    assert xicheng["objections_on_time_share"] == 1 and gaoxin["objections_on_time_share"] == 0

    # side by side: the city's three districts, and the two subdistricts of 东湖区
    rows = compare_children(Area.objects.get(code="990100"), period)
    assert [row["area"].code for row in rows] == [DONGHU, XICHENG, GAOXIN]
    for key in ("median_answer_days", "quorum_share", "online_share", "notices_on_time_share"):
        assert len({row["figures"][key] for row in rows}) == 3, key
    assert [row["figures"]["median_answer_days"] for row in rows] == [
        donghu["median_answer_days"],
        xicheng["median_answer_days"],
        gaoxin["median_answer_days"],
    ]
    hubin, xinqiao = compare_children(Area.objects.get(code=DONGHU), period)
    assert hubin["funnel"]["proposed"] > xinqiao["funnel"]["proposed"] > 0
    assert hubin["figures"]["quorum_share"] != xinqiao["figures"]["quorum_share"]
    assert hubin["figures"]["online_share"] != xinqiao["figures"]["online_share"]
    assert hubin["figures"]["satisfaction_rate"] > xinqiao["figures"]["satisfaction_rate"]

    # the funnel runs all the way in each district
    for code in (DONGHU, XICHENG, GAOXIN):
        funnel = {step["key"]: step["count"] for step in scorecard(Area.objects.get(code=code), period)["funnel"]}
        assert funnel["proposed"] > funnel["adopted"] >= funnel["accepted"] >= 1, code

    # the extra money recorded by the demo keeps the books consistent
    assert check_ledger() == []
    call_command("ledger_check")  # exits with status 1 on any problem

    # seeding again adds nothing
    proposals, sessions = Proposal.objects.count(), Session.objects.count()
    call_command("seed_demo", quiet_logins=True)
    assert (Proposal.objects.count(), Session.objects.count()) == (proposals, sessions)
