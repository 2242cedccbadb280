import rules

from civic.predicates import covers, holds_role_anywhere


@rules.predicate
def is_official_of_proposal_area(user, proposal):
    return covers(user, "official", proposal.area)


@rules.predicate
def covers_area_as_staff(user, area):
    return covers(user, "official", area) or covers(user, "organiser", area)


@rules.predicate
def is_official_anywhere(user):
    return holds_role_anywhere(user, "official")


@rules.predicate
def is_author(user, proposal):
    return getattr(user, "pk", None) == proposal.author_id
