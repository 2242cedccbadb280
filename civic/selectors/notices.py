"""Outcome notices (公告): what was published, how fast, and which decisions still wait to be published.

The stages register the kinds of decision and where they are found (`civic.registry.notice_kind`), and the
rule that sets the deadline (`civic.registry.notice_deadlines`: funding's is the working days of the
subsidy policy in force for the decision's own area); without a rule, 5 working days. Every function here
answers in a fixed number of queries, whatever the number of rows.
"""

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.functional import Promise

from ..models import Area, OutcomeNotice
from ..registry import NOTICE_DEADLINES, NOTICE_KINDS
from ..workdays import add_working_days, working_days_between

__all__ = [
    "DEFAULT_ANSWER_DAYS",
    "Decision",
    "NoticeTiming",
    "decision_for_key",
    "decision_rows",
    "notice_detail",
    "notice_kinds",
    "notice_names",
    "notices_for_area",
    "published_within_deadline",
    "source_key_kind",
    "unpublished_decisions",
    "waiting_deadlines",
]

DEFAULT_ANSWER_DAYS = 5
SOURCE_KEY = re.compile(r"^([a-z_]{1,20}):([1-9][0-9]{0,17})$")


@dataclass(frozen=True)
class Decision:
    """A decision that is (or was) due to be published as a notice."""

    kind: str
    source_key: str
    title: str
    summary: str
    decided_at: datetime
    area_path: str
    source_url: str
    answer_days: int = DEFAULT_ANSWER_DAYS
    due: date | None = None
    overdue: bool = False

    @property
    def kind_label(self) -> str | Promise:  # a lazy translation
        return NOTICE_KINDS[self.kind].label

    @property
    def area_code(self) -> str:
        """The decision's own area (a path is the codes from the root down)."""
        return self.area_path.strip("/").split("/")[-1]


@dataclass(frozen=True)
class NoticeTiming:
    """How fast a notice followed its decision, in working days."""

    working_days: int
    allowed: int
    due: date
    on_time: bool


class _Deadlines:
    """The publication deadline per area: one query for the rules of every area on the given paths."""

    def __init__(self, paths, now=None):
        self.now = now or timezone.now()
        codes = {code for path in paths for code in path.strip("/").split("/") if code}
        self.rules = [row for rules in NOTICE_DEADLINES for row in rules(codes, self.now)] if codes else []
        self._days: dict[str, int] = {}
        self._due: dict[tuple[date, int], date] = {}

    def days(self, path: str) -> int:
        if path not in self._days:
            self._days[path] = next(
                (days for area_path, days in self.rules if path.startswith(area_path)), DEFAULT_ANSWER_DAYS
            )
        return self._days[path]

    def due(self, decided_at: datetime, days: int) -> date:
        return self.due_on(timezone.localdate(decided_at), days)

    def due_on(self, day: date, days: int) -> date:
        key = (day, days)
        if key not in self._due:
            self._due[key] = add_working_days(day, days)
        return self._due[key]


def notice_names(kind: str) -> Exists:
    """True where a notice names this row as its source (`<kind>:<pk>`): for a stage's `decisions`."""
    key = Concat(Value(f"{kind}:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(OutcomeNotice.objects.filter(source_key=key))


def decision_rows(rows: QuerySet, kind: str, *, pk=None, unpublished: bool = True) -> QuerySet:
    """A stage's decisions of one kind, narrowed the one way every `decisions` source narrows them: to one
    record (`pk`) and/or to those no notice names yet (`unpublished`)."""
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~notice_names(kind))
    return rows


def notice_kinds() -> list[str]:
    return list(NOTICE_KINDS)


def source_key_kind(source_key: str) -> tuple[str, int] | None:
    """(kind, pk) of a key that names a decision of a registered kind with a source, else None."""
    match = SOURCE_KEY.match(source_key or "")
    if match is None:
        return None
    kind = NOTICE_KINDS.get(match.group(1))
    if kind is None or kind.decisions is None:
        return None
    return kind.key, int(match.group(2))


def _with_deadline(decision: Decision, deadlines: _Deadlines, today: date) -> Decision:
    days = deadlines.days(decision.area_path)
    due = deadlines.due(decision.decided_at, days)
    return replace(decision, answer_days=days, due=due, overdue=today > due)


def unpublished_decisions(area: Area, now=None) -> list[Decision]:
    """Decisions in `area` and below that no notice names yet, the most urgent first.

    One query per kind of decision, one for the rules that set the deadlines (and the calendar
    corrections, cached), whatever the number of decisions.
    """
    now = now or timezone.now()
    found = [d for kind in NOTICE_KINDS.values() if kind.decisions for d in kind.decisions(area.path)]
    deadlines = _Deadlines([area.path, *(d.area_path for d in found)], now)
    today = timezone.localdate(now)
    decisions = [_with_deadline(d, deadlines, today) for d in found]
    decisions.sort(key=lambda d: (d.due, d.decided_at, d.source_key))
    return decisions


def waiting_deadlines(area: Area, now=None) -> Counter[tuple[str, date]]:
    """How many of `unpublished_decisions(area, now)` fall due on each day, per area: {(area path, due): n}.
    The same deadlines, counted from two columns a decision (`NoticeKind.waiting`), not from Decisions
    with their titles and links: one query per kind and one for the rules, whatever the number."""
    now = now or timezone.now()
    found: Counter[tuple[str, date]] = Counter()
    for kind in NOTICE_KINDS.values():
        if kind.waiting is not None:
            rows = kind.waiting(area.path)
        elif kind.decisions is not None:
            rows = ((d.area_path, d.decided_at) for d in kind.decisions(area.path))
        else:
            continue
        for path, decided_at in rows:
            found[(path, timezone.localdate(decided_at))] += 1
    deadlines = _Deadlines([area.path, *{path for path, _day in found}], now)
    due: Counter[tuple[str, date]] = Counter()
    for (path, day), n in found.items():
        due[(path, deadlines.due_on(day, deadlines.days(path)))] += n
    return due


def decision_for_key(source_key: str, area: Area | None = None, now=None) -> Decision | None:
    """The decision a source key names (published or not), if it lies in `area` (or anywhere without one)."""
    parsed = source_key_kind(source_key)
    if parsed is None:
        return None
    kind, pk = parsed
    source = NOTICE_KINDS[kind].decisions
    if source is None:
        return None
    decision = next(iter(source(area.path if area else "/", pk=pk, unpublished=False)), None)
    if decision is None:
        return None
    now = now or timezone.now()
    return _with_deadline(decision, _Deadlines([decision.area_path], now), timezone.localdate(now))


def notices_for_area(area: Area, kind: str | None = None):
    """Notices of the area and everything under it, newest first, with what they correct and who published.

    Evaluating (a page of) it costs two queries: the notices, then the corrections that name them.
    """
    notices = (
        OutcomeNotice.objects.filter(area_path__startswith=area.path)
        .select_related("area", "published_by", "corrects")
        .prefetch_related("corrections")
        .order_by("-published_at", "-id")
    )
    if kind:
        notices = notices.filter(kind=kind)
    return notices


def notice_detail(pk) -> OutcomeNotice | None:
    return (
        OutcomeNotice.objects.filter(pk=pk)
        .select_related("area", "published_by", "corrects")
        .prefetch_related("corrections")
        .first()
    )


def published_within_deadline(notices, now=None) -> list[OutcomeNotice]:
    """Set `notice.timing` (a NoticeTiming: working days from decision to publication against the deadline)
    on each notice; one query for the deadline rules, whatever the number of notices."""
    notices = list(notices)
    deadlines = _Deadlines([n.area_path for n in notices], now)
    for notice in notices:
        allowed = deadlines.days(notice.area_path)
        due = deadlines.due(notice.decided_at, allowed)
        published_on = timezone.localdate(notice.published_at)
        notice.timing = NoticeTiming(
            working_days=working_days_between(timezone.localdate(notice.decided_at), published_on),
            allowed=allowed,
            due=due,
            on_time=published_on <= due,
        )
    return notices
