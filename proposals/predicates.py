"""Who may do what with proposals (django-rules predicates); `rules.py` names the permissions.

Where a person may propose (one rule; the form's list of areas, the page, the API and the service
all follow it):
- as a resident, in the grid cell they are verified in and every area above it;
- for an organisation they represent, in every area it serves, every area inside those, and every
  area above them (a community's service centre may address its subdistrict or district);
- as staff entering a proposal brought in person or by phone, in every area they cover as an
  organiser or official.
"""

import rules

from civic.models import AreaRoleKind
from civic.predicates import covers, holds_role_anywhere
from civic.selectors import is_eligible, organisations_represented


def organisation_serves(organisation, area) -> bool:
    """True if `organisation` serves `area`, an area inside it, or an area above it."""
    return any(served.contains(area) or area.contains(served) for served in organisation.areas.all())


@rules.predicate
def is_official_of_proposal_area(user, proposal):
    return covers(user, "official", proposal.area)


@rules.predicate
def covers_area_as_staff(user, area):
    return covers(user, AreaRoleKind.OFFICIAL, area) or covers(user, AreaRoleKind.ORGANISER, area)


@rules.predicate
def is_resident_of_area(user, area):
    return is_eligible(user, area)


@rules.predicate
def speaks_for_organisation_serving(user, area):
    if not getattr(user, "is_authenticated", False):
        return False
    organisations = organisations_represented(user).prefetch_related("areas")
    return any(organisation_serves(organisation, area) for organisation in organisations)


@rules.predicate
def is_official_anywhere(user):
    return holds_role_anywhere(user, "official")


@rules.predicate
def is_author(user, proposal):
    return getattr(user, "pk", None) is not None and user.pk == proposal.author_id


@rules.predicate
def is_comment_author(user, comment):
    return getattr(user, "pk", None) is not None and user.pk == comment.author_id


def authors_may(user, perm: str, obj) -> bool:
    """An author-only permission asked of the rule itself: Django's `has_perm` lets a superuser do anything,
    but an administrator does not edit, publish or withdraw a text in someone else's name."""
    return rules.has_perm(perm, user, obj)


@rules.predicate
def is_active(user):
    return bool(getattr(user, "is_active", False))
