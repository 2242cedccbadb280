"""Decisions still waiting for their notice, as the scorecard counts them: per area and due day from two
columns a decision (civic.selectors.waiting_deadlines), which must say exactly what the list of decisions
one by one says (unpublished_decisions: working days of the policy in force, holidays, make-up days,
calendar corrections, overdue or not), and cost the same queries whatever their number."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic import selectors as civic_selectors
from civic.models import Area, CalendarDay, OutcomeNotice
from civic.workdays import bump_calendar
from scorecard import selectors
from scorecard.period import custom_period, month_period, year_period
from scorecard.selectors.common import bucketed, in_period
from scorecard.selectors.numbers import raw_numbers
from tests.civic.notices import at, make_answer, make_award, make_payment, make_policy, make_project, one_of_each
from tests.civic.notices import publish as publish_notice
from tests.scorecard.views.test_kept_pages import _assert_fresh_and_changed, _fresh, _kept, _page

pytestmark = pytest.mark.django_db

# Decided on an ordinary Monday, before National Day (1–7 Oct off, Sat 12 Oct worked), in Spring Festival
# (10–17 Feb off, Sun 4 and Sun 18 Feb worked), on a corrected day, late in the evening and early in the
# morning (the local day counts), across the year's end.
MOMENTS = [
    at(2024, 3, 4),
    at(2024, 9, 30),
    at(2024, 10, 8),
    at(2024, 2, 8),
    at(2024, 2, 3, 23),
    at(2024, 3, 5, 0),
    at(2024, 12, 30, 22),
    at(2024, 5, 31),
]
NOWS = [at(2024, 3, 6), at(2024, 3, 11, 18), at(2024, 3, 12, 9), at(2024, 10, 14), at(2025, 1, 10)]


def _varied(world):
    """Decisions of every kind in two districts and a grid cell, at every moment above, under a district
    policy (5 days), a community's (10 days, wins below it) and none (5 days); a corrected day off; some
    already published."""
    district = make_policy(world, area="D1", answer_days=5)
    make_policy(world, area="C1", answer_days=10)
    CalendarDay.objects.create(date=date(2024, 3, 6), is_workday=False, note="本市临时假日")
    CalendarDay.objects.create(date=date(2024, 6, 1), is_workday=True, note="调休上班")
    bump_calendar()
    keys = set()
    for i, when in enumerate(MOMENTS):
        keys |= one_of_each(world, district, area=("C1", "C2", "c1a")[i % 3], when=when)
        project = make_project(world, "S1")
        make_award(world, project, district, when=when + timedelta(days=1))
        make_payment(world, project, district, when=when + timedelta(hours=3))
    for key in sorted(keys)[::4]:
        kind = key.split(":")[0]
        publish_notice(world, who="official_city", area="city", kind=kind, source_key=key, decided_at=MOMENTS[0])
    return keys


def _one_by_one(area, now) -> Counter:
    return Counter((d.area_path, d.due) for d in civic_selectors.unpublished_decisions(area, now=now))


def test_counted_per_area_and_day_as_the_list_says_decision_by_decision(world):
    _varied(world)
    for now in NOWS:
        for name in ("city", "D1", "C1", "c1a", "D2"):
            counted = civic_selectors.waiting_deadlines(world[name], now=now)
            assert counted == _one_by_one(world[name], now), (name, now)
        assert sum(civic_selectors.waiting_deadlines(world["city"], now=now).values()) > 30


def _notices_one_by_one(scope, buckets, period, today) -> dict[str, list[int]]:
    """The scorecard's notices figure as it was counted before: a Decision each, its overdue flag and due."""
    counts = {bucket: [0, 0] for bucket in buckets}
    notices = bucketed(
        OutcomeNotice.objects.filter(in_period("published_at", period), corrects__isnull=True),
        "area_path",
        scope,
        buckets,
    )
    for notice in civic_selectors.published_within_deadline(notices):
        if notice.bucket in counts:
            counts[notice.bucket][0] += int(notice.timing.on_time)
            counts[notice.bucket][1] += 1
    for decision in civic_selectors.unpublished_decisions(Area(path=scope or "/")):
        if decision.overdue and period.start <= decision.due <= period.end and decision.due < today:
            bucket = next((path for path in buckets if decision.area_path.startswith(path)), None)
            if bucket is not None:
                counts[bucket][1] += 1
    return counts


def test_the_scorecards_notices_figure_is_what_counting_one_by_one_gives(world):
    _varied(world)
    city, d1 = world["city"], world["D1"]
    cases = [
        ("", [""]),
        (city.path, [city.path]),
        (city.path, [world["D1"].path, world["D2"].path]),
        (d1.path, [d1.path]),
        (d1.path, [world["S1"].path]),
        (world["C1"].path, [world["c1a"].path, world["c1b"].path]),
    ]
    periods = [
        year_period(2024),
        month_period(2024, 3),
        month_period(2024, 10),
        custom_period(date(2024, 2, 1), date(2024, 2, 29)),
    ]
    for period in periods:
        for today in (date(2024, 3, 12), date(2024, 10, 15), timezone.localdate()):
            for scope, buckets in cases:
                numbers = raw_numbers(scope, buckets, period, today)
                expected = _notices_one_by_one(scope, buckets, period, today)
                assert {b: numbers[b]["notices"] for b in buckets} == expected, (scope, buckets, period, today)
    totals = raw_numbers("", [""], year_period(2024), timezone.localdate())[""]["notices"]
    assert totals[1] > totals[0] >= 0 and totals[1] > 20  # overdue decisions are counted, late ones too


def test_the_count_costs_the_same_queries_whatever_the_number_of_decisions(world):
    policy = make_policy(world)
    one_of_each(world, policy)
    period = year_period(2024)
    civic_selectors.waiting_deadlines(world["city"])  # warms the working-day calendar

    def measured():
        with CaptureQueriesContext(connection) as waiting:
            civic_selectors.waiting_deadlines(world["city"])
        with CaptureQueriesContext(connection) as page, selectors.one_computation():
            selectors.scorecard(world["city"], period)
            selectors.compare_children(world["city"], period)
        return len(waiting.captured_queries), len(page.captured_queries)

    few = measured()
    for when in MOMENTS:
        one_of_each(world, policy, area="c1a", when=when)
        make_answer(world, area="C2", when=when)
    assert measured() == few
    assert few[0] <= 8  # one per kind of decision and the deadline rules


def test_a_card_and_its_children_read_what_they_share_once_and_count_the_same(world):
    policy = make_policy(world)
    for when in MOMENTS:
        one_of_each(world, policy, area="C1", when=when)
    period = year_period(2024)
    with CaptureQueriesContext(connection) as apart:
        card = selectors.scorecard(world["city"], period)
        children = selectors.compare_children(world["city"], period)
    with CaptureQueriesContext(connection) as together, selectors.one_computation():
        assert selectors.scorecard(world["city"], period) == card
        assert selectors.compare_children(world["city"], period) == children
    assert len(together.captured_queries) < len(apart.captured_queries)


def test_a_payment_waiting_past_its_deadline_shows_on_the_scorecard_at_once(client, world):
    today = timezone.localdate()
    url = f"/areas/7701/scorecard/?period=custom&start={today - timedelta(days=90)}&end={today}"
    policy = make_policy(world, since=timezone.now() - timedelta(days=400))
    _kept(client, url)
    before = _page(client, url)
    project = make_project(world)
    payment = make_payment(world, project, policy, when=timezone.now() - timedelta(days=30))  # bumps the area
    _assert_fresh_and_changed(client, url, before)
    _kept(client, url)
    publish_notice(world, kind="payment", source_key=f"payment:{payment.pk}")
    shown = _page(client, url)
    assert shown == _fresh(client, url)  # published late: counted as a late notice now, not as waiting


def test_the_days_numbers_kept_are_the_numbers_computed(world):
    """What the pages keep for the day (dates, amounts, hot spots through JSON) comes back exactly."""
    from decimal import Decimal

    from funding.models import Commitment
    from proposals.models import Proposal
    from scorecard.selectors.cache import cached_numbers
    from tests.casework.factories import make_category, make_report

    _varied(world)
    lamp = make_category(world["D1"])
    for i, when in enumerate(MOMENTS):
        make_report(world[("c1a", "c1b", "c2a")[i % 3]], lamp, state=("closed", "submitted")[i % 2], submitted_at=when)
        Commitment.objects.create(
            project=make_project(world),
            source=("enterprise", "social", "resident")[i % 3],
            funder="一号物业公司",
            amount=Decimal("1234.50") + i,
            created_by=world["official_here"],
            created_at=when,
        )
    published = Proposal.objects.filter(state="published")
    for i, proposal in enumerate(published):
        proposal.published_at = MOMENTS[i % len(MOMENTS)]
        proposal.response_due = proposal.published_at.date() + timedelta(days=10)
        proposal.first_answered_at = proposal.published_at + timedelta(days=3 + i) if i % 2 else None
        proposal.save()
    period = custom_period(date(2024, 1, 1), timezone.localdate())
    cases = [
        ("", [""]),
        (world["city"].path, [world["D1"].path, world["D2"].path]),
        (world["C1"].path, [world["C1"].path]),
    ]
    for scope, buckets in cases:
        fresh = raw_numbers(scope, buckets, period, timezone.localdate())
        for _time in range(2):  # computed and kept, then read back
            with selectors.one_computation(keep=True):
                assert cached_numbers(scope, buckets, period) == fresh, scope
    city = raw_numbers("", [""], period, timezone.localdate())[""]
    assert city["answers"] and city["hot_spots"] and any(city["cofunding"].values()) and city["notices"][1]
