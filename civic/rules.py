"""Who may do what in the civic core: only `add_perm` lines. A superuser holds every permission except the
personal ones (withdraw_verification, answer_invitation, withdraw_organisation_request), which services check
with `require_perm(..., personal=True)`: nobody, not even an administrator, acts there for another person.
The assisted-participation permissions (register_assisted, act_for, view_assisted_resident, issue_claim_code)
are asked the same way: meeting a resident in person is the area staff's job, not the administrator's."""

import rules

from .predicates import (
    assists_in_area,
    assists_resident,
    assists_somewhere,
    covers_verification_cell,
    decides_verifications_somewhere,
    is_active_person,
    is_hidden_organisation,
    is_invited_person,
    is_moderator_of_area,
    is_moderator_of_case,
    is_official_anywhere,
    is_official_of_area,
    is_official_of_organisation_area,
    is_own_membership,
    is_representative,
    is_self,
    is_superuser,
    moderates_somewhere,
    owns_verification,
    represents_membership_organisation,
    represents_requested_organisation,
    sent_organisation_request,
)

rules.add_perm("civic.request_verification", is_active_person)
rules.add_perm("civic.decide_verification", covers_verification_cell & ~owns_verification)
rules.add_perm("civic.withdraw_verification", owns_verification)
rules.add_perm("civic.view_verification", owns_verification | covers_verification_cell | is_superuser)
rules.add_perm("civic.view_verification_queue", decides_verifications_somewhere | is_superuser)
rules.add_perm("civic.grant_role", is_official_of_area | is_superuser)
rules.add_perm("civic.register_organisation", is_active_person)
rules.add_perm("civic.confirm_organisation", is_official_of_organisation_area | is_superuser)
rules.add_perm("civic.issue_organisation_token", is_official_of_organisation_area | is_superuser)
rules.add_perm("civic.manage_organisation", is_representative)
rules.add_perm("civic.view_organisation", ~is_hidden_organisation | is_representative)
rules.add_perm("civic.join_organisation", is_active_person)
rules.add_perm("civic.answer_join_request", represents_requested_organisation)
rules.add_perm("civic.answer_invitation", is_invited_person)
rules.add_perm("civic.withdraw_organisation_request", sent_organisation_request)
rules.add_perm("civic.remove_membership", is_own_membership | represents_membership_organisation)
rules.add_perm("civic.close_account", is_self | is_superuser)
rules.add_perm("civic.report_content", is_active_person)
rules.add_perm("civic.view_moderation_queue", moderates_somewhere | is_superuser)
rules.add_perm("civic.moderate_area", is_moderator_of_area | is_superuser)
rules.add_perm("civic.decide_case", is_moderator_of_case | is_superuser)
rules.add_perm("civic.view_audit", is_official_anywhere | is_superuser)
rules.add_perm("civic.publish_notice", is_official_of_area | is_superuser)
rules.add_perm("civic.register_assisted", assists_in_area)
rules.add_perm("civic.view_assisted_residents", assists_somewhere)
rules.add_perm("civic.act_for", assists_resident)
rules.add_perm("civic.view_assisted_resident", assists_resident)
rules.add_perm("civic.issue_claim_code", assists_resident)
