"""The audit log an official may browse."""

from ..models import (
    Area,
    AreaRoleKind,
    AuditEntry,
)
from .roles import covered_by


def audit_entries(user, *, action: str = "", actor_email: str = "", area: Area | None = None, since=None, until=None):
    """Audit entries an official may browse: those of their areas (everything for an administrator)."""
    queryset = AuditEntry.objects.select_related("actor", "acting_for", "assisted_by", "area", "content_type")
    if not user.is_superuser:
        condition = covered_by(user, {AreaRoleKind.OFFICIAL}, "area_path")
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition)
    if action:
        queryset = queryset.filter(action__startswith=action)
    if actor_email:
        queryset = queryset.filter(actor__email__iexact=actor_email.strip())
    if area is not None:
        queryset = queryset.filter(area_path__startswith=area.path)
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    if until:
        queryset = queryset.filter(created_at__date__lte=until)
    return queryset.order_by("-created_at", "-id")
