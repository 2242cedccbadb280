"""Forms of the funding pages, one module per subject; import from here (`funding.forms`)."""

from .policy import PERCENT_FIELDS, SubsidyPolicyForm  # noqa: F401
from .projects import (  # noqa: F401
    BudgetLineFormSet,
    ChecklistFormSet,
    CommitmentForm,
    CompletionForm,
    InspectionForm,
    MilestoneForm,
    MilestoneFormSet,
    ProgressForm,
    ProjectForm,
    RatingForm,
    ReasonForm,
    ReceiptForm,
    apply_row_error,
    rows_data,
)
