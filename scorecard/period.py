"""The period a scorecard covers: a month, a quarter, a year or any run of days, in Asia/Shanghai time."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civic.errors import InvalidInput

KINDS = ("month", "quarter", "year", "custom")
FIRST_YEAR, LAST_YEAR = 2000, 2100
LONGEST_CUSTOM_DAYS = 3660  # ten years: anything longer is a typing mistake, not a question


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "year" | "custom"
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    label: str

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start 00:00, the day after end 00:00) in the site's time zone (Asia/Shanghai)."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    @property
    def year(self) -> int:
        return self.start.year


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return Period("month", start, end, formats.date_format(start, "YEAR_MONTH_FORMAT"))


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return Period("quarter", start, end, _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year})


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), pgettext("period label", "%(year)s") % {"year": year})


def custom_period(start: date, end: date) -> Period:
    label = _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    return Period("custom", start, end, label)


def _text(params: Mapping, name: str) -> str:
    value = params.get(name)
    if isinstance(value, list | tuple):  # a plain dict of lists, as parse_qs gives
        value = value[-1] if value else None
    return "" if value is None else str(value).strip()


def _number(params: Mapping, name: str, default: int, low: int, high: int, message) -> int:
    raw = _text(params, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise InvalidInput(f"{name}_invalid", message, field=name)
    return value


def _day(params: Mapping, name: str, message) -> date:
    raw = _text(params, name)
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"{name}_invalid", message, field=name)
    return day


def parse_period(params: Mapping, today: date | None = None) -> Period:
    """The period asked for in `params` (a query string): period=month|quarter|year|custom with year, month,
    quarter, or start and end (YYYY-MM-DD). Without a period: this year. Bad input raises InvalidInput
    naming the field."""
    today = today or timezone.localdate()
    kind = _text(params, "period") or "year"
    if kind not in KINDS:
        raise InvalidInput("period_invalid", _("Choose a month, a quarter, a year or your own dates."), field="period")
    if kind == "custom":
        start = _day(params, "start", _("Enter the first day as a date like 2026-01-05."))
        end = _day(params, "end", _("Enter the last day as a date like 2026-03-31."))
        if end < start:
            raise InvalidInput("period_reversed", _("The last day cannot come before the first day."), field="end")
        if (end - start).days >= LONGEST_CUSTOM_DAYS:
            raise InvalidInput("period_too_long", _("Choose a period of at most ten years."), field="end")
        return custom_period(start, end)
    year = _number(
        params,
        "year",
        today.year,
        FIRST_YEAR,
        LAST_YEAR,
        _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
    )
    if kind == "month":
        return month_period(year, _number(params, "month", today.month, 1, 12, _("Choose a month from 1 to 12.")))
    if kind == "quarter":
        return quarter_period(
            year, _number(params, "quarter", _quarter_of(today), 1, 4, _("Choose a quarter from 1 to 4."))
        )
    return year_period(year)
