from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import AmountField

from ..models import percent
from ..services.policy import SHARE_FIELDS

PERCENT_FIELDS = SHARE_FIELDS  # entered in per cent on the page, fractions everywhere else


def _percent(label, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def _days(label, initial):
    return forms.IntegerField(label=label, min_value=1, max_value=365, initial=initial)


class SubsidyPolicyForm(forms.Form):
    """The figures of a new policy version; shares are entered in per cent."""

    share = _percent(_("Share of cost subsidised (%)"), required=True)
    cap_per_project = AmountField(
        label=_("Cap per project (yuan)"), required=False, help_text=_("Leave empty for no cap.")
    )
    cap_per_area_year = AmountField(
        label=_("Cap per area and calendar year (yuan)"), required=False, help_text=_("Leave empty for no cap.")
    )
    min_self_funded_share = _percent(
        _("Minimum residents' self-funded share (%)"), help_text=_("Residents' own money ÷ verified cost.")
    )
    min_acceptance_score = forms.DecimalField(
        label=_("Minimum acceptance score"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    min_satisfaction_rate = _percent(_("Minimum satisfaction rate (%)"))
    rating_days = _days(_("Rating period (days)"), 30)
    notice_days = _days(_("Public notice (days)"), 7)
    objection_days = _days(_("Objection window (days)"), 7)
    answer_days = _days(_("Answer and publication deadline (working days)"), 5)
    advance_start = _percent(
        _("Advance at the start (% of the provisional award)"),
        help_text=_("Cumulative shares; leave all three empty to pay everything at settlement."),
    )
    advance_midpoint = _percent(_("Advance at the mid-point milestone (cumulative %)"))
    advance_completion = _percent(_("Advance at the completion report (cumulative %)"))
    note = forms.CharField(label=_("Basis and remarks"), required=False, max_length=2000, widget=forms.Textarea)

    def policy_data(self) -> dict:
        """The cleaned figures with shares as fractions, as the service takes them."""
        data = dict(self.cleaned_data)
        for field in PERCENT_FIELDS:
            if data.get(field) is not None:
                data[field] = data[field] / Decimal(100)
        return data

    @classmethod
    def initial_from(cls, policy) -> dict:
        """Start a new version from the one in force."""
        if policy is None:
            return {}
        initial = {name: getattr(policy, name) for name in cls.base_fields if name != "note"}
        for field in PERCENT_FIELDS:
            if initial.get(field) is not None:
                initial[field] = percent(initial[field])
        return initial
