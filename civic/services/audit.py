"""The audit log and the timeline: every stage writes its story through these."""

from django.contrib.contenttypes.models import ContentType

from ..models import (
    Area,
    AuditEntry,
    Channel,
    TimelineEntry,
)


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    area: Area | None = None,
    acting_for=None,
    assisted_by=None,
    before=None,
    after=None,
) -> AuditEntry:
    """Append one entry to the audit log (callers are already inside their transaction). `assisted_by` is the
    staff member who did the act in person for `actor` (代办); the entry's channel is then "assisted"."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        acting_for=acting_for,
        assisted_by=assisted_by,
        channel=Channel.ASSISTED if assisted_by is not None else Channel.ONLINE,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        area=area,
        area_path=area.path if area else "",
        before=before,
        after=after,
    )


def timeline_record(
    *, subject, verb: str, params: dict | None = None, url: str = "", actor=None, organisation=None, area=None
) -> TimelineEntry:
    """Write one public line of a subject's story; any app may call it, earlier pages read it."""
    return TimelineEntry.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        verb=verb,
        params=params or {},
        url=url,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        area=area,
        area_path=area.path if area else "",
    )
