"""Forms of the award actions (each a small form on the project's or the award's page). They parse; the
services judge (a blank reason or an amount above what is owed is refused there, with its own message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import AmountField

from ..models import AdvanceCondition, AwardStage


class AwardComputeForm(forms.Form):
    stage = forms.ChoiceField(
        choices=AwardStage.choices,
        error_messages={
            "required": _("Choose the provisional award or the settlement."),
            "invalid_choice": _("Choose the provisional award or the settlement."),
        },
    )


class AwardRecomputeForm(forms.Form):
    reason = forms.CharField(required=False)
    cancel = forms.CharField(required=False)  # a checkbox; "0" or nothing means recompute

    def clean_cancel(self) -> bool:
        return self.cleaned_data["cancel"].lower() in ("1", "on", "true", "yes")


class ObjectionForm(forms.Form):
    text = forms.CharField(required=False)


OUTCOME = _("Choose whether the objection is upheld or rejected.")


class ObjectionAnswerForm(forms.Form):
    upheld = forms.ChoiceField(
        choices=[("upheld", "upheld"), ("rejected", "rejected")],
        error_messages={"required": OUTCOME, "invalid_choice": OUTCOME},
    )
    answer = forms.CharField(required=False)
    corrected_base = AmountField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("upheld") == "rejected":  # a corrected figure only counts for an upheld objection
            self.errors.pop("corrected_base", None)
            data["corrected_base"] = None
        data["upheld"] = data.get("upheld") == "upheld"
        return data


class AdvanceForm(forms.Form):
    condition = forms.ChoiceField(
        choices=AdvanceCondition.choices,
        error_messages={
            "required": _("The policy has no advance at this point."),
            "invalid_choice": _("The policy has no advance at this point."),
        },
    )


class RecoveryForm(forms.Form):
    amount = AmountField(required=False)
    reference = forms.CharField(required=False)


class LedgerReverseForm(forms.Form):
    reason = forms.CharField(required=False)
