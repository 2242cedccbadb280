"""Time limits with teeth: the tick flags reports past their limit and tells the handler; after a grace it
records an escalation (督办) addressed to the role holders of the area above the cell, then one level up
after each further grace, up to the city. The role holders acknowledge it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict
from civic.models import Area
from civic.services import require_perm
from civic.text import clean_text

from ..hours import WorkingTime, local
from ..models import (
    WAITING_FOR_RESPONSE,
    WITH_HANDLER,
    WITH_UNIT,
    Escalation,
    EventKind,
    LimitKind,
    Report,
)
from ..pages import bump_report
from ..selectors.categories import first_responders, role_holders, unit_members
from ._common import REASON_MAX, record_event, tell

BATCH = 500


def _handlers(report: Report):
    unit, dispatcher = report.unit, report.dispatcher
    if report.state in WITH_UNIT and unit is not None:
        return unit_members(unit)
    if dispatcher is not None and dispatcher.is_active:
        return [dispatcher]
    return first_responders(report.cell)


def _next_escalation(clock: WorkingTime, after: datetime) -> datetime:
    return clock.add_hours(local(after), settings.CASEWORK_ESCALATION_GRACE_HOURS)


def flag_overdue_reports(now=None) -> int:
    """Tick: mark reports whose running limit has passed (once per limit and round: a conditional update, so
    two machines never both flag one) and tell the handler."""
    now = now or timezone.now()
    clock = WorkingTime.official()
    done = 0
    response = Report.objects.filter(
        state__in=WAITING_FOR_RESPONSE,
        response_due__lt=now,
        response_overdue_at__isnull=True,
        clock_stopped_at__isnull=True,
    ).values_list("pk", "response_due")[:BATCH]
    for pk, due in list(response):
        claimed = Report.objects.filter(pk=pk, response_overdue_at__isnull=True, state__in=WAITING_FOR_RESPONSE)
        done += _flag(claimed, pk, LimitKind.RESPONSE, due, now, clock, {"response_overdue_at": now})
    # A reopened report (重办) has a new handling limit: a flag older than it is from an earlier round.
    handling = Report.objects.filter(
        Q(handling_overdue_at__isnull=True) | Q(handling_overdue_at__lt=F("handling_due")),
        state__in=WITH_HANDLER,
        handling_due__lt=now,
        clock_stopped_at__isnull=True,
    ).values_list("pk", "handling_due")[:BATCH]
    for pk, handling_due in list(handling):
        assert handling_due is not None  # filtered on it
        claimed = Report.objects.filter(
            Q(handling_overdue_at__isnull=True) | Q(handling_overdue_at__lt=F("handling_due")),
            pk=pk,
            state__in=WITH_HANDLER,
        )
        done += _flag(claimed, pk, LimitKind.HANDLING, handling_due, now, clock, {"handling_overdue_at": now})
    return done


def _flag(claimed, pk, limit, due, now, clock, fields) -> int:
    with transaction.atomic():
        if not claimed.update(**fields, next_escalation_at=_next_escalation(clock, due), escalation_level=0):
            return 0
        report = Report.objects.select_related("cell", "unit__organisation", "dispatcher").get(pk=pk)
        bump_report(report)  # an update sends no signal: "was overdue" on its page, its lists
        record_event(report, EventKind.OVERDUE, params={"limit": limit})
        tell(
            _handlers(report),
            report,
            kind="casework.overdue",
            title=gettext_lazy("Report #%(number)s is past its time limit: %(place)s"),
        )
    return 1


def escalate_overdue_reports(now=None) -> int:
    """Tick: record the next escalation of every overdue report whose grace has passed."""
    now = now or timezone.now()
    clock = WorkingTime.official()
    done = 0
    due = (
        Report.objects.filter(next_escalation_at__lte=now, clock_stopped_at__isnull=True)
        .order_by("next_escalation_at")
        .values_list("pk", "next_escalation_at")[:BATCH]
    )
    for pk, when in list(due):
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("cell", "unit__organisation", "dispatcher")
                .filter(pk=pk, next_escalation_at=when)
                .first()
            )
            if report is None:
                continue
            if report.state in WAITING_FOR_RESPONSE:
                limit = LimitKind.RESPONSE
            elif report.state in WITH_HANDLER:
                limit = LimitKind.HANDLING
            else:
                Report.objects.filter(pk=pk).update(next_escalation_at=None)
                continue
            codes = report.cell.path.strip("/").split("/")
            level = report.escalation_level + 1
            if level > len(codes) - 1:
                Report.objects.filter(pk=pk).update(next_escalation_at=None)
                continue
            area = Area.objects.get(code=codes[len(codes) - 1 - level])
            try:
                with transaction.atomic():
                    escalation = Escalation.objects.create(
                        report=report,
                        area=area,
                        area_path=area.path,
                        level=level,
                        limit=limit,
                        round=report.reopen_count,
                        created_at=now,
                    )
            except IntegrityError:
                escalation = None  # raised already (a crash between the two writes): move on
            top = area.parent_id is None
            Report.objects.filter(pk=pk).update(
                escalation_level=level, next_escalation_at=None if top else _next_escalation(clock, now)
            )
            bump_report(report)  # an update sends no signal
            if escalation is None:
                continue
            record_event(report, EventKind.ESCALATED, params={"area": area.name, "level": level, "limit": limit})
            tell(
                role_holders(area),
                report,
                kind="casework.escalated",
                title=gettext_lazy("Escalation (督办) to %(area)s: report #%(number)s is overdue"),
                params={"area": area.name},
            )
            done += 1
    return done


@transaction.atomic
def escalation_acknowledge(*, actor, escalation: Escalation, note: str = "") -> Escalation:
    escalation = Escalation.objects.select_for_update().select_related("area", "report").get(pk=escalation.pk)
    require_perm(
        actor,
        "casework.acknowledge",
        escalation,
        _("Only the officials and organisers of %(area)s can acknowledge this escalation.")
        % {"area": escalation.area.name},
    )
    if escalation.acknowledged_at is not None:
        raise Conflict("already_acknowledged", _("This escalation has already been acknowledged."))
    escalation.note = clean_text(note, field="note", limit=REASON_MAX)
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = actor
    escalation.save(update_fields=["note", "acknowledged_at", "acknowledged_by"])
    record_event(
        escalation.report,
        EventKind.ACKNOWLEDGED,
        actor=actor,
        note=escalation.note,
        params={"area": escalation.area.name, "level": escalation.level},
    )
    return escalation
