"""The three rates, the median handling time and the hot spots on hand-made reports with known answers:
exclusions, a reopened report counted once, limits still running, a holiday in the period."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from casework import rates
from casework.models import Report, ReportState
from civic import workdays
from civic.models import CalendarDay
from tests.casework.factories import make_category, make_report, rate

pytestmark = pytest.mark.django_db
S = ReportState
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = (datetime(2025, 3, 1, tzinfo=SHANGHAI), datetime(2025, 4, 1, tzinfo=SHANGHAI))
NOW = datetime(2025, 3, 20, 12, tzinfo=SHANGHAI)


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=SHANGHAI)


def handled(cell, category, accepted: datetime, resolved: datetime, **fields):
    """A report closed after a resolution, submitted and accepted on the same morning."""
    times = {
        "submitted_at": accepted - timedelta(hours=1),
        "response_due": accepted + timedelta(hours=7),
        "accepted_at": accepted,
        "handling_due": accepted + timedelta(days=5),
        "resolved_at": resolved,
        "closed_at": resolved + timedelta(days=1),
    }
    return make_report(cell, category, state=S.CLOSED, **{**times, **fields})


@pytest.fixture
def table(world):
    """The hand-computed table (now: 20 March 2025, noon):

    | report | state | response | resolution | rating |
    |---|---|---|---|---|
    | r1 | closed, handled 10→13 Mar | in time | resolved | 5 |
    | r2 | closed after a reopening, handled 10→17 Mar | late | resolved | 2, then 4 (latest) |
    | r3 | submitted, response limit passed | late | — | — |
    | r4 | submitted an hour ago | still running: not counted | — | — |
    | r5 | dispatched, handling limit to come | in time | still running: not counted | — |
    | r6 | in progress after a reopening, handling limit passed | in time | not resolved | 2 (latest) |
    | r7 | referred | in time | left out | — |
    | r8, r9, r10 | rejected, withdrawn, merged into r1 | left out | left out | — |
    | r11 | closed, submitted in February | left out | left out | 5 |
    | r12 | submitted, limit passed but the clock is stopped | not counted | — | — |
    | r13 | resolved, waiting for the rating, handling limit passed | in time | not resolved | — |
    | r14 | closed without a rating, handled 6→7 Mar | in time | resolved | — |

    reports 10; response 6 in time of 8; resolution 3 of 5; satisfaction 2 of 3; handling days 3, 5, 1.
    """
    w = world
    cell = w["c1a"]
    lamp = make_category(w["D1"])
    r = {}
    r["r1"] = handled(cell, lamp, at(10), at(13, 16), rating=5)
    r["r2"] = handled(cell, lamp, at(10), at(17, 15), response_due=at(10) - timedelta(minutes=30), reopen_count=1)
    rate(r["r2"], 2, round=0)
    rate(r["r2"], 4, round=1)
    r["r3"] = make_report(cell, lamp, submitted_at=at(18), response_due=at(19))
    r["r4"] = make_report(cell, lamp, submitted_at=NOW - timedelta(hours=1), response_due=NOW + timedelta(hours=7))
    r["r5"] = make_report(cell, lamp, state=S.DISPATCHED, submitted_at=at(19), handling_due=at(24))
    r["r6"] = make_report(
        cell,
        lamp,
        state=S.IN_PROGRESS,
        submitted_at=at(3),
        handling_due=at(19),
        handling_overdue_at=at(19, 11),
        reopen_count=1,
    )
    rate(r["r6"], 2, round=0)
    r["r7"] = make_report(cell, lamp, state=S.REFERRED, submitted_at=at(5))
    r["r8"] = make_report(cell, lamp, state=S.REJECTED, submitted_at=at(5))
    r["r9"] = make_report(cell, lamp, state=S.WITHDRAWN, submitted_at=at(5))
    r["r10"] = make_report(cell, lamp, state=S.MERGED, submitted_at=at(5), merged_into=r["r1"])
    r["r11"] = handled(cell, lamp, at(24, month=2), at(26, month=2), rating=5)
    r["r12"] = make_report(cell, lamp, submitted_at=at(17), response_due=at(18), clock_stopped_at=at(17, 14))
    r["r13"] = make_report(cell, lamp, state=S.RESOLVED, submitted_at=at(11), handling_due=at(14))
    r["r14"] = handled(cell, lamp, at(6), at(7, 11))
    return r


def of_c1(world, now=NOW):
    return rates.rates_of(Report.objects.filter(area_path__startswith=world["C1"].path), *MARCH, now)


def test_the_three_rates_on_the_hand_computed_table(world, table):
    got = of_c1(world)
    assert got.reports == 10
    assert (got.response_in_time, got.response_counted, got.response_rate) == (6, 8, Decimal("0.7500"))
    assert (got.resolved, got.resolution_counted, got.resolution_rate) == (3, 5, Decimal("0.6000"))
    assert (got.satisfied, got.rated, got.satisfaction_rate) == (2, 3, Decimal("0.6667"))
    assert got.reopened == 2  # r2 and r6: each counted once, with its latest rating
    assert (got.handled, got.median_handling_days) == (3, Decimal("3.0"))  # 1, 3, 5 working days


def test_limits_still_running_are_counted_once_they_pass(world, table):
    later = of_c1(world, now=at(31, 12))
    # r4's response limit passed (late); r5's handling limit passed (not resolved); r12's clock still stopped.
    assert (later.response_in_time, later.response_counted) == (6, 9)
    assert (later.resolved, later.resolution_counted) == (3, 6)


def test_a_holiday_in_the_period_is_not_a_working_day(world, table):
    CalendarDay.objects.create(date=at(12).date(), is_workday=False, note="地方节日")
    from civic.workdays import bump_calendar

    bump_calendar()
    # r1 10→13 March: 2 working days; r2 10→17: 4; r14 6→7: 1.
    assert of_c1(world).median_handling_days == Decimal("2.0")


def test_nothing_to_count_gives_no_rate(world):
    got = of_c1(world)
    assert got.reports == 0
    assert got.response_rate is None and got.resolution_rate is None and got.satisfaction_rate is None
    assert got.median_handling_days is None


def test_hot_spots_lowest_satisfaction_then_most_reports(world, django_assert_num_queries):
    w = world
    lamp = make_category(w["D1"])
    drain = make_category(w["D1"], key="drain", name="下水道堵塞", name_en="Blocked drain")
    rubbish = make_category(w["D1"], key="rubbish", name="垃圾堆放", name_en="Rubbish")
    # The same key overridden in the community: counted with the district's, named as the district names it.
    lamp_here = make_category(w["C1"], key="lamp", name="楼道灯不亮")
    for _ in range(2):
        make_report(w["c1a"], lamp, state=S.CLOSED, submitted_at=at(3), rating=4)
    make_report(w["c1a"], lamp_here, state=S.CLOSED, submitted_at=at(4), rating=2, handling_overdue_at=at(6))
    make_report(w["c1b"], lamp, state=S.CLOSED, submitted_at=at(3), rating=1, response_overdue_at=at(3, 18))
    make_report(w["c1b"], lamp, state=S.CLOSED, submitted_at=at(3))
    make_report(w["c1b"], drain, state=S.CLOSED, submitted_at=at(3), rating=5)
    for _ in range(3):
        make_report(w["c1a"], rubbish, submitted_at=at(5))
    for _ in range(2):
        make_report(w["c1b"], rubbish, submitted_at=at(5))
    make_report(w["c1a"], rubbish, state=S.WITHDRAWN, submitted_at=at(5))  # left out
    make_report(w["c2a"], drain, submitted_at=at(5))  # another community

    with django_assert_num_queries(2):
        spots = rates.hot_spots(Report.objects.filter(area_path__startswith=w["C1"].path), *MARCH)
    assert [(s.cell_code, s.category_key, s.reports) for s in spots] == [
        (w["c1b"].code, "lamp", 2),  # 0 of 1 rated satisfied
        (w["c1a"].code, "lamp", 3),  # 2 of 3
        (w["c1b"].code, "drain", 1),  # 1 of 1
        (w["c1a"].code, "rubbish", 3),  # not rated: last, the most reports first
        (w["c1b"].code, "rubbish", 2),
    ]
    first, second = spots[0], spots[1]
    assert (first.overdue_share, first.satisfaction_rate) == (Decimal("0.5000"), Decimal("0.0000"))
    assert (second.overdue_share, second.satisfaction_rate) == (Decimal("0.3333"), Decimal("0.6667"))
    assert second.category_name == "路灯不亮"
    assert spots[3].satisfaction_rate is None
    assert rates.hot_spots(Report.objects.all(), *MARCH, limit=2) == spots[:2]


def test_rates_by_bucket_in_two_queries(world, django_assert_num_queries):
    from django.db.models import Case, CharField, Value, When

    w = world
    lamp = make_category(w["D1"])
    make_report(w["c1a"], lamp, state=S.CLOSED, submitted_at=at(3), rating=5)
    make_report(w["c2a"], lamp, state=S.CLOSED, submitted_at=at(3), rating=1)
    make_report(w["c2a"], lamp, state=S.CLOSED, submitted_at=at(4), rating=4)
    buckets = Report.objects.annotate(
        bucket=Case(
            *[When(area_path__startswith=w[a].path, then=Value(w[a].path)) for a in ("D1", "D2")],
            default=Value(""),
            output_field=CharField(),
        )
    )
    workdays.is_workday(NOW.date())  # the calendar corrections are read once per process, not per call
    with django_assert_num_queries(2):
        got = rates.rates_by_bucket(buckets, *MARCH, NOW)
    assert got[w["D1"].path].satisfaction_rate == Decimal("1.0000")
    assert got[w["D2"].path].satisfaction_rate == Decimal("0.5000")
    assert got[w["D2"].path].handled == 2


def by_district(world):
    from django.db.models import Case, CharField, Value, When

    return Report.objects.annotate(
        bucket=Case(
            *[When(area_path__startswith=world[a].path, then=Value(world[a].path)) for a in ("D1", "D2")],
            default=Value(""),
            output_field=CharField(),
        )
    )


def test_the_rates_at_a_later_moment_from_the_limits_kept_are_what_a_fresh_count_gives(world, table):
    """Counted at noon with the limits that pass before midnight, the rates at any moment of the afternoon
    are, without a query, what counting afresh at that moment gives: response limits of reports not
    accepted add late responses, handling limits of accepted reports not closed add unresolved ones; a
    stopped clock, a referral, a report closed after its resolution, a response already given or a limit
    after midnight add nothing."""
    w = world
    cell, lamp = w["c1a"], make_category(w["D1"], key="bench", name="长椅损坏", name_en="Broken bench")
    midnight = datetime(2025, 3, 21, tzinfo=SHANGHAI)
    noon = NOW  # r4's response limit passes at 19:00 (table)
    make_report(cell, lamp, submitted_at=at(20, 9), response_due=at(20, 14))  # counted late at 14:00
    make_report(cell, lamp, submitted_at=at(20, 9), response_due=at(20, 15), clock_stopped_at=at(20, 11))
    make_report(cell, lamp, state=S.DISPATCHED, submitted_at=at(17), handling_due=at(20, 16))  # unresolved at 16:00
    make_report(cell, lamp, state=S.REFERRED, submitted_at=at(17), handling_due=at(20, 16))
    handled(cell, lamp, at(17), at(19), handling_due=at(20, 17))
    make_report(cell, lamp, state=S.IN_PROGRESS, submitted_at=at(17), handling_due=at(20, 17), clock_stopped_at=at(19))
    make_report(cell, lamp, submitted_at=at(20, 11), response_due=at(21, 9))  # after midnight
    make_report(cell, lamp, state=S.ACCEPTED, submitted_at=at(20, 9), response_due=at(20, 13))  # answered
    make_report(w["c2a"], lamp, submitted_at=at(20, 9), response_due=at(20, 13))
    make_report(w["c2a"], lamp, state=S.ACCEPTED, submitted_at=at(18), handling_due=at(20, 13))
    make_report(w["c2a"], lamp, submitted_at=at(20, 9), response_due=at(20, 13))  # two at the same moment

    reports = by_district(w)
    kept = rates.rates_by_bucket(reports, *MARCH, noon)
    limits = rates.waiting_limits(reports, *MARCH, noon, midnight)
    d1, d2 = w["D1"].path, w["D2"].path
    assert limits[d1] == ([at(20, 14), at(20, 19)], [at(20, 16)])
    assert limits[d2] == ([at(20, 13), at(20, 13)], [at(20, 13)])

    moments = [noon, at(20, 13), at(20, 13) + timedelta(microseconds=1)]
    moments += [at(20, 14) + timedelta(minutes=30), at(20, 16) + timedelta(minutes=1)]
    moments += [at(20, 18), at(20, 19) + timedelta(seconds=1), midnight - timedelta(microseconds=1)]
    changed = set()
    for moment in moments:
        fresh = rates.rates_by_bucket(reports, *MARCH, moment)
        for bucket in (d1, d2):
            later = kept[bucket].at(*limits[bucket], moment)
            assert later == fresh[bucket], (bucket, moment)
            changed.add((bucket, later.response_rate, later.resolution_rate))
    assert len(changed) == 2 + 3 + 1  # D1 moved at 14:00, 16:00 and 19:00; D2 once, at 13:00
    # one scope too: the same counts as `rates_of`
    for moment in moments:
        of_d1 = rates.rates_of(Report.objects.filter(area_path__startswith=w["D1"].path), *MARCH, moment)
        assert kept[d1].at(*limits[d1], moment) == of_d1
