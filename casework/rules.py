import rules

from civic.predicates import is_superuser

from .predicates import (
    answers_escalation,
    answers_escalations_somewhere,
    has_a_queue,
    is_official_of_area,
    is_reporter,
    is_unit_member,
    is_verified_resident,
    refers_report,
    takes_in_area,
    takes_in_report,
    works_for_report_unit,
)

# Filing: any verified resident, in any cell; staff for someone else (by phone, at the door) in their area.
rules.add_perm("casework.report", is_verified_resident | takes_in_area | is_superuser)
rules.add_perm("casework.report_for", takes_in_area | is_superuser)
rules.add_perm("casework.follow", is_verified_resident & ~is_reporter)
# The reporter's own acts (asked of the rule itself: no administrator acts in a reporter's name).
rules.add_perm("casework.withdraw", is_reporter)
rules.add_perm("casework.rate", is_reporter)
# Intake and dispatch (派单), and the callback rating (回访).
rules.add_perm("casework.dispatch", takes_in_report | is_superuser)
rules.add_perm("casework.refer", refers_report | is_superuser)
rules.add_perm("casework.rate_callback", takes_in_report | is_superuser)
# The unit the report is dispatched to.
rules.add_perm("casework.handle", works_for_report_unit | is_superuser)
rules.add_perm("casework.unit_queue", is_unit_member | is_superuser)
# Who sees the private side of a report (the reporter's name and phone, hidden photos).
rules.add_perm("casework.view_private", takes_in_report | works_for_report_unit | is_superuser)
rules.add_perm("casework.view_queue", has_a_queue | is_superuser)
rules.add_perm("casework.manage_categories", is_official_of_area | is_superuser)
rules.add_perm("casework.manage_units", is_official_of_area | is_superuser)
rules.add_perm("casework.view_escalations", answers_escalations_somewhere | is_superuser)
rules.add_perm("casework.acknowledge", answers_escalation | is_superuser)
