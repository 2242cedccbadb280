from datetime import date

import pytest

from civic import workdays
from civic.models import CalendarDay
from civic.workdays import add_working_days, bump_calendar, is_workday, working_days_between

# The corrections are read from the database (once per calendar version and reload period).
pytestmark = pytest.mark.django_db


def test_published_holidays_and_make_up_days_count():
    assert not is_workday(date(2026, 10, 1))  # National Day
    assert is_workday(date(2026, 10, 10))  # a Saturday made a working day (调休)
    assert not is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_years_nobody_published_count_monday_to_friday():
    assert is_workday(date(2027, 1, 4)) and not is_workday(date(2027, 1, 9))


def test_fifteen_working_days_across_national_day():
    # published on Mid-Autumn Day (Fri 2026-09-25, a holiday): 9-28, 9-29, 9-30, National Day 10-1..10-7 off,
    # 10-8 and 10-9 working, Saturday 10-10 a make-up working day, then 10-12..16 and 10-19..22
    due = add_working_days(date(2026, 9, 25), 15)
    assert due == date(2026, 10, 22)
    assert working_days_between(date(2026, 9, 25), due) == 15
    assert working_days_between(date(2026, 9, 25), date(2026, 9, 25)) == 0


def test_officials_corrections_override_the_published_calendar():
    CalendarDay.objects.create(date=date(2026, 12, 7), is_workday=False, note="本市临时假日")
    bump_calendar()
    assert not is_workday(date(2026, 12, 7))
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 8)
    CalendarDay.objects.all().delete()
    bump_calendar()
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)


def test_a_correction_whose_bump_was_lost_is_read_within_the_reload_period(monkeypatch):
    # Redis down: the bump stayed in the admin's process; this process still has the old version.
    monkeypatch.setattr(workdays, "_period", lambda: 1)
    assert is_workday(date(2026, 12, 7))
    CalendarDay.objects.create(date=date(2026, 12, 7), is_workday=False, note="本市临时假日")
    assert is_workday(date(2026, 12, 7))  # within the period: the old corrections, as before
    monkeypatch.setattr(workdays, "_period", lambda: 2)
    assert not is_workday(date(2026, 12, 7))


def test_one_computation_reads_the_calendar_version_once_and_keeps_its_corrections(monkeypatch):
    """A figure over thousands of rows (small matters' handling times) asks the cache for the calendar's
    version once, not once a row; outside such a computation every call asks again, so a correction made by
    another process is seen at once."""
    CalendarDay.objects.create(date=date(2027, 1, 4), is_workday=False, note="临时调整")
    bump_calendar()
    asked = []
    real = workdays._version
    monkeypatch.setattr(workdays, "_version", lambda: asked.append(1) or real())
    with workdays.one_calendar(), workdays.one_calendar():  # nested: still the one reading
        spans = [working_days_between(date(2027, 1, 1), date(2027, 1, 8)) for _ in range(50)]
    assert spans == [4] * 50 and len(asked) == 1  # 1-4 taken off: 5, 6, 7, 8
    working_days_between(date(2027, 1, 1), date(2027, 1, 8))
    working_days_between(date(2027, 1, 1), date(2027, 1, 8))
    assert len(asked) == 3
