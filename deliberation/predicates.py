import rules

from civic.predicates import covers


@rules.predicate
def manages_area(user, area):
    return covers(user, "official", area) or covers(user, "organiser", area)


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
