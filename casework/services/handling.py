"""The unit's part of the loop: start, return (退单) and resolve; and the clock stop where the category
allows it."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.services import require_perm
from civic.text import clean_text

from ..hours import WorkingTime, local
from ..models import (
    WITH_UNIT,
    ClockStop,
    ClockStopReason,
    EventKind,
    PhotoStage,
    Report,
    ReportState,
    Unit,
)
from ..pages import bump_report
from ..selectors.categories import first_responders
from ._common import (
    CLOCK_NOTE_MAX,
    REASON_MAX,
    TEXT_MAX,
    end_clock_stop,
    limit_running,
    locked,
    move,
    record_event,
    step,
    tell,
    tell_reporter_and_followers,
)
from .reports import check_photos, save_photos

S = ReportState


def _require_unit(actor, report):
    require_perm(actor, "casework.handle", report, _("Only the unit this report is dispatched to can do this."))


@transaction.atomic
def report_start(*, actor, report) -> Report:
    report = locked(report)
    _require_unit(actor, report)
    report.started_at = report.started_at or timezone.now()
    move(report, S.IN_PROGRESS, actor=actor, kind=EventKind.STARTED, unit=report.unit, fields=["started_at"])
    tell_reporter_and_followers(report, S.IN_PROGRESS.label, exclude=[actor])
    return report


@transaction.atomic
def report_return(*, actor, report, reason: str, suggested_unit: Unit | None = None) -> Report:
    """退单: not this unit's to handle; back to the dispatcher with the reason (and, to ask for a transfer,
    the unit it belongs to). The handling limit keeps running."""
    report = locked(report)
    _require_unit(actor, report)
    reason = clean_text(reason, field="reason", limit=REASON_MAX, required=True, message=_("Give the reason."))
    if suggested_unit is not None and suggested_unit.pk == report.unit_id:
        raise InvalidInput("unit_same", _("Name another unit, or none."), field="suggested_unit")
    unit = report.unit
    report.unit = None
    report.state_reason = reason
    report.return_count += 1
    params = {"unit": unit.name}
    if suggested_unit is not None:
        params["suggested_unit"] = suggested_unit.name
        params["suggested_unit_id"] = suggested_unit.pk
    move(
        report,
        S.ACCEPTED,
        actor=actor,
        kind=EventKind.RETURNED,
        note=reason,
        unit=unit,
        params=params,
        fields=["unit", "state_reason", "return_count"],
    )
    people = [report.dispatcher] if report.dispatcher_id and report.dispatcher.is_active else []
    tell(
        people or first_responders(report.cell),
        report,
        kind="casework.returned",
        title=gettext_lazy("%(unit)s returned report #%(number)s: %(place)s"),
        params={"unit": unit.name},
        body=reason,
        exclude=[actor],
    )
    return report


@transaction.atomic
def report_resolve(*, actor, report, note: str, files=()) -> Report:
    report = locked(report)
    _require_unit(actor, report)
    note = clean_text(note, field="note", limit=TEXT_MAX, required=True, message=_("Say what was done."))
    cleaned = check_photos(files)
    if report.category.requires_after_photo and not cleaned:
        raise InvalidInput("after_photo_required", _("This category needs a photo of the result."), field="photos")
    now = timezone.now()
    report.resolved_at = now
    report.resolution_note = note
    report.rating_due = WorkingTime.official().add_days(local(now), settings.CASEWORK_RATING_WORKING_DAYS)
    if (
        report.handling_due
        and report.handling_due < now
        and (report.handling_overdue_at is None or report.handling_overdue_at < report.handling_due)
    ):
        report.handling_overdue_at = report.handling_due  # late, though no tick saw it yet
    report.next_escalation_at = None
    event = move(
        report,
        S.RESOLVED,
        actor=actor,
        kind=EventKind.RESOLVED,
        note=note,
        unit=report.unit,
        fields=["resolved_at", "resolution_note", "rating_due", "handling_overdue_at", "next_escalation_at"],
    )
    save_photos(report, cleaned, stage=PhotoStage.AFTER, actor=actor, event=event)
    tell_reporter_and_followers(
        report,
        step(gettext_lazy("resolved by %(unit)s — please rate it"), unit=report.unit.name),
        body=note,
        exclude=[actor],
    )
    return report


def _require_current_handler(actor, report):
    if report.state in WITH_UNIT:
        _require_unit(actor, report)
    else:
        require_perm(
            actor,
            "casework.dispatch",
            report,
            _("Only the grid worker of this cell, or an organiser or official above it, can do this."),
        )


@transaction.atomic
def clock_stop(*, actor, report, reason: str, note: str = "") -> ClockStop:
    """Stop the running limit (only where the category allows it), with a reason."""
    report = locked(report)
    _require_current_handler(actor, report)
    if report.state not in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS):
        raise Conflict("clock_not_running", _("No time limit is running for this report."))
    if not report.category.clock_stop_allowed:
        raise Conflict("clock_stop_not_allowed", _("The clock cannot be stopped for this category."))
    if reason not in ClockStopReason.values:
        raise InvalidInput("reason_unknown", _("Choose a reason from the list."), field="reason")
    note = clean_text(note, field="note", limit=CLOCK_NOTE_MAX)
    if report.clock_stopped_at is not None:
        raise Conflict("clock_already_stopped", _("The clock is already stopped."))
    now = timezone.now()
    try:
        with transaction.atomic():
            stop = ClockStop.objects.create(
                report=report, limit=limit_running(report), reason=reason, note=note, started_at=now, started_by=actor
            )
    except IntegrityError:
        raise Conflict("clock_already_stopped", _("The clock is already stopped.")) from None
    Report.objects.filter(pk=report.pk).update(clock_stopped_at=now)
    bump_report(report)  # an update sends no signal
    report.clock_stopped_at = now
    record_event(
        report,
        EventKind.CLOCK_STOPPED,
        actor=actor,
        note=note,
        params={"reason": reason},
    )
    tell_reporter_and_followers(
        report, step(gettext_lazy("clock stopped: %(reason)s"), reason=ClockStopReason(reason).label), body=note
    )
    return stop


@transaction.atomic
def clock_resume(*, actor, report) -> Report:
    report = locked(report)
    _require_current_handler(actor, report)
    stop = end_clock_stop(report, actor=actor)
    if stop is None:
        raise Conflict("clock_not_stopped", _("The clock is not stopped."))
    record_event(report, EventKind.CLOCK_RESUMED, actor=actor, params={"minutes": stop.working_minutes})
    return report
