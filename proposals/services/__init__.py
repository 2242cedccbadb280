"""Every write of proposals: one transaction each, a row lock where two requests could race, an
audit row per state change, the timeline and notifications through the civic core.

One module per concern; this package re-exports the services (`proposals.services.proposal_create`)."""

from ._common import (
    ANSWER_MAX,
    BODY_MAX,
    CATEGORY_DESCRIPTION_MAX,
    CATEGORY_NAME_MAX,
    COMMENT_MAX,
    LOCATION_MAX,
    ON_BEHALF_OF_MAX,
    PLEDGE_DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
)
from .answers import proposal_answer
from .configuration import area_policy_set, category_save
from .from_reports import proposal_from_reports, suggestion_reports
from .participation import comment_add, comment_edit, cosponsor_join, proposal_follow
from .transitions import (
    expire_due_proposals,
    proposal_complete,
    proposal_decide,
    proposal_decline,
    proposal_endorse,
    proposal_expire,
    proposal_publish,
    proposal_schedule,
    proposal_start_implementation,
    proposal_unendorse,
    proposal_unschedule,
    proposal_withdraw,
)
from .writing import attachments_add, get_proposal, proposal_create, proposal_update

__all__ = [
    "ANSWER_MAX",
    "BODY_MAX",
    "CATEGORY_DESCRIPTION_MAX",
    "CATEGORY_NAME_MAX",
    "COMMENT_MAX",
    "LOCATION_MAX",
    "ON_BEHALF_OF_MAX",
    "PLEDGE_DESCRIPTION_MAX",
    "REASON_MAX",
    "TITLE_MAX",
    "area_policy_set",
    "attachments_add",
    "category_save",
    "comment_add",
    "comment_edit",
    "cosponsor_join",
    "expire_due_proposals",
    "get_proposal",
    "proposal_answer",
    "proposal_complete",
    "proposal_create",
    "proposal_decide",
    "proposal_decline",
    "proposal_endorse",
    "proposal_expire",
    "proposal_follow",
    "proposal_from_reports",
    "proposal_publish",
    "proposal_schedule",
    "proposal_start_implementation",
    "proposal_unendorse",
    "proposal_unschedule",
    "proposal_update",
    "proposal_withdraw",
    "suggestion_reports",
]
