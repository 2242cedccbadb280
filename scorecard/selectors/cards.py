"""The interface: one area's scorecard, and its children side by side."""

from civic.models import Area

from ..period import Period
from .cache import cached_numbers
from .figures import card, figures_of, funnel_of


def scorecard(area: Area | None, period: Period) -> dict:
    """The five governances' figures, the funnel and the shared-governance breakdowns for `area` (and
    everything under it; None: the whole platform) in `period`."""
    scope = area.path if area is not None else ""
    return card(area, period, cached_numbers(scope, [scope], period)[scope])


def children_of(area: Area | None):
    """The areas compared under `area`: its children; for the whole platform, the top areas (or, when
    there is a single city, its districts)."""
    if area is None:
        roots = list(Area.objects.filter(parent__isnull=True).order_by("path"))
        if len(roots) != 1:
            return roots
        area = roots[0]
    return list(Area.objects.filter(parent=area).order_by("path"))


def compare_children(area: Area | None, period: Period) -> list[dict]:
    """[{"area": child, "figures": {figure key: value}, "funnel": {step: count}}] for each child area, side
    by side; the same fixed number of queries as one scorecard, whatever the number of children."""
    children = children_of(area)
    if not children:
        return []
    scope = area.path if area is not None else ""
    numbers = cached_numbers(scope, [child.path for child in children], period)
    rows = []
    for child in children:
        n = numbers[child.path]
        rows.append(
            {
                "area": child,
                "figures": {key: figure["value"] for key, figure in figures_of(n).items()},
                "funnel": {step["key"]: step["count"] for step in funnel_of(n)},
            }
        )
    return rows
