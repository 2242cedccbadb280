"""Reading reports: the public board per area (keyset paging: constant queries and no deep OFFSET at any
size), one report with its story, the similar open reports, my reports, and the work queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from civic.models import AreaRoleKind
from civic.rows import prepared_cursor
from civic.selectors import covered_by

from ..models import (
    OPEN_STATES,
    WAITING_FOR_RESPONSE,
    WITH_HANDLER,
    WITH_UNIT,
    Escalation,
    Report,
    ReportEvent,
    ReportFollower,
    ReportPhoto,
    ReportState,
)
from ..predicates import INTAKE_ROLES, unit_ids_of

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CLOSED_STATES = frozenset({ReportState.CLOSED})
STATUS_GROUPS = {
    "open": OPEN_STATES,
    "closed": CLOSED_STATES,
    "ended": frozenset({ReportState.REJECTED, ReportState.WITHDRAWN, ReportState.MERGED, ReportState.REFERRED}),
}


def overdue_condition(now: datetime | None = None) -> Q:
    """Past the limit that runs now, the clock not stopped."""
    now = now or timezone.now()
    return Q(clock_stopped_at__isnull=True) & (
        Q(state__in=WAITING_FOR_RESPONSE, response_due__lt=now) | Q(state__in=WITH_HANDLER, handling_due__lt=now)
    )


def _listed(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.select_related("category", "cell", "unit__organisation")


# What a card (casework/_row.html) shows and `Report.is_overdue` reads: the lists read these columns only.
CARD_FIELDS = (
    "id",
    "place",
    "state",
    "submitted_at",
    "response_due",
    "handling_due",
    "clock_stopped_at",
    "reopen_count",
    "follower_count",
    "rating_level",
    "category__name",
    "category__name_en",
    "cell__name",
    "unit__organisation__name",
)


def _cards(queryset: QuerySet[Report], cards: bool = True) -> QuerySet[Report]:
    """The rows a list shows: with `cards`, only the columns of a card (the pages); else whole (the API)."""
    queryset = _listed(queryset)
    return queryset.only(*CARD_FIELDS) if cards else queryset


def running_due(report) -> datetime | None:
    """When the limit that runs now passes (None: none runs, or the clock is stopped)."""
    if report.clock_stopped_at is not None:
        return None
    if report.state in WAITING_FOR_RESPONSE:
        return report.response_due
    if report.state in WITH_HANDLER:
        return report.handling_due
    return None


def rows_valid_until(rows, now: datetime, *, soon: timedelta | None = None) -> datetime | None:
    """The first moment one of `rows` turns overdue (or, with `soon`, due soon): until then a rendering
    of them holds."""
    moments = []
    for report in rows:
        due = running_due(report)
        if due is None:
            continue
        moments += [moment for moment in (due, due - soon if soon else None) if moment is not None and moment > now]
    return min(moments, default=None)


def next_overdue_in(area, now: datetime) -> datetime | None:
    """When the next report of `area` (and under it) turns overdue: an overdue list holds until then. Two
    index reads (the partial indexes on the due times), whatever the number of reports."""
    base = Report.objects.filter(area_path__startswith=area.path, is_hidden=False, clock_stopped_at__isnull=True)
    moments = [
        base.filter(state__in=WAITING_FOR_RESPONSE, response_due__gt=now)
        .order_by("response_due")
        .values_list("response_due", flat=True)
        .first(),
        base.filter(state__in=WITH_HANDLER, handling_due__gt=now)
        .order_by("handling_due")
        .values_list("handling_due", flat=True)
        .first(),
    ]
    return min((moment for moment in moments if moment is not None), default=None)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the (submitted_at, id) of its last row, as text for a link."""

    submitted_at: datetime
    pk: int

    def __str__(self) -> str:
        return f"{(self.submitted_at - EPOCH) // timedelta(microseconds=1)}_{self.pk}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        if not text or len(text) > 40:
            return None
        try:
            stamp, pk = text.split("_", 1)
            return cls(EPOCH + timedelta(microseconds=int(stamp)), int(pk))
        except (ValueError, OverflowError):
            return None


@dataclass
class Page:
    rows: list
    next_cursor: Cursor | None


def board(
    area,
    *,
    status: str = "",
    state: str = "",
    category_key: str = "",
    cell=None,
    overdue: bool = False,
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
    include_hidden: bool = False,
    cards: bool = True,
) -> Page:
    """The public board of `area` and everything under it, newest first: one query per page whatever the
    number of reports and however deep the page (keyset on submitted_at, id: the indexes of Report)."""
    if cell is not None:
        queryset = Report.objects.filter(cell=cell)
    else:
        queryset = Report.objects.filter(area_path__startswith=area.path)
    if status in STATUS_GROUPS:
        queryset = queryset.filter(state__in=STATUS_GROUPS[status])
    if state:
        queryset = queryset.filter(state=state)
    if category_key:
        queryset = queryset.filter(category_key=category_key)
    if overdue:
        queryset = queryset.filter(overdue_condition())
    if not include_hidden:
        queryset = queryset.filter(is_hidden=False)
    if after is not None:
        queryset = queryset.filter(
            Q(submitted_at__lt=after.submitted_at) | Q(submitted_at=after.submitted_at, pk__lt=after.pk)
        )
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(_cards(queryset, cards).order_by("-submitted_at", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, Cursor(rows[-1].submitted_at, rows[-1].pk) if more and rows else None)


def report_detail(pk) -> Report:
    """One report with everything its page shows, in a fixed number of queries. Report.DoesNotExist if none."""
    events = ReportEvent.objects.select_related("actor", "unit__organisation").prefetch_related(
        Prefetch("photos", queryset=ReportPhoto.objects.order_by("created_at", "id"))
    )
    return (
        Report.objects.select_related(
            "category", "cell__parent", "unit__organisation", "merged_into", "reporter", "filed_by", "dispatcher"
        )
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("created_at", "id")),
            Prefetch("events", queryset=events.order_by("created_at", "id")),
            Prefetch(
                "escalations", queryset=Escalation.objects.select_related("area", "acknowledged_by").order_by("level")
            ),
            "ratings",
        )
        .get(pk=pk)
    )


def similar_open(cell, category_key: str, *, exclude=None, limit: int = 10) -> list[Report]:
    """The open reports of the same category in the cell, newest first: "me too" instead of a duplicate."""
    queryset = Report.objects.filter(cell=cell, category_key=category_key, state__in=OPEN_STATES, is_hidden=False)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return list(_listed(queryset).order_by("-submitted_at", "-id")[:limit])


def is_following(user, report) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ReportFollower.objects.filter(report=report, user=user).exists()


def my_reports(user) -> QuerySet[Report]:
    """What the person reported or is also affected by, newest first."""
    followed = ReportFollower.objects.filter(report=OuterRef("pk"), user=user)
    return _listed(Report.objects.filter(Q(reporter=user) | Exists(followed))).order_by("-submitted_at", "-id")


# --- the work queues -----------------------------------------------------------------------------------------


@dataclass
class Queue:
    new: list
    due_soon: list
    overdue: list
    other: list

    @property
    def count(self) -> int:
        return len(self.new) + len(self.due_soon) + len(self.overdue) + len(self.other)


def _due(report) -> datetime | None:
    return report.response_due if report.state in WAITING_FOR_RESPONSE else report.handling_due


def _sorted_into_queue(rows: list[Report], *, new_states, now: datetime) -> Queue:
    soon = now + timedelta(hours=settings.CASEWORK_DUE_SOON_HOURS)
    queue = Queue([], [], [], [])
    for report in rows:
        due = _due(report)
        if report.is_overdue(now):
            queue.overdue.append(report)
        elif report.clock_stopped_at is None and due is not None and due <= soon:
            queue.due_soon.append(report)
        elif report.state in new_states:
            queue.new.append(report)
        else:
            queue.other.append(report)
    return queue


QUEUE_LIMIT = 200


def intake_queue(user, *, now=None, limit: int = QUEUE_LIMIT, cards: bool = True) -> Queue:
    """The grid worker's queue: reports waiting to be accepted or dispatched in every cell they cover
    (an organiser's or official's area too), soonest due first; one query."""
    now = now or timezone.now()
    condition: Q | None = Q() if user.is_superuser else covered_by(user, set(INTAKE_ROLES), "area_path")
    if condition is None:
        return Queue([], [], [], [])
    rows = list(
        _cards(
            Report.objects.filter(condition, state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED]), cards
        ).order_by("state", "response_due", "id")[:limit]
    )
    rows.sort(key=lambda r: (_due(r) or r.submitted_at, r.pk))
    return _sorted_into_queue(rows, new_states={ReportState.SUBMITTED}, now=now)


def unit_queue(unit, *, now=None, limit: int = QUEUE_LIMIT, cards: bool = True) -> Queue:
    """A unit's queue: what is dispatched to it and being handled, soonest due first; one query (the index
    on unit, state, handling_due)."""
    now = now or timezone.now()
    queryset = _cards(Report.objects.filter(unit=unit, state__in=WITH_UNIT), cards)
    rows = list(queryset.order_by("handling_due", "id")[:limit])
    return _sorted_into_queue(rows, new_states={ReportState.DISPATCHED}, now=now)


def units_of(user):
    from ..models import Unit

    return Unit.objects.filter(pk__in=unit_ids_of(user)).select_related("organisation").order_by("organisation__name")


def units_worked_by(user) -> list:
    """The units whose organisation `user` belongs to, with their names, in one query; the permission checks
    of this request (`predicates.unit_ids_of`) then read them without another."""
    from civic.models import Membership

    from ..models import Unit

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    units = list(
        Unit.objects.filter(organisation__in=Membership.objects.filter(user=user).values("organisation"))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    user._casework_units = {unit.pk for unit in units}
    return units


def queue_worker(user) -> list[int]:
    """Who `user` is to the work queue, in one plain query: the units whose organisation they belong to (their
    ids) and their area roles, kept on the user object so that this request's permission checks
    (`predicates.unit_ids_of`, `civic.predicates.area_roles_of`) read no more. Held equal to
    `units_worked_by` and `area_roles_of` by a test."""
    from civic.models import Area, AreaRole, Membership

    from ..models import Unit

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    sql = (
        f"SELECT 'u', CAST(u.id AS VARCHAR(20)), NULL FROM {Unit._meta.db_table} u WHERE u.organisation_id IN "
        f"(SELECT m.organisation_id FROM {Membership._meta.db_table} m WHERE m.user_id = %s) "
        f"UNION ALL SELECT 'r', r.role, a.path FROM {AreaRole._meta.db_table} r "
        f"JOIN {Area._meta.db_table} a ON a.id = r.area_id WHERE r.user_id = %s"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        rows = cursor.fetchall()
    units = sorted(int(pk) for kind, pk, _path in rows if kind == "u")
    user._casework_units = set(units)
    user._civic_area_roles = [(role, path) for kind, role, path in rows if kind == "r"]
    return units


def overdue_in(area, *, limit: int = QUEUE_LIMIT) -> list[Report]:
    """Overdue reports of `area` and under it, longest overdue first (public)."""
    now = timezone.now()
    queryset = Report.objects.filter(overdue_condition(now), area_path__startswith=area.path, is_hidden=False)
    rows = list(_cards(queryset).order_by("submitted_at", "id")[:limit])
    rows.sort(key=lambda r: _due(r) or now)
    return rows


def escalations_for(user, *, open_only: bool = True, limit: int = QUEUE_LIMIT) -> list[Escalation]:
    """Escalations addressed to areas the person covers as official or organiser, newest first."""
    queryset = Escalation.objects.all()
    if not user.is_superuser:
        condition = covered_by(user, {AreaRoleKind.OFFICIAL, AreaRoleKind.ORGANISER}, "area_path")
        if condition is None:
            return []
        queryset = queryset.filter(condition)
    if open_only:
        queryset = queryset.filter(acknowledged_at__isnull=True)
    return list(
        queryset.select_related("area", "report__category", "report__cell", "acknowledged_by").order_by(
            "-created_at", "-id"
        )[:limit]
    )
