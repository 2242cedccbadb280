"""The tree of areas: children, ancestors, counts."""

from django.db.models import Count, QuerySet

from ..models import (
    Area,
    AreaLevel,
)


def area_descendants(area: Area, *, include_self: bool = False) -> QuerySet[Area]:
    queryset = Area.objects.filter(path__startswith=area.path)
    return queryset if include_self else queryset.exclude(pk=area.pk)


def area_children_with_counts(area: Area | None) -> QuerySet[Area]:
    """Children of `area` (the roots if None), each annotated with its number of children."""
    queryset = Area.objects.filter(parent=area) if area else Area.objects.filter(parent__isnull=True)
    return queryset.annotate(child_count=Count("children")).order_by("code")


def area_ancestors(area: Area) -> list[Area]:
    """The chain from the root down to the parent of `area`, in one query."""
    codes = area.ancestor_codes
    if not codes:
        return []
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def area_counts_by_level(area: Area | None = None) -> dict[str, int]:
    queryset = area_descendants(area) if area else Area.objects.all()
    counts = dict(queryset.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    return {level.value: counts.get(level.value, 0) for level in AreaLevel}
