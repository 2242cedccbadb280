"""Timelines: the public story of a subject, an organisation, an area."""

from django.contrib.contenttypes.models import ContentType

from ..models import (
    Area,
    AreaRoleKind,
    TimelineEntry,
)
from ..registry import TIMELINE_PARAMS, TIMELINE_VERBS


def render_timeline_entry(entry: TimelineEntry) -> str:
    message = TIMELINE_VERBS.get(entry.verb)
    params = dict(entry.params)
    if "role" in params and params["role"] in AreaRoleKind.values:
        params["role"] = AreaRoleKind(params["role"]).label
    if entry.verb in TIMELINE_PARAMS:
        params = TIMELINE_PARAMS[entry.verb](params)
    if message is None:
        return entry.verb
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return str(message)


def _with_text(entries):
    entries = list(entries)
    for entry in entries:
        entry.text = render_timeline_entry(entry)
    return entries


def timeline_for(subject, *, limit: int = 50) -> list[TimelineEntry]:
    content_type = ContentType.objects.get_for_model(subject)
    return _with_text(
        TimelineEntry.objects.filter(subject_type=content_type, subject_id=subject.pk)
        .select_related("actor")
        .order_by("created_at", "id")[:limit]
    )


def timeline_for_organisation(organisation, *, limit: int = 50) -> list[TimelineEntry]:
    return _with_text(TimelineEntry.objects.filter(organisation=organisation).order_by("-created_at", "-id")[:limit])


def timeline_for_area(area: Area, *, limit: int = 30) -> list[TimelineEntry]:
    """What happened in this area and everything under it, newest first."""
    return _with_text(
        TimelineEntry.objects.filter(area_path__startswith=area.path).order_by("-created_at", "-id")[:limit]
    )
