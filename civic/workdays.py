"""Working days as officials count them: Monday to Friday, minus public holidays, plus make-up
working days (调休). Published years come from `chinese-calendar`; CalendarDay rows correct them; a
year nobody has published yet counts Monday to Friday."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)  # the published calendar does not change while the process runs
def _published(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


# The version in the cache tells every process to reload at once after a correction. A bump that never
# reached a process (Redis was down: each process then counts in its own memory, and Redis still holds the
# old version when it returns) would keep that process on old corrections for good; the reload period
# bounds that to ten minutes, at one small query per process per period.
RELOAD_SECONDS = 600


def _period() -> int:
    return int(time.time() // RELOAD_SECONDS)


# The calendar one computation reads throughout (`one_calendar`): empty until first needed, then it; None
# outside one: each call reads the version.
_held: ContextVar[list[dict[date, bool]] | None] = ContextVar("civic.workdays.held", default=None)


def _current() -> dict[date, bool]:
    held = _held.get()
    if held is None:
        return _corrections(_version(), _period())
    if not held:
        held.append(_corrections(_version(), _period()))
    return held[0]


@contextmanager
def one_calendar() -> Iterator[None]:
    """Within, every working-day computation uses the calendar as first read inside: a figure over a hundred
    thousand reports asks for the calendar's version once, not once a report (a round trip to the cache
    each). Its result is as exact as the calendar when it began; a correction made meanwhile bumps the
    pages that count working days, which are then computed afresh."""
    if _held.get() is not None:  # already inside one
        yield
        return
    token = _held.set([])
    try:
        yield
    finally:
        _held.reset(token)


@lru_cache(maxsize=16)
def _corrections(version: int, period: int) -> dict[date, bool]:
    from .models import CalendarDay

    return dict(CalendarDay.objects.values_list("date", "is_workday"))


def _version() -> int:
    from django.core.cache import cache

    return cache.get_or_set("civic.calendar.version", 1, None)


def bump_calendar() -> None:
    """Call after a correction is saved, so every process reads the new calendar."""
    from django.core.cache import cache

    try:
        cache.incr("civic.calendar.version")
    except ValueError:
        cache.set("civic.calendar.version", 2, None)


def is_workday(day: date, corrections: dict[date, bool] | None = None) -> bool:
    corrections = _current() if corrections is None else corrections
    if day in corrections:
        return corrections[day]
    published = _published(day)
    return day.weekday() < 5 if published is None else published


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself is not counted)."""
    corrections = _current()
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_workday(current, corrections):
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if `end` is not after `start`)."""
    corrections = _current()
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current, corrections):
            count += 1
    return count
