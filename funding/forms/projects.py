"""Forms of the micro-project pages: creation (with repeatable budget and milestone rows) and the actions."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.errors import DomainError
from civic.forms import AmountField
from civic.money import format_yuan

from ..models import FundingSource, InspectionResult, SatisfactionLevel

BLANK_ROWS = 5
CHECKLIST_ROWS = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos from one input; the service checks their kind and number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _photos():
    return MultipleFileField(label=_("Photos (JPEG or PNG, up to 6)"))


def _text(label, rows=3, max_length=5000, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# --- creation ----------------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80)
    scope = _text(_("Scope of work"), rows=6, help_text=_("What will be built or done, where, and to what standard."))
    location = forms.CharField(label=_("Location (optional)"), max_length=120, required=False)
    implementer = forms.ModelChoiceField(
        label=_("Implementer"),
        queryset=None,
        empty_label=_("Choose an organisation"),
        help_text=_("Organisations serving this area."),
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implementer"].queryset = organisations


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=120, required=False)
    amount = AmountField(label=_("Amount (yuan)"), required=False)


class MilestoneRowForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    is_midpoint = forms.BooleanField(label=_("Mid-point"), required=False)


BudgetLineFormSet = formset_factory(BudgetLineForm, extra=BLANK_ROWS, max_num=30)
MilestoneFormSet = formset_factory(MilestoneRowForm, extra=BLANK_ROWS, max_num=20)


class ChecklistRowForm(forms.Form):
    item = forms.CharField(label=_("Checklist item"), max_length=120, required=False)
    score = forms.DecimalField(label=_("Score"), required=False, min_value=0, max_digits=6, decimal_places=2)
    max = forms.DecimalField(label=_("Out of"), required=False, min_value=0, max_digits=6, decimal_places=2)


ChecklistFormSet = formset_factory(ChecklistRowForm, extra=CHECKLIST_ROWS, max_num=30)


def rows_data(formset, names) -> list[dict]:
    """Every row as typed (blank rows included), so a service's `lines.<i>.<field>` names the same row."""
    rows = []
    for form in formset.forms:
        cleaned = getattr(form, "cleaned_data", None) or {}
        rows.append({name: cleaned.get(name) for name in names})
    return rows


def apply_row_error(error: DomainError, rowsets: dict) -> dict | None:
    """Show a service's refusal on the row it names ("budget_lines.2.amount": returns {}) or above the
    whole list ("budget_lines": returns {name: message} for the page); None when it names no list."""
    name, _dot, rest = (error.field or "").partition(".")
    if name not in rowsets:
        return None
    index, _dot, column = rest.partition(".")
    formset = rowsets[name]
    if index.isdigit() and int(index) < len(formset.forms) and column in formset.forms[int(index)].fields:
        formset.forms[int(index)].add_error(column, str(error.message))
        return {}
    return {name: str(error.message)}


# --- actions on a project --------------------------------------------------------------------------------


class ProgressForm(forms.Form):
    text = _text(_("What was done"), rows=4)
    spend_to_date = AmountField(label=_("Spent to date (yuan)"))
    reported_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    milestone = forms.ModelChoiceField(
        label=_("Milestone reached (optional)"), queryset=None, required=False, empty_label=_("none")
    )
    photos = _photos()

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones


class CompletionForm(forms.Form):
    report = _text(_("What was built"), rows=5)
    photos = _photos()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    is_midpoint = forms.BooleanField(label=_("This is the mid-point milestone"), required=False)


class CommitmentForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=FundingSource.choices)
    funder = forms.CharField(label=_("Who pays"), max_length=120)
    amount = AmountField(label=_("Amount or value (yuan)"))
    description = forms.CharField(label=_("What is given (required for in-kind)"), max_length=200, required=False)


class ReceiptForm(forms.Form):
    commitment = forms.ModelChoiceField(label=_("Commitment"), queryset=None, empty_label=_("Choose a commitment"))
    amount = AmountField(label=_("Amount received (yuan)"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=timezone.localdate)
    reference = forms.CharField(label=_("Voucher or bank reference (optional)"), max_length=120, required=False)

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = commitments
        self.fields["commitment"].label_from_instance = lambda c: f"{c.funder} · {format_yuan(c.amount)}"


class InspectionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=InspectionResult.choices, widget=forms.RadioSelect)
    verified_cost = AmountField(label=_("Verified cost (yuan)"), required=False, help_text=_("Required when accepted."))
    invoices = forms.CharField(label=_("Invoices checked"), max_length=500, required=False)
    remarks = _text(_("Remarks"), required=False, max_length=3000)
    defects = _text(_("Defects to put right"), required=False, max_length=3000, help_text=_("Required for rework."))
    photos = _photos()


class ReasonForm(forms.Form):
    reason = _text(_("Reason (public)"), rows=2, max_length=1000)


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=SatisfactionLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
