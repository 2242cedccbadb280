"""casework.hours: working hours on working days, counted without a database."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from casework.hours import WorkingTime, parse_hours

TZ = ZoneInfo("Asia/Shanghai")
# Monday 2026-09-28 … ; a holiday on Wednesday 2026-09-30 in this test calendar, weekends off.
HOLIDAYS = {date(2026, 9, 30)}
CLOCK = WorkingTime(lambda d: d.weekday() < 5 and d not in HOLIDAYS, time(9), time(17))


def at(day, hour, minute=0):
    return datetime(2026, 9, day, hour, minute, tzinfo=TZ)


def test_hours_within_one_day():
    assert CLOCK.add_hours(at(28, 10), 4) == at(28, 14)


def test_a_limit_ending_at_the_end_of_the_day_ends_then():
    assert CLOCK.add_hours(at(28, 9), 8) == at(28, 17)


def test_hours_carry_over_to_the_next_working_day():
    assert CLOCK.add_hours(at(28, 15), 4) == at(29, 11)


def test_a_holiday_inside_the_limit_is_skipped():
    # Tuesday 15:00 + 4 working hours: 2 on Tuesday, Wednesday is a holiday, 2 on Thursday.
    assert CLOCK.add_hours(at(29, 15), 4) == datetime(2026, 10, 1, 11, tzinfo=TZ)


def test_out_of_hours_starts_at_the_next_working_hour():
    assert CLOCK.add_hours(at(28, 7), 1) == at(28, 10)
    assert CLOCK.add_hours(at(28, 20), 1) == at(29, 10)
    # Friday evening → Monday morning
    assert CLOCK.add_hours(datetime(2026, 10, 2, 18, tzinfo=TZ), 2) == datetime(2026, 10, 5, 11, tzinfo=TZ)


def test_days_keep_the_working_time_of_day_and_skip_holidays_and_weekends():
    # Tuesday 10:30 + 3 working days: Thursday, Friday, Monday.
    assert CLOCK.add_days(at(29, 10, 30), 3) == datetime(2026, 10, 5, 10, 30, tzinfo=TZ)
    # From out of hours the count starts at the next working hour.
    assert CLOCK.add_days(at(29, 18), 1) == datetime(2026, 10, 2, 9, tzinfo=TZ)


def test_minutes_between_count_only_working_time():
    assert CLOCK.minutes_between(at(28, 16), at(29, 10)) == 120
    assert CLOCK.minutes_between(at(29, 16), datetime(2026, 10, 1, 10, tzinfo=TZ)) == 120  # holiday between
    assert CLOCK.minutes_between(at(29, 10), at(29, 9)) == 0


@pytest.mark.parametrize("start_hour,hours", [(9, 1), (12, 7), (16, 9), (20, 17), (8, 40)])
def test_adding_then_measuring_gives_back_the_limit(start_hour, hours):
    start = at(28, start_hour)
    due = CLOCK.add_hours(start, hours)
    assert CLOCK.minutes_between(start, due) == hours * 60


def test_configured_hours_are_checked():
    assert parse_hours("08:30-17:30") == (time(8, 30), time(17, 30))
    assert WorkingTime(lambda d: True, time(8, 30), time(17, 30)).minutes_per_day == 540
    with pytest.raises(ValueError):
        parse_hours("17:00-09:00")


@pytest.mark.django_db
def test_official_calendar_skips_the_national_day_holiday(settings):
    settings.CASEWORK_WORKING_HOURS = "09:00-17:00"
    clock = WorkingTime.official()
    # Wednesday 30 September 2026, 15:00 + 4 working hours: 1–7 October are public holidays.
    assert clock.add_hours(at(30, 15), 4) == datetime(2026, 10, 8, 11, tzinfo=TZ)
    assert clock.add_days(at(30, 10), 1) == datetime(2026, 10, 8, 10, tzinfo=TZ)
