import rules

from civic.predicates import is_superuser

from .predicates import manages_area

rules.add_perm("deliberation.manage_box", manages_area | is_superuser)
