"""The small-matter figures of the scorecard (响应率, 解决率, median handling time, reports online, 满意率) and its
hot spots: the same definitions as casework.rates, per area and period, in a number of queries that does
not grow with the reports, and fresh after a new report."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import ReportState
from scorecard.period import month_period
from scorecard.selectors import compare_children, scorecard
from tests.casework.factories import make_category, make_report

pytestmark = pytest.mark.django_db
S = ReportState
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = month_period(2025, 3)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=SHANGHAI)


def figure(card, key):
    return next(f for g in card["governances"] for f in g["figures"] if f["key"] == key)


def closed(w, cell, category, *, day=3, rating=None, late=False, channel="online"):
    """A report closed after a resolution: accepted at once (or after its response limit), handled in two
    working days."""
    submitted = at(day)
    return make_report(
        w[cell],
        category,
        state=S.CLOSED,
        submitted_at=submitted,
        response_due=submitted + timedelta(hours=8),
        accepted_at=submitted + timedelta(hours=10 if late else 1),
        resolved_at=submitted + timedelta(days=2),
        rating=rating,
        channel=channel,
    )


def busy(w, lamp, n):
    for i in range(n):
        closed(w, "c1a" if i % 2 else "c1b", lamp, rating=5 - i % 5, late=i % 3 == 0, channel="phone")
        make_report(w["c2a"], lamp, submitted_at=at(4), reporter_name="张阿姨", reporter=None, channel="phone")


def test_the_figures_of_an_area_and_its_hot_spots(pworld):
    w = pworld
    lamp = make_category(w["D1"])
    drain = make_category(w["D1"], key="drain", name="下水道堵塞", name_en="Blocked drain")
    closed(w, "c1a", lamp, rating=5)  # Monday 3 March → Wednesday 5 March: 2 working days
    closed(w, "c1a", lamp, rating=2, late=True)
    closed(w, "c1b", drain, rating=4, channel="phone")
    make_report(w["c1a"], lamp, state=S.REJECTED, submitted_at=at(3))  # left out
    make_report(w["c2a"], lamp, state=S.CLOSED, submitted_at=at(3), rating=1)  # another district
    card = scorecard(w["D1"], MARCH)
    assert figure(card, "casework_response_rate")["value"] == Decimal("0.6667")
    assert (
        figure(card, "casework_response_rate")["numerator"],
        figure(card, "casework_response_rate")["denominator"],
    ) == (2, 3)
    assert figure(card, "casework_resolution_rate")["value"] == Decimal("1.0000")
    assert figure(card, "casework_median_days")["value"] == Decimal("2.0")
    assert figure(card, "casework_online_share")["value"] == Decimal("0.6667")
    assert figure(card, "casework_satisfaction_rate")["value"] == Decimal("0.6667")
    governance = {f["key"]: g["key"] for g in card["governances"] for f in g["figures"]}
    assert governance["casework_response_rate"] == governance["casework_resolution_rate"] == "precise"
    assert governance["casework_online_share"] == "digital"
    assert governance["casework_satisfaction_rate"] == "trust"
    assert [(s.cell_name, s.category_key, s.reports) for s in card["hot_spots"]] == [
        ("一网格", "lamp", 2),  # 1 of 2 satisfied
        ("二网格", "drain", 1),  # 1 of 1
    ]
    # Another month: nothing to count.
    empty = scorecard(w["D1"], month_period(2025, 4))
    assert figure(empty, "casework_response_rate")["value"] is None
    assert empty["hot_spots"] == []


def test_compare_children_carries_the_small_matter_figures(pworld):
    w = pworld
    lamp = make_category(w["D1"])
    closed(w, "c1a", lamp, rating=5)
    closed(w, "c2a", lamp, rating=1)
    rows = {row["area"]: row["figures"] for row in compare_children(w["city"], MARCH)}
    assert rows[w["D1"]]["casework_satisfaction_rate"] == Decimal("1.0000")
    assert rows[w["D2"]]["casework_satisfaction_rate"] == Decimal("0.0000")


def test_the_number_of_queries_does_not_grow_with_the_reports(pworld):
    w = pworld
    lamp = make_category(w["D1"])
    busy(w, lamp, 2)
    scorecard(None, MARCH)  # warm the calendar
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        scorecard(w["city"], MARCH)
    with CaptureQueriesContext(connection) as few_children:
        compare_children(w["city"], MARCH)
    busy(w, lamp, 12)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        card = scorecard(w["city"], MARCH)
    with CaptureQueriesContext(connection) as many_children:
        compare_children(w["city"], MARCH)
    assert len(many) == len(few)
    assert len(many_children) == len(few_children)
    assert figure(card, "casework_online_share")["denominator"] == 28


def test_a_new_report_shows_up_at_once(pworld):
    w = pworld
    lamp = make_category(w["D1"])
    closed(w, "c1a", lamp, rating=5)
    assert figure(scorecard(w["D1"], MARCH), "casework_satisfaction_rate")["denominator"] == 1
    closed(w, "c1a", lamp, rating=4)
    assert figure(scorecard(w["D1"], MARCH), "casework_satisfaction_rate")["denominator"] == 2
