"""Who may do what with a micro-project and its awards (django-rules predicates)."""

import rules

from civic.models import Membership
from civic.predicates import covers
from civic.selectors import is_eligible


@rules.predicate
def is_official_of_project_area(user, project):
    return covers(user, "official", project.area)


@rules.predicate
def works_for_implementer(user, project):
    """A member of the implementing organisation (cached per project object for one request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = project.__dict__.setdefault("_implementer_members", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(organisation_id=project.implementer_id, user=user).exists()
    return cache[user.pk]


@rules.predicate
def is_eligible_in_project_area(user, project):
    """A verified resident of the project's area (or of a cell under it): who may rate its result."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_eligible(user, project.area)
