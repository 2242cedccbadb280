import rules

from civic.predicates import is_official_of_area, is_superuser

rules.add_perm("funding.set_policy", is_official_of_area | is_superuser)
