import rules

from civic.predicates import is_active_person, is_official_of_area, is_superuser

from .predicates import (
    covers_area_as_staff,
    is_active,
    is_author,
    is_comment_author,
    is_official_anywhere,
    is_official_of_proposal_area,
    is_resident_of_area,
    speaks_for_organisation_serving,
)

rules.add_perm("proposals.create", is_active_person)
rules.add_perm(
    "proposals.propose_in_area",
    is_resident_of_area | speaks_for_organisation_serving | covers_area_as_staff | is_superuser,
)
rules.add_perm("proposals.edit_proposal", is_active & is_author)
rules.add_perm("proposals.publish_proposal", is_active & is_author)
rules.add_perm("proposals.withdraw_proposal", is_active & is_author)
rules.add_perm("proposals.edit_comment", is_active & is_comment_author)
rules.add_perm("proposals.answer", is_official_of_proposal_area | is_superuser)
rules.add_perm("proposals.enter_on_behalf", covers_area_as_staff | is_superuser)
rules.add_perm("proposals.propose_from_reports", covers_area_as_staff | is_superuser)
rules.add_perm("proposals.manage_categories", is_official_anywhere | is_superuser)
rules.add_perm("proposals.view_overdue", is_official_anywhere | is_superuser)
rules.add_perm("proposals.comment", is_active_person)
rules.add_perm("proposals.set_rules", is_official_of_area | is_superuser)
