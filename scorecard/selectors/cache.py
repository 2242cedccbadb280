"""The numbers of a scorecard, and the data version (a fingerprint of the newest rows, kept for callers)."""

import hashlib
from bisect import bisect_left
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from casework.models import Report, ReportRating
from casework.rates import HotSpot, Rates
from civic import pagecache
from civic.models import AuditEntry, CalendarDay, OutcomeNotice, ResidencyVerification, TimelineEntry
from consultations.models import Consultation, Opinion, Symposium
from deliberation.models import Minutes, Participation, Session, SessionRecord
from funding.models import AwardObjection, Commitment, LedgerEntry, MicroProject, SatisfactionRating
from proposals.models import CoSponsor, Endorsement, Proposal

from ..period import Period
from .numbers import changes_at, clock_numbers, keeping, kept_clock_numbers, raw_numbers

_VERSIONED = [
    (AuditEntry, "MAX(id)"),
    (TimelineEntry, "MAX(id)"),
    (Proposal, "MAX(id)"),
    (Endorsement, "MAX(id)"),
    (Endorsement, "COUNT(*)"),  # co-signatures can be withdrawn (deleted) without an audit line
    (CoSponsor, "MAX(id)"),
    (CoSponsor, "COUNT(*)"),
    (Session, "MAX(id)"),
    (SessionRecord, "MAX(id)"),
    (Minutes, "MAX(id)"),
    (Participation, "MAX(id)"),
    (ResidencyVerification, "MAX(id)"),
    (MicroProject, "MAX(id)"),
    (Commitment, "MAX(id)"),
    (SatisfactionRating, "MAX(id)"),
    (SatisfactionRating, "MAX(changed_at)"),
    (AwardObjection, "MAX(id)"),
    (LedgerEntry, "MAX(id)"),
    (OutcomeNotice, "MAX(id)"),
    (CalendarDay, "MAX(id)"),
    (Consultation, "MAX(id)"),
    (Opinion, "MAX(id)"),
    (Symposium, "MAX(id)"),
    (Report, "MAX(id)"),
    (ReportRating, "MAX(id)"),
]


def data_version() -> str:
    """A short fingerprint of the newest rows of every table the figures read, in one query."""
    quote = connection.ops.quote_name
    parts = [f"(SELECT {what} FROM {quote(model._meta.db_table)})" for model, what in _VERSIONED]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha1(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:16]


def cached_numbers(scope: str, buckets: list[str], period: Period) -> dict[str, dict]:
    """The numbers of `buckets`. For the scorecard pages (`one_computation(keep=True)`), they are kept
    (`civic.pagecache.value`) under the scopes of the pages of the area and period (scorecard.pages) until
    the next midnight, so they are computed once per version of what they count and per day.
    The small matters' rates move each time a small matter's time limit passes (every few minutes at a
    city's scale): kept with them are the limits that will pass before midnight (`casework.rates.
    waiting_limits`), and the rates are read at this moment from those (`Rates.at`), exactly what counting
    afresh would give, without a query. Every write to a report bumps the scopes (scorecard.pages).
    The computation learns (`numbers.changes_at`) the next moment these numbers move: the pages' `valid_until`.
    (A cache keyed by `data_version` would read the newest row of every table, and count the co-signatures,
    on every miss, and could not tell one district's writes from another's.)"""
    from .. import pages

    today = timezone.localdate()
    if not keeping() or pages.is_future(period):  # a period not begun is not kept, as its pages
        changes_at(None)
        return raw_numbers(scope, buckets, period, today)
    code = scope.strip("/").split("/")[-1] if scope.strip("/") else None
    until = _next_midnight()

    def compute() -> dict[str, dict]:
        numbers = _encoded(raw_numbers(scope, buckets, period, today, clock=False))
        clock = kept_clock_numbers(scope, buckets, period, until)
        for bucket, n in numbers.items():
            rates, responses, handlings = clock.get(bucket, (Rates(), [], []))
            n["casework"] = {
                "rates": {**asdict(rates), "median_handling_days": _text(rates.median_handling_days)},
                "responses": [_micros(moment) for moment in responses],
                "handlings": [_micros(moment) for moment in handlings],
            }
        return numbers

    kept = pagecache.value(
        "scorecard-numbers",
        pages.page_scopes(code, period),
        (scope, tuple(buckets), period.start.isoformat(), period.end.isoformat(), today.isoformat()),
        compute,
        valid_until=lambda: until,
    )
    numbers = _decoded(kept)
    now = timezone.now()
    if now >= until:  # midnight passed since: the kept limits stop there
        changes_at(None)
        rates_now = clock_numbers(scope, buckets, period)
        for bucket, n in numbers.items():
            n["casework"] = rates_now.get(bucket, Rates())
        return numbers
    moment, next_change = _micros(now), _micros(until)
    for n in numbers.values():
        casework = n["casework"]
        rates = casework["rates"]
        median = rates["median_handling_days"]
        rates = Rates(**{**rates, "median_handling_days": Decimal(median) if median is not None else None})
        n["casework"] = rates.at(casework["responses"], casework["handlings"], moment)
        for limits in (casework["responses"], casework["handlings"]):
            i = bisect_left(limits, moment)  # the next to pass: at it, the rates move
            if i < len(limits):
                next_change = min(next_change, limits[i])
    changes_at(_EPOCH + timedelta(microseconds=next_change))
    return numbers


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    """Microseconds since 1970 (exact, as the database keeps moments; a float second would round them)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _next_midnight():
    local = timezone.localtime()
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _encoded(numbers: dict[str, dict]) -> dict[str, dict]:
    """As JSON keeps it: dates and amounts as text, hot spots as objects (`_decoded` gives them back)."""
    out = {}
    for bucket, n in numbers.items():
        n = {key: value for key, value in n.items() if key != "casework"}
        n["answers"] = [[str(published), _text(answered), str(due)] for published, answered, due in n["answers"]]
        n["cofunding"] = {source: _text(amount) for source, amount in n["cofunding"].items()}
        n["hot_spots"] = [asdict(spot) for spot in n["hot_spots"]]
        out[bucket] = n
    return out


def _text(value) -> str | None:
    return str(value) if value is not None else None


def _decoded(kept: dict[str, dict]) -> dict[str, dict]:
    for n in kept.values():
        n["answers"] = [(date.fromisoformat(p), _day(a), date.fromisoformat(d)) for p, a, d in n["answers"]]
        n["cofunding"] = {source: Decimal(a) if a is not None else None for source, a in n["cofunding"].items()}
        n["hot_spots"] = [HotSpot(**spot) for spot in n["hot_spots"]]
    return kept
