"""What the casework services share: the row lock, the move between states with its step on the
timeline, the clock stop that a move ends, and telling the reporter, the followers and the handlers."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from civic.services import notify

from ..hours import WorkingTime, local
from ..models import (
    REPORT_STATES,
    WAITING_FOR_RESPONSE,
    ClockStop,
    EventKind,
    Report,
    ReportEvent,
    ReportFollower,
)
from ..pages import bump_report

User = get_user_model()

# The longest texts casework stores (the columns' lengths); a longer text is refused, never cut.
TEXT_MAX = 2000
PLACE_MAX = 120
REASON_MAX = 1000
REFERRED_TO_MAX = 120
COMMENT_MAX = 500
NAME_MAX = 60
PHONE_MAX = 30
CLOCK_NOTE_MAX = 500


def locked(report) -> Report:
    """The report's row, locked until the transaction ends: two handlers pressing at once, one wins."""
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("cell", "category", "unit__organisation", "reporter")
        .get(pk=report.pk)
    )


def record_event(report, kind, *, actor=None, actor_public=True, note="", unit=None, params=None, before="", after=""):
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_public=actor_public and getattr(actor, "is_authenticated", False),
        from_state=before,
        to_state=after,
        unit=unit,
        note=note,
        params=params or {},
        created_at=timezone.now(),
    )


def end_clock_stop(report, *, actor, now=None) -> ClockStop | None:
    """End an open clock stop: the running limit moves on by the working time that was left when it
    stopped. Saves the report's due time and `clock_stopped_at`."""
    stop = ClockStop.objects.select_for_update().filter(report=report, ended_at__isnull=True).first()
    if stop is None:
        return None
    now = now or timezone.now()
    clock = WorkingTime.official()
    stop.ended_at = now
    stop.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    stop.working_minutes = clock.minutes_between(local(stop.started_at), local(now))
    stop.save(update_fields=["ended_at", "ended_by", "working_minutes"])
    field = "response_due" if stop.limit == "response" else "handling_due"
    due = getattr(report, field)
    if due is not None and due > stop.started_at:
        left = clock.minutes_between(local(stop.started_at), local(due))
        setattr(report, field, clock.add_minutes(local(now), left))
    report.clock_stopped_at = None
    Report.objects.filter(pk=report.pk).update(**{field: getattr(report, field), "clock_stopped_at": None})
    bump_report(report)  # an update sends no signal
    return stop


def move(
    report: Report,
    target: str,
    *,
    actor,
    kind: str,
    note: str = "",
    unit=None,
    params=None,
    fields=(),
    actor_public: bool = True,
) -> ReportEvent:
    """One arrow of the loop: end a clock stop, guard and write the state (REPORT_STATES: 409 when the table
    has no such arrow or someone moved the report first), the audit row, and the step on the timeline."""
    if report.clock_stopped_at is not None:
        end_clock_stop(report, actor=actor)
    before = REPORT_STATES.move(report, target, actor=actor, area=report.cell, fields=fields)
    event = record_event(
        report,
        kind,
        actor=actor,
        actor_public=actor_public,
        note=note,
        unit=unit,
        params=params,
        before=before,
        after=target,
    )
    return event


def step(template, **params):
    """A step's name for a notification, rendered later in the recipient's language."""
    return lazy(lambda: str(template) % params, str)()


STEP_TITLE = gettext_lazy("Your report at %(place)s: %(step)s")


def tell_reporter_and_followers(report: Report, step, *, body="", exclude=()) -> None:
    """The reporter and everyone also affected, in each one's language (inbox, e-mail as chosen, live)."""
    skip = {person.pk for person in exclude if getattr(person, "pk", None)}
    people = list(
        User.objects.filter(is_active=True, pk__in=ReportFollower.objects.filter(report=report).values("user"))
    )
    reporter = report.reporter
    if reporter is not None and reporter.is_active:
        people.append(reporter)
    seen = set()
    for person in people:
        if person.pk in skip or person.pk in seen:
            continue
        seen.add(person.pk)
        notify(
            recipient=person,
            kind="casework.step",
            title=STEP_TITLE,
            params={"place": report.place, "step": step},
            body=body,
            url=report.get_absolute_url(),
        )


def tell(people, report: Report, *, kind: str, title, body="", params=None, exclude=()) -> None:
    skip = {person.pk for person in exclude if getattr(person, "pk", None)}
    for person in people:
        if person.pk in skip:
            continue
        notify(
            recipient=person,
            kind=kind,
            title=title,
            params={"place": report.place, "number": report.pk, **(params or {})},
            body=body,
            url=report.get_absolute_url(),
        )


def limit_running(report: Report) -> str:
    return "response" if report.state in WAITING_FOR_RESPONSE else "handling"


__all__ = [
    "CLOCK_NOTE_MAX",
    "COMMENT_MAX",
    "NAME_MAX",
    "PHONE_MAX",
    "PLACE_MAX",
    "REASON_MAX",
    "REFERRED_TO_MAX",
    "TEXT_MAX",
    "EventKind",
    "end_clock_stop",
    "limit_running",
    "locked",
    "move",
    "record_event",
    "step",
    "tell",
    "tell_reporter_and_followers",
]
