"""Who may do what with a micro-project (django-rules predicates)."""

import rules

from civic.models import Membership
from civic.predicates import covers


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
