"""People: what a public profile shows; finding a person by e-mail address."""

from django.utils.translation import gettext as _

from ..errors import NotFound
from ..models import (
    Membership,
    User,
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


def active_person_by_email(email: str) -> User:
    """The registered person with an open account behind an e-mail address (any case), or NotFound on `email`."""
    person = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if person is None:
        raise NotFound(
            "person_unknown", _("Nobody with this e-mail address is registered on the platform."), field="email"
        )
    return person
