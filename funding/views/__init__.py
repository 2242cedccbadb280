"""Funding pages, split by subject; thin: parse, call a service or selector, render."""

from .awards import (  # noqa: F401
    advance_pay,
    award_approve,
    award_compute,
    award_context,
    award_detail,
    award_recompute,
    funding_desk,
    ledger_reverse,
    objection_answer,
    objection_file,
    recovery_record,
    settlement_pay,
)
from .ledger import area_ledger, area_ledger_export, project_ledger_export  # noqa: F401
from .policy import subsidy_policy  # noqa: F401
from .projects import (  # noqa: F401
    project_cancel,
    project_close,
    project_commitment_add,
    project_completion,
    project_desk,
    project_detail,
    project_inspection,
    project_list,
    project_milestone_add,
    project_new_from_proposal,
    project_progress,
    project_rate,
    project_receipt_add,
    project_resume,
    project_start,
    project_suspend,
)
