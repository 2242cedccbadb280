"""Funding services: every write, one function per action, each in one transaction, each audited.

Split by subject; import from here (`funding.services.project_create`, …).
"""

from civic.services import require_perm  # noqa: F401  (pages call services.require_perm)

from .awards import (  # noqa: F401
    advance_pay,
    award_approve,
    award_compute,
    award_recompute,
    ledger_correct,
    objection_answer,
    objection_file,
    recovery_record,
    settlement_pay,
)
from .cofunding import commitment_add, receipt_record  # noqa: F401
from .inspection import inspection_allowed, inspection_record  # noqa: F401
from .policy import policy_publish  # noqa: F401
from .progress import milestone_add, notify_overdue_milestones, progress_report  # noqa: F401
from .projects import (  # noqa: F401
    project_cancel,
    project_close,
    project_create,
    project_report_completion,
    project_resume,
    project_start,
    project_suspend,
)
from .ratings import rating_allowed, rating_submit  # noqa: F401
