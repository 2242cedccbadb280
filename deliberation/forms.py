from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import AmountField
from civic.models import Area

from .models import BoxKind, BudgetRule, Threshold


class AreaPickForm(forms.Form):
    """The area named by its code in the address or the posted form (`?area=7701001`)."""

    area = forms.ModelChoiceField(queryset=Area.objects.all(), to_field_name="code")

    @classmethod
    def area_in(cls, data) -> Area | None:
        form = cls(data)
        return form.cleaned_data["area"] if form.is_valid() else None


class BoxForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of vote"), choices=BoxKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    secret = forms.BooleanField(
        label=_("Secret ballot (who voted is kept apart from what they chose)"), required=False, initial=True
    )
    allow_change = forms.BooleanField(
        label=_("Voters may change their ballot until the close"), required=False, initial=True
    )
    # max_length=None: civic.forms.AmountField's default length check runs on the parsed Decimal and fails
    budget = AmountField(label=_("Budget in yuan (participatory budget)"), required=False)
    rule = forms.ChoiceField(
        label=_("Counting rule (participatory budget)"), choices=BudgetRule.choices, initial=BudgetRule.MES_ADD1
    )
    min_choices = forms.IntegerField(label=_("Fewest options a voter must choose"), min_value=0, initial=0)
    max_choices = forms.IntegerField(
        label=_("Most options a voter may choose (0: no limit; for a choice among options: how many win)"),
        min_value=0,
        initial=0,
    )
    quorum_share = forms.DecimalField(
        label=_("Turnout needed, as a share of eligible residents (yes/no question), e.g. 0.1"),
        min_value=0,
        max_value=1,
        decimal_places=4,
        initial=0,
    )
    threshold = forms.ChoiceField(label=_("Threshold (yes/no question)"), choices=Threshold.choices)


class OptionForm(forms.Form):
    proposal = forms.ModelChoiceField(
        label=_("A qualified proposal of the area"), required=False, queryset=None, empty_label="—"
    )
    title = forms.CharField(label=_("Or a title"), max_length=200, required=False)
    cost = AmountField(label=_("Cost in yuan"), required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class ScheduleForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class PaperBatchForm(forms.Form):
    label = forms.CharField(label=_("Batch name (e.g. polling station and time)"), max_length=60)
    voters = forms.CharField(
        label=_("The people who voted, one per line"),
        help_text=_(
            "An e-mail address, a mobile number, or for residents registered in person at the booth: name, grid "
            "cell and the last four ID characters (e.g. 王秀兰, 第一网格, 123X)."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    ballots = forms.CharField(
        label=_(
            "The ballots, one per line: the numbers of the chosen options separated by commas "
            "(yes/no: yes, no or abstain)"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_voters(self) -> list[str]:
        """The lines as typed; the service finds the people (civic.selectors.people_identify) once it has
        checked who may enter paper ballots."""
        return [line.strip() for line in self.cleaned_data["voters"].splitlines() if line.strip()]

    def clean_ballots(self) -> list[list[str]]:
        return [
            [c.strip() for c in line.split(",") if c.strip()]
            for line in self.cleaned_data["ballots"].splitlines()
            if line.strip()
        ]


class BallotForm(forms.Form):
    """One voter's ballot: first to review (`step` review), then to cast (`step` cast). How many options and
    whether they fit the budget is the box's rule, checked by the selector and the service."""

    step = forms.ChoiceField(choices=[("review", "review"), ("cast", "cast")])
    choice = forms.MultipleChoiceField(required=False)
    receipt = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(o.project_id, o.title) for o in options]


class CloseForm(forms.Form):
    """A button with nothing to fill in (close the vote now and count)."""


# --- councils and sessions ------------------------------------------------------------------------
# The pages' forms parse what was posted; the services judge it (a name too short, an area's proposal).


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False)
    preset = forms.CharField(label=_("Rules of procedure"), required=False)


class CouncilMemberForm(forms.Form):
    email = forms.CharField(label=_("E-mail address of the person"), max_length=254, required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={"required": _("Enter the date and time."), "invalid": _("Enter the date and time.")},
    )
    place = forms.CharField(label=_("Place"), required=False)
    public = forms.BooleanField(label=_("Open to watch"), required=False)
    proposal = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    free_items = forms.CharField(label=_("Other agenda items, one per line"), required=False, strip=False)

    def __init__(self, *args, proposal_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [(pk, pk) for pk in proposal_ids]


class MinutesForm(forms.Form):
    summary = forms.CharField(label=_("Summary (public)"), required=False)
