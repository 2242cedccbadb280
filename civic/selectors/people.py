"""People: what a public profile shows."""

from ..models import (
    Membership,
)
from .verification import effective_verification


def person_summary(person) -> dict:
    """What a public profile shows: organisations (confirmed, public) and whether the person is verified."""
    memberships = (
        Membership.objects.filter(user=person, organisation__confirmed_at__isnull=False, organisation__is_hidden=False)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {"memberships": memberships, "verified": effective_verification(person) is not None}
