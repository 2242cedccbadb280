"""How reports and their steps read on the pages (in the reader's language)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ..models import ClockStopReason, EventKind, LimitKind, ReportChannel, ReportState, SatisfactionLevel

S = ReportState

STATE_CLASS = {
    S.SUBMITTED: "state-published",
    S.ACCEPTED: "state-qualified",
    S.DISPATCHED: "badge-wait",
    S.IN_PROGRESS: "badge-wait",
    S.RESOLVED: "state-qualified",
    S.CLOSED: "state-done",
    S.REJECTED: "state-withdrawn",
    S.WITHDRAWN: "state-withdrawn",
    S.MERGED: "state-withdrawn",
    S.REFERRED: "state-withdrawn",
}


def state_class(state: str) -> str:
    return STATE_CLASS.get(state, "")


@dataclass
class Step:
    when: datetime
    title: str
    detail: str
    who: str
    note: str
    photos: list
    kind: str


def _detail(event) -> str:
    params = event.params or {}
    kind = event.kind
    if kind == EventKind.SUBMITTED:
        return str(ReportChannel(params.get("channel", "online")).label) if params.get("channel") else ""
    if kind in (EventKind.DISPATCHED, EventKind.STARTED, EventKind.RESOLVED) and event.unit_id:
        return _("unit: %(unit)s") % {"unit": event.unit.organisation.name}
    if kind == EventKind.RETURNED:
        text = _("returned by %(unit)s") % {"unit": params.get("unit", "")}
        if params.get("suggested_unit"):
            text += " · " + _("asks for a transfer to %(unit)s") % {"unit": params["suggested_unit"]}
        return text
    if kind == EventKind.REFERRED:
        return _("referred to %(to)s") % {"to": params.get("to", "")}
    if kind == EventKind.MERGED:
        return _("merged into report #%(number)s") % {"number": params.get("into", "")}
    if kind == EventKind.MERGED_IN:
        return _("report #%(number)s was merged into this one") % {"number": params.get("from", "")}
    if kind in (EventKind.RATED, EventKind.REOPENED):
        level = params.get("level")
        text = str(SatisfactionLevel(level).label) if level in SatisfactionLevel.values else ""
        if params.get("channel") == "callback":
            text += " · " + _("recorded at a callback")
        return text
    if kind == EventKind.OVERDUE:
        limit = params.get("limit")
        return str(LimitKind(limit).label) if limit in LimitKind.values else ""
    if kind == EventKind.ESCALATED:
        return _("to %(area)s (level %(level)s)") % {"area": params.get("area", ""), "level": params.get("level", "")}
    if kind == EventKind.ACKNOWLEDGED:
        return _("by %(area)s") % {"area": params.get("area", "")}
    if kind == EventKind.CLOCK_STOPPED:
        reason = params.get("reason")
        return str(ClockStopReason(reason).label) if reason in ClockStopReason.values else ""
    if kind == EventKind.CLOCK_RESUMED:
        return _("stopped for %(minutes)s working minutes") % {"minutes": params.get("minutes", 0)}
    return ""


def present_event(event, *, show_private: bool = False) -> Step:
    """One step of the public timeline. The person who acted is named only when they acted in a role
    (`actor_public`); reporters and people also affected never are."""
    who = ""
    if event.actor_id and (event.actor_public or show_private):
        who = event.actor.public_name
    return Step(
        when=event.created_at,
        title=str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind,
        detail=_detail(event),
        who=who,
        note=event.note,
        photos=[p for p in event.photos.all() if not p.is_hidden or show_private],
        kind=event.kind,
    )
