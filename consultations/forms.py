"""The forms of the consultation pages: they parse, the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import (
    OFFLINE_SOURCES,
    OPINION_LIMIT,
    REASON_LIMIT,
    WORDING_LIMIT,
    Classification,
    ConsultationKind,
    Participation,
    QuestionKind,
    TextFormat,
    UnitKind,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConsultationForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Consulting area"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of text"), choices=ConsultationKind.choices)
    originator = forms.CharField(
        label=_("Originating legislature"),
        max_length=120,
        required=False,
        help_text=_("Only for a draft sent to this area's legislative contact point (基层立法联系点)."),
    )
    background = forms.CharField(
        label=_("Background note (起草说明)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    participation = forms.ChoiceField(
        label=_("Who may take part"), choices=Participation.choices, widget=forms.RadioSelect, initial="residents"
    )
    organisations_take_part = forms.BooleanField(
        label=_("Organisations serving the area may give opinions as organisations"), required=False, initial=True
    )
    opinions_public = forms.BooleanField(
        label=_(
            "Opinions are public during the window (otherwise only the drafters read them until they are answered)"
        ),
        required=False,
        initial=True,
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), required=False, widget=DateTimeInput(), help_text=_("Empty: when you publish.")
    )
    closes_at = forms.DateTimeField(label=_("Closes"), required=False, widget=DateTimeInput())
    answer_working_days = forms.IntegerField(
        label=_("Working days to answer after closing"), min_value=1, max_value=120, initial=15
    )
    drafters = forms.CharField(
        label=_("Other drafters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E-mail addresses of staff who answer opinions with you, one per line."),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean_drafters(self):
        emails = [line.strip() for line in self.cleaned_data["drafters"].splitlines() if line.strip()]
        people = list(get_user_model().objects.filter(email__in=emails, is_active=True))
        missing = sorted(set(emails) - {p.email for p in people})
        if missing:
            raise forms.ValidationError(_("Nobody has the address %(email)s.") % {"email": missing[0]})
        return people


class TextImportForm(forms.Form):
    source_format = forms.ChoiceField(
        label=_("Format"), choices=TextFormat.choices, widget=forms.RadioSelect, initial=TextFormat.PLAIN
    )
    source = forms.CharField(
        label=_("Text of the draft"),
        max_length=200000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("One line per paragraph. 第一章, 第一节, 第一条, （一）, 1. and Markdown headings are recognised."),
    )


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it is"), choices=UnitKind.choices)
    number = forms.CharField(label=_("Number"), max_length=30, required=False)
    text = forms.CharField(label=_("Text"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line (not needed for an open question)."),
    )

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing time"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Public reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def unit_choices(units) -> list[tuple[str, str]]:
    """The units people may comment on, as the select shows them: each as it is cited (第四条, 第四条第一款; a
    chapter or section with its title), indented by its depth. Short: the choice is on every page a reader
    may comment from, once for each unit of the text."""
    from .selectors import unit_labels

    labels = unit_labels(units)
    choices = [("", _("The text as a whole"))]
    for unit in units:
        label = labels.get(unit.pk) or unit.anchor
        if unit.kind in (UnitKind.CHAPTER, UnitKind.SECTION) and unit.number and unit.text:
            label = f"{unit.number} {unit.text[:16]}"
        choices.append((unit.anchor, f"{'　' * max(unit.depth_shown, 0)}{label}"))
    return choices


class UnitSelect(forms.Select):
    """A select of the text's units written one option after another: the default template's two lines
    of white space around each option were most of the select on a long text."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class OpinionForm(forms.Form):
    unit = forms.ChoiceField(label=_("On which part"), required=False, widget=UnitSelect)
    text = forms.CharField(
        label=_("Your opinion"),
        max_length=OPINION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": OPINION_LIMIT}),
        help_text=_("At most 2,000 characters."),
    )
    wording = forms.CharField(
        label=_("Proposed wording (optional)"),
        max_length=WORDING_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the part you chose should read; it is shown as a comparison with the draft."),
    )
    organisation = forms.ChoiceField(label=_("Give it as"), required=False)
    as_resident = forms.BooleanField(label=_("Show me as “居民” instead of my name"), required=False)

    def __init__(self, *args, units, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        if organisations:
            self.fields["organisation"].choices = [("", _("myself")), *[(str(o.pk), o.name) for o in organisations]]
        else:
            del self.fields["organisation"]


class SymposiumForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the symposium"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=120)
    attendance = forms.IntegerField(label=_("Number attending"), min_value=1, max_value=100000)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class OfflineOpinionForm(forms.Form):
    source = forms.ChoiceField(label=_("Where it came from"), choices=OFFLINE_SOURCES)
    symposium = forms.ChoiceField(label=_("Symposium"), required=False)
    received_on = forms.DateField(
        label=_("Day it came in"), required=False, widget=DateInput(), help_text=_("For a letter, a call or a visit.")
    )
    submitter = forms.CharField(label=_("From (only if the person agreed to be named)"), max_length=60, required=False)
    unit = forms.ChoiceField(label=_("On which part"), required=False, widget=UnitSelect)
    text = forms.CharField(label=_("Opinion"), max_length=OPINION_LIMIT, widget=forms.Textarea(attrs={"rows": 4}))
    wording = forms.CharField(
        label=_("Proposed wording (optional)"),
        max_length=WORDING_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units, symposiums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        self.fields["symposium"].choices = [
            ("", "—"),
            *[(str(s.pk), f"{s.held_on:%Y-%m-%d} {s.place}") for s in symposiums],
        ]


class QuestionAnswerForm(forms.Form):
    """The answer to one question: the options ticked (their ids) or the text of an open answer."""

    options = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    text = forms.CharField(max_length=OPINION_LIMIT, required=False)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = [(o.pk, o.text) for o in question.options.all()]


class AnswerForm(forms.Form):
    classification = forms.ChoiceField(label=_("Answer"), choices=Classification.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (public; the author is told)"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Name of the group"), max_length=120)
    opinions = forms.TypedMultipleChoiceField(label=_("Opinions"), coerce=int, choices=())

    def __init__(self, *args, opinion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].choices = [(pk, str(pk)) for pk in opinion_ids]


class _CausesMixin:
    """The adopted opinions a change of the final text may name."""

    def set_causes(self, opinions) -> None:
        self.fields["opinions"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"#{o.pk} {o.get_classification_display()}: {o.text[:60]}") for o in opinions
        ]


class FinalUnitForm(_CausesMixin, forms.Form):
    text = forms.CharField(
        label=_("Wording in the final text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    opinions = forms.TypedMultipleChoiceField(
        label=_("Opinions that caused the change"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, causes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_causes(causes)


class FinalAddForm(_CausesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What it is"), choices=UnitKind.choices, initial=UnitKind.ARTICLE)
    number = forms.CharField(label=_("Number"), max_length=30, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    opinions = forms.TypedMultipleChoiceField(
        label=_("Opinions that caused the change"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, causes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_causes(causes)


class ConcludeForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the legislature that sent the draft"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Needed when a legislature sent the draft; it is printed in the report sent upstream."),
    )
