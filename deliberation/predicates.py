import rules

from civic.predicates import covers, decides_verifications_somewhere
from civic.selectors import is_eligible


@rules.predicate
def manages_area(user, area):
    return covers(user, "official", area) or covers(user, "organiser", area)


# --- ballot boxes ---------------------------------------------------------------------------------


@rules.predicate
def manages_somewhere(user):
    """An official or organiser of some area: may prepare a vote there."""
    return decides_verifications_somewhere(user)


@rules.predicate
def manages_box_area(user, box):
    return box is not None and manages_area(user, box.area)


@rules.predicate
def box_is_announced(user, box):
    """A draft is seen only by the people preparing it; an announced box by everyone."""
    return box is not None and box.state != "draft"


@rules.predicate
def is_resident_of_box_area(user, box):
    return box is not None and is_eligible(user, box.area)


# --- councils and sessions ----------------------------------------------------------------------


@rules.predicate
def session_is_public(user, session):
    return session is not None and session.public


@rules.predicate
def chairs_session(user, session):
    return session is not None and user.is_authenticated and session.chair_id == user.pk


@rules.predicate
def sits_on_session_council(user, session):
    return session is not None and user.is_authenticated and session.council.members.filter(user=user).exists()


@rules.predicate
def manages_session_area(user, session):
    return session is not None and manages_area(user, session.council.area)
