"""Who holds which role where, as filters: the one rule that an area role covers everything under it."""

from django.db.models import Q, QuerySet

from ..models import (
    Area,
    AreaRole,
)
from ..predicates import area_roles_of


def covered_by(user, roles, lookup: str) -> Q | None:
    """A filter for rows whose area (at `lookup`, a path) lies under an area where `user` holds one of
    `roles`; None when they hold none of them."""
    paths = [path for role, path in area_roles_of(user) if role in roles]
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


def area_role_holders(area: Area) -> QuerySet[AreaRole]:
    """Roles held in this area or above it (they cover it), nearest first."""
    return (
        AreaRole.objects.filter(area__code__in=area.path.strip("/").split("/"), user__is_active=True)
        .select_related("user", "area")
        .order_by("-area__depth", "role", "user__display_name")
    )


def areas_for_roles(user, roles: set[str]) -> QuerySet[Area]:
    """Every area where `user` holds one of `roles`, directly or through an area above (all for an admin)."""
    if user.is_superuser:
        return Area.objects.all()
    condition = covered_by(user, roles, "path")
    return Area.objects.none() if condition is None else Area.objects.filter(condition)
