"""Categories as they apply in an area (inherited down the tree, overridden by key), and the units serving them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from civic.models import Area, AreaRoleKind

from ..models import Category, Unit, UnitService

User = get_user_model()


def path_prefixes(area: Area) -> list[str]:
    """The paths of `area` and of every area above it ("/77/", "/77/7701/", …), without a query."""
    codes = area.path.strip("/").split("/")
    return ["/" + "/".join(codes[: index + 1]) + "/" for index in range(len(codes))]


def categories_in(area: Area, *, include_withdrawn: bool = False) -> list[Category]:
    """The categories that apply in `area`: for each key the row of the deepest area on its path (one query).
    A key withdrawn there (`is_offered` off) is left out unless `include_withdrawn`."""
    rows = (
        Category.objects.filter(area_path__in=path_prefixes(area))
        .select_related("area", "default_unit__organisation")
        .order_by("key", "-area__depth")
    )
    chosen: dict[str, Category] = {}
    for row in rows:
        chosen.setdefault(row.key, row)
    found = [row for row in chosen.values() if include_withdrawn or row.is_offered]
    return sorted(found, key=lambda row: (row.position, row.key))


def category_in(area: Area, key: str) -> Category | None:
    """The category with `key` as it applies in `area`, or None where it is not offered."""
    row = (
        Category.objects.filter(area_path__in=path_prefixes(area), key=key)
        .select_related("area", "default_unit__organisation")
        .order_by("-area__depth")
        .first()
    )
    return row if row is not None and row.is_offered else None


def categories_defined_in(area: Area) -> QuerySet[Category]:
    return Category.objects.filter(area=area).select_related("default_unit__organisation").order_by("position", "key")


def units_serving(cell: Area, category_key: str) -> QuerySet[Unit]:
    """Active units that serve `category_key` in `cell` or an area above it (one query)."""
    services = UnitService.objects.filter(category_key=category_key, area_path__in=path_prefixes(cell))
    return (
        Unit.objects.filter(is_active=True, pk__in=services.values("unit"))
        .select_related("organisation")
        .order_by("organisation__name")
    )


def unit_serves(unit: Unit, cell: Area, category_key: str) -> bool:
    return (
        unit.is_active
        and UnitService.objects.filter(unit=unit, category_key=category_key, area_path__in=path_prefixes(cell)).exists()
    )


def units_in(area: Area) -> QuerySet[Unit]:
    """Units serving something in `area`, above it or under it."""
    services = UnitService.objects.filter(area_path__in=path_prefixes(area)) | UnitService.objects.filter(
        area_path__startswith=area.path
    )
    return (
        Unit.objects.filter(pk__in=services.values("unit"))
        .select_related("organisation")
        .prefetch_related("services__area")
        .order_by("organisation__name")
    )


def first_responders(cell: Area) -> QuerySet:
    """Who is told of a new report: the grid workers covering the cell; if there are none, the organisers
    of its community (and of the areas above)."""
    prefixes = path_prefixes(cell)
    grid = User.objects.filter(
        is_active=True, area_roles__role=AreaRoleKind.GRID_WORKER, area_roles__area__path__in=prefixes
    ).distinct()
    if grid.exists():
        return grid
    return User.objects.filter(
        is_active=True, area_roles__role=AreaRoleKind.ORGANISER, area_roles__area__path__in=prefixes
    ).distinct()


def role_holders(area: Area) -> QuerySet:
    """The officials and organisers of exactly `area` (to whom an escalation there is addressed)."""
    return User.objects.filter(
        is_active=True,
        area_roles__area=area,
        area_roles__role__in=[AreaRoleKind.OFFICIAL, AreaRoleKind.ORGANISER],
    ).distinct()


def unit_members(unit: Unit) -> QuerySet:
    return User.objects.filter(is_active=True, memberships__organisation_id=unit.organisation_id).distinct()
