import rules

from civic.predicates import is_active_person, is_official_anywhere, is_official_of_area, is_superuser

from .predicates import is_eligible_in_project_area, is_official_of_project_area, works_for_implementer

rules.add_perm("funding.set_policy", is_official_of_area | is_superuser)
rules.add_perm("funding.create_project", is_official_of_area | is_superuser)
rules.add_perm("funding.view_project_desk", is_official_anywhere | is_superuser)
rules.add_perm("funding.manage_project", is_official_of_project_area | is_superuser)
rules.add_perm("funding.report_progress", works_for_implementer | is_official_of_project_area | is_superuser)
# nobody inspects the work of an organisation they belong to
rules.add_perm("funding.inspect", (is_official_of_project_area | is_superuser) & ~works_for_implementer)
rules.add_perm("funding.rate_project", is_eligible_in_project_area)
rules.add_perm("funding.award", is_official_of_project_area | is_superuser)
rules.add_perm("funding.object_to_award", is_active_person)
rules.add_perm("funding.view_desk", is_official_anywhere | is_superuser)
