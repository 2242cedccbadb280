"""The grid worker's part of the loop: accept, reject, merge, dispatch (派单), refer on (转办); and the
reporter's withdrawal. Officials and organisers of an enclosing area may do what grid workers do."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.services import require_perm
from civic.text import clean_text

from ..hours import handling_due
from ..models import (
    OPEN_STATES,
    EventKind,
    FollowSource,
    Report,
    ReportFollower,
    ReportState,
    Unit,
)
from ..pages import bump_report
from ..selectors.categories import unit_members, unit_serves
from ._common import (
    REASON_MAX,
    REFERRED_TO_MAX,
    locked,
    move,
    record_event,
    step,
    tell,
    tell_reporter_and_followers,
)

S = ReportState


def _require_intake(actor, report, message=None):
    require_perm(
        actor,
        "casework.dispatch",
        report,
        message or _("Only the grid worker of this cell, or an organiser or official above it, can do this."),
    )


@transaction.atomic
def report_accept(*, actor, report) -> Report:
    report = locked(report)
    _require_intake(actor, report)
    now = timezone.now()
    report.accepted_at = now
    report.handling_due = handling_due(now, report.category.handling_days)
    if report.response_overdue_at is None and report.response_due < now:
        report.response_overdue_at = report.response_due  # late, though no tick saw it yet
    report.next_escalation_at = None
    report.escalation_level = 0
    move(
        report,
        S.ACCEPTED,
        actor=actor,
        kind=EventKind.ACCEPTED,
        fields=["accepted_at", "handling_due", "response_overdue_at", "next_escalation_at", "escalation_level"],
    )
    tell_reporter_and_followers(report, S.ACCEPTED.label, exclude=[actor])
    return report


@transaction.atomic
def report_reject(*, actor, report, reason: str) -> Report:
    report = locked(report)
    _require_intake(actor, report)
    reason = clean_text(reason, field="reason", limit=REASON_MAX, required=True, message=_("Give the reason."))
    report.state_reason = reason
    report.closed_at = timezone.now()
    report.next_escalation_at = None
    move(
        report,
        S.REJECTED,
        actor=actor,
        kind=EventKind.REJECTED,
        note=reason,
        fields=["state_reason", "closed_at", "next_escalation_at"],
    )
    tell_reporter_and_followers(report, S.REJECTED.label, body=reason, exclude=[actor])
    return report


@transaction.atomic
def report_withdraw(*, actor, report, reason: str = "") -> Report:
    report = locked(report)
    require_perm(actor, "casework.withdraw", report, _("Only the reporter can withdraw a report."), personal=True)
    report.state_reason = clean_text(reason, field="reason", limit=REASON_MAX)
    report.closed_at = timezone.now()
    report.next_escalation_at = None
    move(
        report,
        S.WITHDRAWN,
        actor=actor,
        kind=EventKind.WITHDRAWN,
        actor_public=False,
        note=report.state_reason,
        fields=["state_reason", "closed_at", "next_escalation_at"],
    )
    tell_reporter_and_followers(report, S.WITHDRAWN.label, exclude=[actor])
    return report


@transaction.atomic
def report_merge(*, actor, report, into) -> Report:
    """Merge a duplicate into an open report: its reporter and followers follow the survivor."""
    if into is None or into.pk == report.pk:
        raise InvalidInput("merge_target_invalid", _("Choose another open report to merge into."), field="into")
    # Lock both rows in one order, so two merges the other way round cannot deadlock.
    first, second = sorted([report.pk, into.pk])
    rows = {row.pk: row for row in (locked(Report(pk=first)), locked(Report(pk=second)))}
    report, into = rows[report.pk], rows[into.pk]
    _require_intake(actor, report)
    _require_intake(actor, into, _("You can merge only into a report you handle."))
    if into.state not in OPEN_STATES or into.state == S.RESOLVED:
        raise Conflict("merge_target_closed", _("Reports can be merged only into an open report."))
    report.merged_into = into
    report.closed_at = timezone.now()
    report.next_escalation_at = None
    move(
        report,
        S.MERGED,
        actor=actor,
        kind=EventKind.MERGED,
        params={"into": into.pk},
        fields=["merged_into", "closed_at", "next_escalation_at"],
    )
    people = set(ReportFollower.objects.filter(report=report).values_list("user_id", flat=True))
    if report.reporter_id:
        people.add(report.reporter_id)
    people.discard(into.reporter_id)
    people -= set(ReportFollower.objects.filter(report=into, user_id__in=people).values_list("user_id", flat=True))
    ReportFollower.objects.bulk_create(
        [ReportFollower(report=into, user_id=pk, source=FollowSource.MERGED) for pk in sorted(people)]
    )
    if people:
        Report.objects.filter(pk=into.pk).update(follower_count=F("follower_count") + len(people))
        bump_report(into)  # an update sends no signal
    record_event(into, EventKind.MERGED_IN, actor=actor, params={"from": report.pk, "people": len(people)})
    tell_reporter_and_followers(
        report,
        step(gettext_lazy("merged into report #%(number)s"), number=into.pk),
        exclude=[actor],
    )
    return report


@transaction.atomic
def report_dispatch(*, actor, report, unit: Unit | None = None) -> Report:
    """派单: to a unit serving the cell and category; without one named, the category's default unit."""
    report = locked(report)
    _require_intake(actor, report)
    unit = unit or report.category.default_unit
    if unit is None:
        raise InvalidInput("unit_required", _("Choose the unit that will handle it."), field="unit")
    if not unit_serves(unit, report.cell, report.category_key):
        raise InvalidInput(
            "unit_not_serving",
            _("%(unit)s does not handle this category in this grid cell.") % {"unit": unit},
            field="unit",
        )
    report.unit = unit
    report.dispatcher = actor if getattr(actor, "is_authenticated", False) else None
    report.dispatched_at = timezone.now()
    report.state_reason = ""
    move(
        report,
        S.DISPATCHED,
        actor=actor,
        kind=EventKind.DISPATCHED,
        unit=unit,
        params={"unit": unit.name},
        fields=["unit", "dispatcher", "dispatched_at", "state_reason"],
    )
    tell_reporter_and_followers(report, step(gettext_lazy("dispatched to %(unit)s"), unit=unit.name), exclude=[actor])
    tell(
        unit_members(unit),
        report,
        kind="casework.dispatched",
        title=gettext_lazy("Report #%(number)s dispatched to you: %(place)s"),
        body=report.text[:200],
        exclude=[actor],
    )
    return report


@transaction.atomic
def report_refer(*, actor, report, referred_to: str, reason: str) -> Report:
    """转办: outside the platform's reach, with where and why; counted apart, never a silent close."""
    report = locked(report)
    require_perm(
        actor, "casework.refer", report, _("Only the grid worker of this cell or an official can refer a report on.")
    )
    referred_to = clean_text(
        referred_to,
        field="referred_to",
        limit=REFERRED_TO_MAX,
        required=True,
        single_line=True,
        message=_("Say where it is referred to."),
    )
    reason = clean_text(reason, field="reason", limit=REASON_MAX, required=True, message=_("Say why."))
    report.referred_to = referred_to
    report.referral_reason = reason
    report.closed_at = timezone.now()
    report.next_escalation_at = None
    move(
        report,
        S.REFERRED,
        actor=actor,
        kind=EventKind.REFERRED,
        note=reason,
        params={"to": referred_to},
        fields=["referred_to", "referral_reason", "closed_at", "next_escalation_at"],
    )
    tell_reporter_and_followers(
        report, step(gettext_lazy("referred to %(to)s"), to=referred_to), body=reason, exclude=[actor]
    )
    return report
