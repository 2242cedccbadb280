import rules

from .predicates import (
    covers_verification_cell,
    decides_verifications_somewhere,
    is_active_person,
    is_moderator_of_area,
    is_moderator_of_case,
    is_official_anywhere,
    is_official_of_area,
    is_official_of_organisation_area,
    is_representative,
    is_superuser,
    moderates_somewhere,
    owns_verification,
)

rules.add_perm("civic.request_verification", is_active_person)
rules.add_perm("civic.decide_verification", covers_verification_cell & ~owns_verification)
rules.add_perm("civic.view_verification", owns_verification | covers_verification_cell | is_superuser)
rules.add_perm("civic.view_verification_queue", decides_verifications_somewhere | is_superuser)
rules.add_perm("civic.grant_role", is_official_of_area | is_superuser)
rules.add_perm("civic.register_organisation", is_active_person)
rules.add_perm("civic.confirm_organisation", is_official_of_organisation_area | is_superuser)
rules.add_perm("civic.manage_organisation", is_representative)
rules.add_perm("civic.report_content", is_active_person)
rules.add_perm("civic.view_moderation_queue", moderates_somewhere | is_superuser)
rules.add_perm("civic.moderate_area", is_moderator_of_area | is_superuser)
rules.add_perm("civic.decide_case", is_moderator_of_case | is_superuser)
rules.add_perm("civic.view_audit", is_official_anywhere | is_superuser)
rules.add_perm("civic.publish_notice", is_official_of_area | is_superuser)
