"""Moderation: the queue of reported content."""

from django.db.models import QuerySet

from ..models import (
    AreaRoleKind,
    ModerationCase,
)
from .roles import covered_by


def moderation_queue(user, *, decided: bool = False) -> QuerySet[ModerationCase]:
    queryset = ModerationCase.objects.filter(decided_at__isnull=not decided).select_related(
        "content_type", "area", "author", "decided_by"
    )
    if not user.is_superuser:
        condition = covered_by(user, {AreaRoleKind.MODERATOR}, "area__path")
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition)
    return queryset.order_by("-updated_at")
