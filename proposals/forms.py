from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import AmountField
from civic.models import Area

from .models import AnswerStatus, Category, Channel, PledgeKind, ProposalState, Stance


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ButtonPressed(forms.Widget):
    """Whether the submit button named after the field was pressed; the template draws the button."""

    input_type = "hidden"  # drawn with the hidden fields, as nothing

    def render(self, name, value, attrs=None, renderer=None):
        return ""

    def value_from_datadict(self, data, files, name):
        return name in data


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80, help_text=_("What should change, in one line."))
    body = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What is the problem, who is affected, what do you propose? Markdown is allowed: **bold**, lists, links."
        ),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        help_text=_("Where it is about: your grid cell, community or a wider area."),
    )
    location = forms.CharField(label=_("Where exactly (optional)"), max_length=120, required=False)
    estimated_cost = AmountField(label=_("Estimated cost in yuan (optional)"), required=False)
    organisation = forms.ChoiceField(label=_("Propose as"), required=False)
    channel = forms.ChoiceField(label=_("How it came in"), choices=Channel.choices, initial=Channel.ONLINE)
    on_behalf_of = forms.CharField(label=_("Name of the resident who brought it"), max_length=60, required=False)
    publish = forms.BooleanField(required=False, widget=ButtonPressed)
    files = MultipleFileField(
        label=_("Photos and files (optional)"),
        required=False,
        help_text=_("Up to 6 JPEG/PNG photos or PDF files, 5 MB each. Photos are re-saved without location data."),
    )

    def __init__(self, *args, areas, organisations, staff: bool, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: "　" * a.depth + a.name
        choices = [("", _("myself"))] + [(str(o.pk), o.name) for o in organisations]
        self.fields["organisation"].choices = choices
        if len(choices) == 1:
            del self.fields["organisation"]
        if not staff:
            del self.fields["channel"]
            del self.fields["on_behalf_of"]
        if editing:
            for name in ("organisation", "channel", "on_behalf_of", "files", "publish"):
                self.fields.pop(name, None)

    def clean_organisation(self):
        return self.organisations.get(self.cleaned_data.get("organisation") or "")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("All categories")
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All states")),
            ("collecting", _("collecting co-signatures now")),
            *[(v, label) for v, label in ProposalState.choices if v not in ("draft", "published")],
        ],
    )
    actor = forms.ChoiceField(
        label=_("Proposed by"),
        required=False,
        choices=[
            ("", _("anyone")),
            ("resident", _("residents")),
            ("enterprise", _("enterprises")),
            ("social", _("social organisations")),
            ("residents_group", _("residents' groups")),
            ("committee", _("residents' committees")),
            ("government", _("government departments")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("newest")),
            ("endorsed", _("most co-signed")),
            ("closest", _("closest to the threshold")),
            ("deadline", _("co-signing ends soonest")),
        ],
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Stance.choices, initial=Stance.NEUTRAL, widget=forms.RadioSelect
    )


class CommentEditForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    stance = forms.ChoiceField(label=_("Your position"), choices=Stance.choices, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional, public)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Answer"), choices=AnswerStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Explanation (public)"), widget=forms.Textarea(attrs={"rows": 4}))


class CoSponsorForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Co-sponsor as"), required=False)
    pledge_kind = forms.ChoiceField(
        label=_("Pledge"), choices=PledgeKind.choices, initial=PledgeKind.NONE, widget=forms.RadioSelect
    )
    pledge_amount = AmountField(label=_("Amount or value in yuan"), required=False)
    pledge_description = forms.CharField(label=_("What you pledge (for in-kind help)"), required=False, max_length=200)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        choices = [("", _("myself"))] + [(str(o.pk), o.name) for o in organisations]
        self.fields["organisation"].choices = choices
        if len(choices) == 1:
            del self.fields["organisation"]

    def clean_organisation(self):
        return self.organisations.get(self.cleaned_data.get("organisation") or "")


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=60,
        required=False,
        help_text=_("Shown on English pages; without it they show the Chinese name."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Position in lists"), min_value=0, initial=100)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class AreaRulesForm(forms.Form):
    endorsement_threshold = forms.IntegerField(label=_("Co-signatures needed"), min_value=1, max_value=100000)
    collection_days = forms.IntegerField(label=_("Days to collect co-signatures"), min_value=1, max_value=365)
    response_working_days = forms.IntegerField(
        label=_("Working days for an official answer"), min_value=1, max_value=120
    )
    author_counts = forms.BooleanField(
        label=_("The proposer counts toward the co-signatures"),
        required=False,
        help_text=_("Applies to proposals published from now on."),
    )


class FromReportsForm(forms.Form):
    """Turn a recurring problem (a category in a grid cell) into a proposal: the organiser writes the title
    and the description, and chooses the proposals' category."""

    cell = forms.CharField(widget=forms.HiddenInput)
    category_key = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=80)
    body = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
