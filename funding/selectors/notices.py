"""Outcome notices (公告): what was published, how fast, and which decisions still wait to be published.

A decision must be published within the `answer_days` working days of the subsidy policy in force for
the decision's own area (5 when no policy covers it). Every function here answers in a fixed number of
queries, whatever the number of rows.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic.models import Area
from civic.workdays import add_working_days, working_days_between

from ..models import EntryKind, LedgerEntry, NoticeKind, OutcomeNotice, SubsidyAward, SubsidyPolicy

DEFAULT_ANSWER_DAYS = 5
SOURCE_KEY = re.compile(r"^(answer|session|ballot|award|payment):([1-9][0-9]{0,17})$")
PAYMENT_KINDS = (EntryKind.ADVANCE, EntryKind.SETTLEMENT)


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
        return NoticeKind(self.kind).label

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


# --- deadlines ---------------------------------------------------------------------------------------


class _Deadlines:
    """The publication deadline per area: one query for the policies of every area on the given paths."""

    def __init__(self, paths, now=None):
        self.now = now or timezone.now()
        codes = {code for path in paths for code in path.strip("/").split("/") if code}
        rows = (
            SubsidyPolicy.objects.filter(area__code__in=codes, effective_from__lte=self.now)
            .values_list("area__path", "area__depth", "effective_from", "version", "answer_days")
            .order_by()
            if codes
            else []
        )
        # The deepest area wins, then the latest start, then the highest version (as policy_in_force).
        self.policies = sorted(rows, key=lambda r: (r[1], r[2], r[3]), reverse=True)
        self._days: dict[str, int] = {}
        self._due: dict[tuple[date, int], date] = {}

    def days(self, path: str) -> int:
        if path not in self._days:
            self._days[path] = next(
                (days for area_path, _d, _f, _v, days in self.policies if path.startswith(area_path)),
                DEFAULT_ANSWER_DAYS,
            )
        return self._days[path]

    def due(self, decided_at: datetime, days: int) -> date:
        key = (timezone.localdate(decided_at), days)
        if key not in self._due:
            self._due[key] = add_working_days(key[0], days)
        return self._due[key]


# --- the decisions -------------------------------------------------------------------------------------


def _has_notice(prefix: str):
    """True where a notice names this row's source key (`<prefix>:<pk>`)."""
    key = Concat(Value(f"{prefix}:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(OutcomeNotice.objects.filter(source_key=key))


def _short(text: str, limit: int = 120) -> str:
    return Truncator(text).chars(limit)


def _yuan(amount) -> str:
    return f"¥{amount:,.2f}"


def _answers(path: str, pk=None, unpublished=True):
    from proposals.models import OfficialAnswer

    rows = OfficialAnswer.objects.filter(proposal__area_path__startswith=path).select_related("proposal")
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~_has_notice("answer"))
    for answer in rows.order_by():
        proposal = answer.proposal
        yield Decision(
            kind=NoticeKind.ANSWER,
            source_key=f"answer:{answer.pk}",
            title=_short(
                _("Answer to “%(title)s”: %(answer)s")
                % {"title": proposal.title, "answer": answer.get_status_display()}
            ),
            summary=answer.reason,
            decided_at=answer.created_at,
            area_path=proposal.area_path,
            source_url=f"/proposals/{proposal.pk}/",
        )


def _sessions(path: str, pk=None, unpublished=True):
    from deliberation.models import Session

    event = Q(records__kind="event")
    rows = (
        Session.objects.filter(council__area__path__startswith=path, phase="closed")
        .select_related("council__area")
        .annotate(
            decisions=Count(
                "records", filter=event & Q(records__payload__type="result_announced", records__payload__kind="main")
            ),
            closed_at=Coalesce(
                Max("records__created_at", filter=event & Q(records__payload__type="session_closed")),
                Max("records__created_at"),
                "starts_at",
            ),
        )
        .filter(decisions__gt=0)
    )
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~_has_notice("session"))
    for session in rows.order_by():
        yield Decision(
            kind=NoticeKind.SESSION,
            source_key=f"session:{session.pk}",
            title=_short(_("Decisions of the council session “%(title)s”") % {"title": session.title}),
            summary=_("%(count)s decision(s) taken; see the minutes.") % {"count": session.decisions},
            decided_at=session.closed_at,
            area_path=session.council.area.path,
            source_url=f"/sessions/{session.pk}/minutes/",
        )


def _ballots(path: str, pk=None, unpublished=True):
    from deliberation.models import BallotBox, BoxState

    rows = BallotBox.objects.filter(area_path__startswith=path, state=BoxState.TALLIED).only(
        "pk", "title", "area_path", "tallied_at", "closes_at", "created_at", "turnout"
    )
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~_has_notice("ballot"))
    for box in rows.order_by():
        yield Decision(
            kind=NoticeKind.BALLOT,
            source_key=f"ballot:{box.pk}",
            title=_short(_("Result of the vote “%(title)s”") % {"title": box.title}),
            summary=_("%(count)s ballot(s) cast.") % {"count": box.turnout},
            decided_at=box.tallied_at or box.closes_at or box.created_at,
            area_path=box.area_path,
            source_url=f"/ballots/{box.pk}/",
        )


def _awards(path: str, pk=None, unpublished=True):
    rows = SubsidyAward.objects.filter(project__area_path__startswith=path).select_related("project")
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~_has_notice("award"))
    for award in rows.order_by():
        project = award.project
        yield Decision(
            kind=NoticeKind.AWARD,
            source_key=f"award:{award.pk}",
            title=_short(
                _("%(stage)s for “%(project)s”: %(amount)s")
                % {"stage": award.get_stage_display(), "project": project.title, "amount": _yuan(award.amount)}
            ),
            summary=_("Under public notice until %(until)s; objections until %(objections)s.")
            % {
                "until": f"{timezone.localtime(award.notice_until):%Y-%m-%d}",
                "objections": f"{timezone.localtime(award.objections_until):%Y-%m-%d}",
            },
            decided_at=award.computed_at,
            area_path=project.area_path,
            source_url=project.get_absolute_url(),
        )


def _payments(path: str, pk=None, unpublished=True):
    rows = LedgerEntry.objects.filter(kind__in=PAYMENT_KINDS, project__area_path__startswith=path).select_related(
        "project"
    )
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~_has_notice("payment"))
    for entry in rows.order_by():
        project = entry.project
        yield Decision(
            kind=NoticeKind.PAYMENT,
            source_key=f"payment:{entry.pk}",
            title=_short(
                _("%(kind)s for “%(project)s”: %(amount)s")
                % {"kind": entry.get_kind_display(), "project": project.title, "amount": _yuan(entry.amount)}
            ),
            summary=entry.memo,
            decided_at=entry.created_at,
            area_path=project.area_path,
            source_url=project.get_absolute_url(),
        )


SOURCES = {
    "answer": _answers,
    "session": _sessions,
    "ballot": _ballots,
    "award": _awards,
    "payment": _payments,
}


def _with_deadline(decision: Decision, deadlines: _Deadlines, today: date) -> Decision:
    days = deadlines.days(decision.area_path)
    due = deadlines.due(decision.decided_at, days)
    return replace(decision, answer_days=days, due=due, overdue=today > due)


def unpublished_decisions(area: Area, now=None) -> list[Decision]:
    """Decisions in `area` and below that no notice names yet, the most urgent first.

    Seven queries at most, whatever the number of decisions: one per kind of decision, one for the
    policies that set the deadlines (and the calendar corrections, cached).
    """
    now = now or timezone.now()
    found = [decision for source in SOURCES.values() for decision in source(area.path)]
    deadlines = _Deadlines([area.path, *(d.area_path for d in found)], now)
    today = timezone.localdate(now)
    decisions = [_with_deadline(d, deadlines, today) for d in found]
    decisions.sort(key=lambda d: (d.due, d.decided_at, d.source_key))
    return decisions


def decision_for_key(source_key: str, area: Area | None = None, now=None) -> Decision | None:
    """The decision a source key names (published or not), if it lies in `area` (or anywhere without one)."""
    match = SOURCE_KEY.match(source_key or "")
    if match is None:
        return None
    prefix, pk = match.groups()
    decision = next(iter(SOURCES[prefix](area.path if area else "/", pk=int(pk), unpublished=False)), None)
    if decision is None:
        return None
    now = now or timezone.now()
    return _with_deadline(decision, _Deadlines([decision.area_path], now), timezone.localdate(now))


# --- the notices ---------------------------------------------------------------------------------------


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
    on each notice; one query for the policies, whatever the number of notices."""
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
