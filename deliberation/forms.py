from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import AmountField
from civic.models import Area

from .models import BoxKind, BudgetRule, ChairMode, MotionKind, QuorumKind, RulePreset, Threshold, VoteThreshold


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


class CouncilRulesForm(forms.Form):
    """A council's rules of order: a preset and what the council changes in it. The engine's check
    (services.council_rules_checked) judges the values; this form only reads what was typed."""

    preset = forms.ChoiceField(label=_("Rules of procedure"), choices=RulePreset.choices)
    chair_mode = forms.ChoiceField(label=_("The chair"), choices=ChairMode.choices, widget=forms.RadioSelect)
    quorum_kind = forms.ChoiceField(label=_("Quorum"), choices=QuorumKind.choices)
    quorum_value = forms.CharField(
        label=_("Quorum: the share or number of members"),
        required=False,
        max_length=12,
        help_text=_("For a share, a fraction such as 2/3; for a number, how many members; empty for a majority."),
    )
    speech_seconds = forms.IntegerField(label=_("Length of a speech, in seconds"))
    speeches_per_member = forms.IntegerField(label=_("Speeches per member on one motion"))
    amendment_depth = forms.IntegerField(label=_("Levels of amendment (0 to 2)"))
    alternate_sides = forms.BooleanField(label=_("Speakers alternate between for and against"), required=False)
    first_time_first = forms.BooleanField(
        label=_("Members who have not spoken on a motion speak first"), required=False
    )
    seconds_required = forms.BooleanField(label=_("A motion needs a second before debate"), required=False)
    secret_votes = forms.BooleanField(label=_("Votes are secret (no names in the record)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in MotionKind.choices:
            self.fields[f"threshold_{kind}"] = forms.ChoiceField(
                label=_("Threshold to adopt: %(kind)s") % {"kind": label}, choices=VoteThreshold.choices
            )

    @staticmethod
    def initial_for(rules) -> dict:
        """The form's values for a rule set (procedure.Rules)."""
        value = rules.quorum_value
        quorum = (
            "" if rules.quorum_kind == "majority" else str(int(value)) if rules.quorum_kind == "number" else str(value)
        )
        return {
            "chair_mode": str(rules.chair_mode),
            "quorum_kind": rules.quorum_kind,
            "quorum_value": quorum,
            **{name: getattr(rules, name) for name in ("speech_seconds", "speeches_per_member", "amendment_depth")},
            **{
                name: getattr(rules, name)
                for name in ("alternate_sides", "first_time_first", "seconds_required", "secret_votes")
            },
            **{f"threshold_{kind}": str(rules.threshold(kind)) for kind in MotionKind.values},
        }

    def overrides(self) -> dict:
        """The settings as the engine reads them: every setting, so the council's choice is explicit."""
        data = self.cleaned_data
        chosen = {
            name: data[name]
            for name in (
                "chair_mode",
                "quorum_kind",
                "speech_seconds",
                "speeches_per_member",
                "amendment_depth",
                "alternate_sides",
                "first_time_first",
                "seconds_required",
                "secret_votes",
            )
        }
        if data["quorum_kind"] != "majority":
            chosen["quorum_value"] = data["quorum_value"].strip()
        chosen["thresholds"] = {kind: data[f"threshold_{kind}"] for kind in MotionKind.values}
        return chosen


class AgendaOrderForm(forms.Form):
    """A place number for each agenda item; items with the same number keep their present order."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for number, item in enumerate(self.items, start=1):
            self.fields[f"place_{item.pk}"] = forms.IntegerField(
                label=item.title, min_value=1, max_value=999, initial=number
            )

    def order(self) -> list[int]:
        """The items' ids in the order the numbers give."""
        places = {item.pk: (self.cleaned_data[f"place_{item.pk}"], n) for n, item in enumerate(self.items)}
        return sorted(places, key=places.__getitem__)


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
        for pk in proposal_ids:
            self.fields[f"place_{pk}"] = forms.IntegerField(required=False, min_value=1, max_value=999)

    def proposal_order(self, picked: list) -> list:
        """The chosen proposals in the order the organiser numbered them; unnumbered ones after, as listed."""
        places = {p.pk: (self.cleaned_data.get(f"place_{p.pk}") or 1000, n) for n, p in enumerate(picked)}
        return sorted(picked, key=lambda p: places[p.pk])


class MinutesForm(forms.Form):
    summary = forms.CharField(label=_("Summary (public)"), required=False)
