"""The reporter's rating (or staff's, at a callback 回访): satisfied closes, dissatisfied sends the report back
to the same unit (重办); not rated in time, the tick closes it unrated."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.services import require_perm
from civic.text import clean_text

from ..hours import handling_due
from ..models import (
    SATISFIED_LEVELS,
    EventKind,
    RatingChannel,
    Report,
    ReportRating,
    ReportState,
    SatisfactionLevel,
)
from ..selectors.categories import unit_members
from ._common import COMMENT_MAX, locked, move, step, tell, tell_reporter_and_followers

S = ReportState


def rating_allowed(*, actor, report, channel: str = RatingChannel.SELF) -> None:
    """Who may rate, asked before a request's body is read."""
    if channel == RatingChannel.CALLBACK:
        require_perm(
            actor,
            "casework.rate_callback",
            report,
            _("Only the grid worker of this cell, or an organiser or official above it, can record a callback."),
        )
    else:
        require_perm(actor, "casework.rate", report, _("Only the reporter can rate this report."), personal=True)


@transaction.atomic
def report_rate(*, actor, report, level, comment: str = "", channel: str = RatingChannel.SELF) -> ReportRating:
    report = locked(report)
    if channel not in RatingChannel.values:
        raise InvalidInput("channel_invalid", _("Unknown channel."), field="channel")
    rating_allowed(actor=actor, report=report, channel=channel)
    if report.state != S.RESOLVED or ReportRating.objects.filter(report=report, round=report.reopen_count).exists():
        if ReportRating.objects.filter(report=report).exists():
            raise Conflict("already_rated", _("This handling has already been rated."))
        raise Conflict("not_waiting_for_rating", _("This report is not waiting for a rating."))
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in SatisfactionLevel.values:
        raise InvalidInput("level_invalid", _("Choose one of the five levels."), field="level")
    comment = clean_text(comment, field="comment", limit=COMMENT_MAX)
    if level not in SATISFIED_LEVELS and not comment:
        raise InvalidInput("comment_required", _("Say what is still wrong."), field="comment")
    try:
        with transaction.atomic():
            rating = ReportRating.objects.create(
                report=report,
                round=report.reopen_count,
                level=level,
                comment=comment,
                channel=channel,
                rated_by=actor,
                unit=report.unit,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict("already_rated", _("This handling has already been rated.")) from None
    now = timezone.now()
    report.rating_level = level
    report.rating_due = None
    label = SatisfactionLevel(level).label
    params = {"level": level, "channel": channel}
    actor_public = channel == RatingChannel.CALLBACK
    if level in SATISFIED_LEVELS:
        report.closed_at = now
        move(
            report,
            S.CLOSED,
            actor=actor,
            kind=EventKind.RATED,
            note=comment,
            actor_public=actor_public,
            params=params,
            fields=["rating_level", "rating_due", "closed_at"],
        )
        tell_reporter_and_followers(
            report, step(gettext_lazy("rated “%(level)s” and closed"), level=label), exclude=[actor]
        )
        return rating
    # 重办: back to the same unit, with a new handling limit from now.
    report.reopen_count += 1
    report.handling_due = handling_due(now, report.category.handling_days)
    report.escalation_level = 0
    report.next_escalation_at = None
    move(
        report,
        S.DISPATCHED,
        actor=actor,
        kind=EventKind.REOPENED,
        note=comment,
        unit=report.unit,
        actor_public=actor_public,
        params=params,
        fields=["rating_level", "rating_due", "reopen_count", "handling_due", "escalation_level", "next_escalation_at"],
    )
    tell_reporter_and_followers(
        report,
        step(gettext_lazy("rated “%(level)s”: sent back to %(unit)s"), level=label, unit=report.unit.name),
        body=comment,
        exclude=[actor],
    )
    tell(
        unit_members(report.unit),
        report,
        kind="casework.dispatched",
        title=gettext_lazy("Report #%(number)s reopened after a poor rating: %(place)s"),
        body=comment,
        exclude=[actor],
    )
    return rating


def close_unrated_reports(now=None) -> int:
    """Tick: resolved reports not rated within the rating period are closed, not rated (idempotent: each
    report is locked and moved once; another machine skips the rows locked here)."""
    now = now or timezone.now()
    done = 0
    due = (
        Report.objects.filter(state=S.RESOLVED, rating_due__lte=now)
        .order_by("rating_due")
        .values_list("pk", flat=True)[:500]
    )
    for pk in list(due):
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("cell", "category", "unit__organisation", "reporter")
                .filter(pk=pk, state=S.RESOLVED, rating_due__lte=now)
                .first()
            )
            if report is None:
                continue
            report.closed_at = now
            report.rating_due = None
            move(report, S.CLOSED, actor=None, kind=EventKind.CLOSED_UNRATED, fields=["closed_at", "rating_due"])
            tell_reporter_and_followers(report, EventKind.CLOSED_UNRATED.label)
            done += 1
    return done
