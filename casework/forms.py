"""The forms of the casework pages; each one's cleaned data goes to one service through civic.forms.submit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_TEXT, ClockStopReason, RatingChannel, ReportChannel, SatisfactionLevel, UnitKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; the service checks their kind, size and number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _text(label, *, rows=3, max_length=MAX_TEXT, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """Report a problem. The cell is chosen before (its code in the page's address); categories are those
    offered there."""

    category = forms.ChoiceField(label=_("What kind of problem"))
    place = forms.CharField(
        label=_("Where exactly"),
        max_length=120,
        help_text=_("A building, a gate, a lamp post number…"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    text = _text(_("What is wrong"), rows=4, help_text=_("At most 2,000 characters."))
    photos = PhotosField(label=_("Photos (JPEG or PNG, up to 6, at most 10 MB each)"))
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=8)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=8)

    def __init__(self, *args, categories=(), staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose…"))] + [(c.key, c.display_name) for c in categories]
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Who is reporting"),
                choices=[
                    (ReportChannel.ONLINE, _("I report it myself")),
                    (ReportChannel.PHONE, ReportChannel.PHONE.label),
                    (ReportChannel.IN_PERSON, ReportChannel.IN_PERSON.label),
                ],
                initial=ReportChannel.ONLINE,
            )
            self.fields["reporter_name"] = forms.CharField(
                label=_("Name of the person reporting"),
                max_length=60,
                required=False,
                help_text=_("Seen only by those who handle the report."),
            )
            self.fields["reporter_phone"] = forms.CharField(
                label=_("Their phone (optional)"), max_length=30, required=False
            )


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), max_length=1000)


class OptionalReasonForm(forms.Form):
    reason = _text(_("Reason (optional)"), max_length=1000, required=False)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the report to merge into"), min_value=1)


class DispatchForm(forms.Form):
    unit = forms.ChoiceField(label=_("Handling unit"))

    def __init__(self, *args, units=(), default=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if default is not None:
            self.fields["unit"].initial = default.pk


class ReferForm(forms.Form):
    referred_to = forms.CharField(label=_("Referred to"), max_length=120, help_text=_("Who can deal with it."))
    reason = _text(_("Why it is outside the platform's reach"), max_length=1000)


class ReturnForm(forms.Form):
    reason = _text(_("Why you return it"), max_length=1000)
    suggested_unit = forms.ChoiceField(label=_("It belongs to (asks for a transfer)"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].choices = [("", _("— not known —"))] + [(u.pk, u.name) for u in units]


class ResolveForm(forms.Form):
    note = _text(_("What was done"), rows=3)
    photos = PhotosField(label=_("Photos of the result (JPEG or PNG, up to 6)"))


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Has it been fixed? How satisfied are you?"),
        choices=SatisfactionLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (needed when you are not satisfied)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    channel = forms.ChoiceField(choices=RatingChannel.choices, initial=RatingChannel.SELF, widget=forms.HiddenInput)


class ClockStopForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the clock stops"), choices=ClockStopReason.choices)
    note = forms.CharField(label=_("Details (optional)"), max_length=500, required=False)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Instruction (optional)"), max_length=1000, required=False)


class CategoryForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Lower-case letters, digits, - and _. The same key as a category above overrides it here."),
    )
    name = forms.CharField(label=_("Name"), max_length=40)
    name_en = forms.CharField(label=_("Name in English (optional)"), max_length=60, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit_kind = forms.ChoiceField(label=_("Kind of unit responsible"), choices=UnitKind.choices)
    response_hours = forms.IntegerField(label=_("Response limit (working hours)"), min_value=1, max_value=400)
    handling_days = forms.IntegerField(label=_("Handling limit (working days)"), min_value=1, max_value=90)
    default_unit = forms.ChoiceField(label=_("Default unit (optional)"), required=False)
    requires_after_photo = forms.BooleanField(label=_("A photo of the result is required"), required=False)
    clock_stop_allowed = forms.BooleanField(label=_("The clock may be stopped, with a reason"), required=False)
    is_offered = forms.BooleanField(label=_("Offered in this area"), required=False, initial=True)
    position = forms.IntegerField(label=_("Position in lists"), min_value=0, max_value=999, initial=100)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].choices = [("", _("— none —"))] + [(u.pk, u.name) for u in units]


class UnitForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=UnitKind.choices)
    phone = forms.CharField(label=_("Public phone (optional)"), max_length=30, required=False)
    category_key = forms.ChoiceField(label=_("Handles the category"))

    def __init__(self, *args, organisations=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["category_key"].choices = [(c.key, c.display_name) for c in categories]
