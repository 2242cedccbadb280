"""Working time as the limits of small matters count it: working hours (09:00–17:00 by default,
`settings.CASEWORK_WORKING_HOURS`) on the working days of the official calendar (`civic.workdays`).

The arithmetic is pure: each function takes the day test and the hours of a working day, so tests can drive
it with any calendar. `WorkingTime.official()` binds it to the official calendar and the settings.
Datetimes are aware and counted in their own time zone (callers pass local time, Asia/Shanghai).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MAX_DAYS = 3660  # a calendar without working days for ten years is a broken calendar


def parse_hours(text: str) -> tuple[time, time]:
    """ "09:00-17:00" → (09:00, 17:00); ValueError unless the day starts before it ends."""
    start_text, end_text = (part.strip() for part in text.split("-", 1))
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    if start >= end:
        raise ValueError(f"working hours must start before they end: {text!r}")
    return start, end


@dataclass(frozen=True)
class WorkingTime:
    is_workday: Callable[[date], bool]
    day_start: time = time(9)
    day_end: time = time(17)

    @classmethod
    def official(cls) -> WorkingTime:
        """The official calendar (with its corrections) and the city's working hours from the settings."""
        from django.conf import settings

        from civic import workdays

        corrections = workdays._current()
        start, end = parse_hours(settings.CASEWORK_WORKING_HOURS)
        return cls(lambda day: workdays.is_workday(day, corrections), start, end)

    @property
    def minutes_per_day(self) -> int:
        length = datetime.combine(date.min, self.day_end) - datetime.combine(date.min, self.day_start)
        return int(length // timedelta(minutes=1))

    @staticmethod
    def _at(day: date, moment: time, tz) -> datetime:
        return datetime.combine(day, moment, tzinfo=tz)

    def _next_workday(self, day: date) -> date:
        for _ in range(MAX_DAYS):
            day += timedelta(days=1)
            if self.is_workday(day):
                return day
        raise ValueError("no working day in ten years")

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` if it lies in working time, else the start of the next working hours."""
        day, tz = moment.date(), moment.tzinfo
        if self.is_workday(day):
            if moment.time() < self.day_start:
                return self._at(day, self.day_start, tz)
            if moment.time() < self.day_end:
                return moment
        return self._at(self._next_workday(day), self.day_start, tz)

    def add_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of working time after `start` (a limit counted from out of hours starts
        at the next working hour; a limit that ends exactly at the end of a day ends then)."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        moment = self.next_working_moment(start)
        left = timedelta(minutes=minutes)
        while True:
            end_of_day = self._at(moment.date(), self.day_end, moment.tzinfo)
            if left <= end_of_day - moment:
                return moment + left
            left -= end_of_day - moment
            moment = self._at(self._next_workday(moment.date()), self.day_start, moment.tzinfo)

    def add_hours(self, start: datetime, hours: int) -> datetime:
        return self.add_minutes(start, hours * 60)

    def add_days(self, start: datetime, days: int) -> datetime:
        """The same working time of day `days` working days after `start` (from out of hours: after the
        next working hour's start)."""
        if days < 0:
            raise ValueError("days must not be negative")
        moment = self.next_working_moment(start)
        day = moment.date()
        for _ in range(days):
            day = self._next_workday(day)
        return self._at(day, moment.time(), moment.tzinfo)

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes in [start, end) (0 when `end` is not after `start`)."""
        if end <= start:
            return 0
        total = timedelta(0)
        day, tz = start.date(), start.tzinfo
        end = end.astimezone(tz)
        for _ in range(MAX_DAYS * 2):
            if day > end.date():
                break
            if self.is_workday(day):
                low = max(start, self._at(day, self.day_start, tz))
                high = min(end, self._at(day, self.day_end, tz))
                if high > low:
                    total += high - low
            day += timedelta(days=1)
        return int(total // timedelta(minutes=1))


def local(moment: datetime) -> datetime:
    from django.utils import timezone

    return timezone.localtime(moment)


def response_due(submitted_at: datetime, hours: int, clock: WorkingTime | None = None) -> datetime:
    return (clock or WorkingTime.official()).add_hours(local(submitted_at), hours)


def handling_due(accepted_at: datetime, days: int, clock: WorkingTime | None = None) -> datetime:
    return (clock or WorkingTime.official()).add_days(local(accepted_at), days)
