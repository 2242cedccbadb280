"""The three rates of small matters (响应率, 解决率, 满意率), the median handling time and the hot spots.

One definition, read by the scorecard (`scorecard.selectors`), the open data (`scorecard.opendata.casework`)
and the proposal suggestions (`recurring`). Every function takes the reports to count as a queryset
(filtered to an area's subtree and, for the scorecard, annotated with a `bucket`), so the caller chooses the
scope and the count costs a fixed number of queries whatever the number of reports.

Which reports count (docs/casework.md, "Fields the figures read"):

- reports submitted in the period (by `submitted_at`), except those merged, withdrawn or rejected;
- each report is one row, so a report reopened after a poor rating counts once, with its last rating;
- a report still inside the limit being measured is left out of that rate until the limit passes or the
  step is done: the response rate counts a report once it is accepted or its response limit has passed; the
  resolution rate once it is closed after a resolution or its handling limit has passed. While the clock is
  stopped the limit is not running, so the report waits too.

Between two writes to the reports, the rates move with the clock only as those limits pass: counted once,
they are kept with the limits to come (`waiting_limits`) and read at a later moment with `Rates.at`.
"""

from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from civic.text import localized
from civic.workdays import one_calendar, working_days_between

from .models import SATISFIED_LEVELS, Category, Report, ReportState

SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")

EXCLUDED_STATES = (ReportState.MERGED, ReportState.WITHDRAWN, ReportState.REJECTED)
SATISFIED_RATING = Q(rating_level__in=sorted(SATISFIED_LEVELS))
CLOSED_AFTER_RESOLUTION = Q(state=ReportState.CLOSED, resolved_at__isnull=False)
CLOCK_RUNNING = Q(clock_stopped_at__isnull=True)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(SHARE, ROUND_HALF_UP)


def counted(queryset: QuerySet[Report], start: datetime, end: datetime) -> QuerySet[Report]:
    """The reports of `queryset` submitted in [start, end) that the rates count."""
    return queryset.filter(submitted_at__gte=start, submitted_at__lt=end).exclude(state__in=EXCLUDED_STATES)


def _response_counted(now: datetime) -> Q:
    return Q(accepted_at__isnull=False) | Q(response_due__lt=now, clock_stopped_at__isnull=True)


def _response_in_time() -> Q:
    return Q(accepted_at__isnull=False, accepted_at__lte=F("response_due"))


def _resolution_counted(now: datetime) -> Q:
    return (
        Q(accepted_at__isnull=False)
        & ~Q(state=ReportState.REFERRED)
        & (CLOSED_AFTER_RESOLUTION | Q(handling_due__lt=now, clock_stopped_at__isnull=True))
    )


def _response_waiting() -> Q:
    """Not counted in the response rate yet, and counted (late) once its response limit passes."""
    return Q(accepted_at__isnull=True, response_due__isnull=False) & CLOCK_RUNNING


def _resolution_waiting() -> Q:
    """Not counted in the resolution rate yet, and counted (unresolved) once its handling limit passes."""
    return (
        Q(accepted_at__isnull=False, handling_due__isnull=False)
        & ~Q(state=ReportState.REFERRED)
        & ~CLOSED_AFTER_RESOLUTION
        & CLOCK_RUNNING
    )


def aggregates(now: datetime) -> dict:
    """The counts every rate needs, as aggregates for `.annotate` (grouped) or `.aggregate` (one scope)."""
    return {
        "reports": Count("pk"),
        "online": Count("pk", filter=Q(channel="online")),
        "response_counted": Count("pk", filter=_response_counted(now)),
        "response_in_time": Count("pk", filter=_response_counted(now) & _response_in_time()),
        "resolution_counted": Count("pk", filter=_resolution_counted(now)),
        "resolved": Count("pk", filter=_resolution_counted(now) & CLOSED_AFTER_RESOLUTION),
        "rated": Count("pk", filter=Q(rating_level__isnull=False)),
        "satisfied": Count("pk", filter=SATISFIED_RATING),
        "overdue": Count("pk", filter=Q(response_overdue_at__isnull=False) | Q(handling_overdue_at__isnull=False)),
        "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
    }


def handled(queryset: QuerySet[Report]) -> QuerySet[Report]:
    """The reports closed after a resolution: their handling time runs from the first acceptance to the
    last resolution (one span per report, however often it was reopened)."""
    return queryset.filter(CLOSED_AFTER_RESOLUTION, accepted_at__isnull=False)


def handling_days(accepted_at: datetime, resolved_at: datetime) -> int:
    """Working days from the day of acceptance to the day of resolution (Beijing time)."""
    return working_days_between(timezone.localdate(accepted_at), timezone.localdate(resolved_at))


def median_days(days: list[int]) -> Decimal | None:
    if not days:
        return None
    return Decimal(str(median(days))).quantize(TENTH, ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    """The counts of one scope and the rates made of them."""

    reports: int = 0
    online: int = 0
    response_counted: int = 0
    response_in_time: int = 0
    resolution_counted: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    overdue: int = 0
    reopened: int = 0
    handled: int = 0  # reports in the median handling time
    median_handling_days: Decimal | None = None

    def at(self, responses: list, handlings: list, moment) -> "Rates":
        """These rates once the sorted limits before `moment` have passed (`waiting_limits`): each response
        limit adds a report counted in the response rate and not in time, each handling limit one counted
        in the resolution rate and not resolved. The limits and `moment` compare as they are (datetimes, or
        the same numbers for both)."""
        late, unresolved = bisect_left(responses, moment), bisect_left(handlings, moment)
        if not late and not unresolved:
            return self
        return replace(
            self,
            response_counted=self.response_counted + late,
            resolution_counted=self.resolution_counted + unresolved,
        )

    @property
    def response_rate(self) -> Decimal | None:
        return ratio(self.response_in_time, self.response_counted)

    @property
    def resolution_rate(self) -> Decimal | None:
        return ratio(self.resolved, self.resolution_counted)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return ratio(self.satisfied, self.rated)

    @property
    def online_share(self) -> Decimal | None:
        return ratio(self.online, self.reports)


def rates_by_bucket(queryset: QuerySet[Report], start: datetime, end: datetime, now: datetime) -> dict[str, Rates]:
    """{bucket: Rates} for a queryset annotated with `bucket`, in two queries."""
    reports = counted(queryset, start, end).order_by()
    rows = {row.pop("bucket"): row for row in reports.values("bucket").annotate(**aggregates(now))}
    days: dict[str, list[int]] = {}
    # one row per bucket and pair of days (Beijing time), not per report: many share them
    pairs = (
        handled(reports)
        .annotate(accepted_on=TruncDate("accepted_at"), resolved_on=TruncDate("resolved_at"))
        .values("bucket", "accepted_on", "resolved_on")
        .annotate(n=Count("pk"))
        .values_list("bucket", "accepted_on", "resolved_on", "n")
    )
    with one_calendar():
        for bucket, accepted_on, resolved_on, n in pairs:
            days.setdefault(bucket, []).extend([working_days_between(accepted_on, resolved_on)] * n)
    result = {}
    for bucket in set(rows) | set(days):
        spans = days.get(bucket, [])
        result[bucket] = Rates(**rows.get(bucket, {}), handled=len(spans), median_handling_days=median_days(spans))
    return result


def waiting_limits(
    queryset: QuerySet[Report], start: datetime, end: datetime, now: datetime, until: datetime
) -> dict[str, tuple[list[datetime], list[datetime]]]:
    """{bucket: (response limits, handling limits)}, each sorted: the limits in [now, until) whose passing
    moves the rates of `rates_by_bucket(..., now)` (one query). A response limit passing counts its report
    in `response_counted` (never in time: it is not accepted); a handling limit, in `resolution_counted`
    (not resolved). Nothing else in the rates moves with the clock, so `Rates.at` with these gives, at any
    moment before `until` and without a write, what `rates_by_bucket` would count then."""
    reports = counted(queryset, start, end).order_by()
    response = _response_waiting() & Q(response_due__gte=now, response_due__lt=until)
    handling = _resolution_waiting() & Q(handling_due__gte=now, handling_due__lt=until)
    result: dict[str, tuple[list[datetime], list[datetime]]] = {}
    for bucket, response_due, handling_due, waits_response in (
        reports.filter(response | handling)
        .annotate(waits_response=Case(When(response, then=Value(True)), default=Value(False)))
        .values_list("bucket", "response_due", "handling_due", "waits_response")
    ):
        responses, handlings = result.setdefault(bucket, ([], []))
        if waits_response:
            responses.append(response_due)
        else:
            handlings.append(handling_due)
    for responses, handlings in result.values():
        responses.sort()
        handlings.sort()
    return result


def rates_of(queryset: QuerySet[Report], start: datetime, end: datetime, now: datetime | None = None) -> Rates:
    """The rates of every report in `queryset` (one scope), in two queries."""
    now = now or timezone.now()
    reports = counted(queryset, start, end).order_by()
    spans = [handling_days(a, r) for a, r in handled(reports).values_list("accepted_at", "resolved_at")]
    return Rates(**reports.aggregate(**aggregates(now)), handled=len(spans), median_handling_days=median_days(spans))


@dataclass(frozen=True)
class HotSpot:
    cell_code: str
    cell_name: str
    category_key: str
    category_name: str
    reports: int
    overdue: int
    rated: int
    satisfied: int

    @property
    def overdue_share(self) -> Decimal | None:
        return ratio(self.overdue, self.reports)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return ratio(self.satisfied, self.rated)


def category_names(keys) -> dict[str, str]:
    """The name of each category key as the area highest up defines it (one query)."""
    names: dict[str, tuple[int, str]] = {}
    for key, name, name_en, path in Category.objects.filter(key__in=set(keys)).values_list(
        "key", "name", "name_en", "area_path"
    ):
        depth = path.count("/")
        if key not in names or depth < names[key][0]:
            names[key] = (depth, localized(name, name_en))
    return {key: name for key, (_depth, name) in names.items()}


def hot_spots(queryset: QuerySet[Report], start: datetime, end: datetime, *, limit: int | None = 10) -> list[HotSpot]:
    """Grid cell × category: reports, how many ever passed a limit, how many were rated and satisfied; the
    lowest satisfaction first (unrated last), then the most reports (two queries)."""
    rows = (
        counted(queryset, start, end)
        .order_by()
        .values("cell__code", "cell__name", "category_key")
        .annotate(
            reports=Count("pk"),
            overdue=Count("pk", filter=Q(response_overdue_at__isnull=False) | Q(handling_overdue_at__isnull=False)),
            rated=Count("pk", filter=Q(rating_level__isnull=False)),
            satisfied=Count("pk", filter=SATISFIED_RATING),
        )
    )
    spots = sorted(
        rows,
        key=lambda r: (
            r["rated"] == 0,
            Decimal(r["satisfied"]) / r["rated"] if r["rated"] else Decimal(0),
            -r["reports"],
            r["cell__code"],
            r["category_key"],
        ),
    )
    if limit is not None:
        spots = spots[:limit]
    names = category_names(row["category_key"] for row in spots) if spots else {}
    return [
        HotSpot(
            cell_code=row["cell__code"],
            cell_name=row["cell__name"],
            category_key=row["category_key"],
            category_name=names.get(row["category_key"], row["category_key"]),
            reports=row["reports"],
            overdue=row["overdue"],
            rated=row["rated"],
            satisfied=row["satisfied"],
        )
        for row in spots
    ]


def month_start(day) -> datetime:
    """00:00 Beijing time on `day` (the first day of a month, for the open data's monthly rows)."""
    from datetime import time

    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True)
class Recurring:
    """A category that keeps being reported in a grid cell: a candidate for a proposal."""

    cell_id: int
    cell_code: str
    cell_name: str
    category_key: str
    category_name: str
    reports: int
    latest: datetime


def recurring(queryset: QuerySet[Report], since: datetime, threshold: int) -> list[Recurring]:
    """Grid cell × category with at least `threshold` reports submitted since `since` (merged, withdrawn and
    rejected left out), the most reports first (two queries)."""
    from django.db.models import Max

    rows = list(
        queryset.filter(submitted_at__gte=since)
        .exclude(state__in=EXCLUDED_STATES)
        .order_by()
        .values("cell_id", "cell__code", "cell__name", "category_key")
        .annotate(reports=Count("pk"), latest=Max("submitted_at"))
        .filter(reports__gte=threshold)
        .order_by("-reports", "-latest", "cell__code", "category_key")
    )
    names = category_names(row["category_key"] for row in rows) if rows else {}
    return [
        Recurring(
            cell_id=row["cell_id"],
            cell_code=row["cell__code"],
            cell_name=row["cell__name"],
            category_key=row["category_key"],
            category_name=names.get(row["category_key"], row["category_key"]),
            reports=row["reports"],
            latest=row["latest"],
        )
        for row in rows
    ]
