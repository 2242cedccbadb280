import rules

from civic.predicates import covers


@rules.predicate
def manages_area(user, area):
    return covers(user, "official", area) or covers(user, "organiser", area)
