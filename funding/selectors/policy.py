"""Reading funding data; every function answers in a fixed number of queries."""

from django.utils import timezone

from civic.models import Area

from ..models import SubsidyPolicy


def policy_in_force(area: Area, at=None) -> SubsidyPolicy | None:
    """The version in force for `area` at `at` (default now): the nearest area on its path that has one.

    One query: the candidates are the versions of the area and its ancestors already in force; the
    deepest area wins, then the latest start, then the highest version.
    """
    at = at or timezone.now()
    codes = [*area.ancestor_codes, area.code]
    return (
        SubsidyPolicy.objects.filter(area__code__in=codes, effective_from__lte=at)
        .select_related("area", "created_by")
        .order_by("-area__depth", "-effective_from", "-version")
        .first()
    )


def policy_versions(area: Area):
    """Every version this area published itself, newest first (scheduled ones included)."""
    return SubsidyPolicy.objects.filter(area=area).select_related("created_by").order_by("-version")
