from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import accounts
from .errors import DomainError, TooManyAttempts
from .models import Area, AreaLevel, AreaRoleKind, DeliveryChoice, MembershipRole, OrganisationKind, ReportReason
from .money import parse_amount
from .validators import as_pks


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown next to what you write. Your e-mail address is never shown to others."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter a display name."))
        return name

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        return user


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form with one field for an e-mail address or a mobile number. A mobile number was
    entered by staff who met the person (assisted residents), so signing in with it asks for no e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail or mobile number")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("E-mail or mobile number"), "autocomplete": "username"}
        )

    def _clean_with_password(self, credentials: dict):
        data = super()._clean_with_password(credentials)
        if "phone" in credentials:
            self._login.email_verification = EmailVerificationMethod.NONE
        return data


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login through the one sign-in check (civic.accounts.authenticate), so its failures count
    toward the lockout the sign-in form and the API token share, and a locked account stays out."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = accounts.authenticate(self.request, email=email, password=password)
            except TooManyAttempts as error:
                raise forms.ValidationError(str(error.message), code=error.code) from error
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: next to its field when it names one."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


@dataclass(frozen=True)
class Submission:
    """What became of a submitted form: `ok` once the service has done its work, with its `value`; when the
    service refused, `error` is its DomainError (so a page can answer with the error's status)."""

    ok: bool
    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def status(self) -> int:
        """The HTTP status to answer with: 200 after success or for an unbound form, the refusal's status
        (400, 403, 409 …) when the service refused, 400 for a form that did not validate."""
        if self.ok:
            return 200
        if self.error is not None:
            return self.error.status
        return 400


def submit(form: forms.Form, action: Callable[[dict], Any]) -> Submission:
    """The one way a page handles a form: an unbound or invalid form does nothing; a valid one calls
    `action(cleaned_data)` (a service call); a refusal from the service (DomainError) is shown on the form,
    next to the field it names. Raw POST values never reach a service: only the form's cleaned data."""
    if not form.is_bound or not form.is_valid():
        return Submission(False)
    try:
        return Submission(True, action(form.cleaned_data))
    except DomainError as error:
        apply_domain_error(form, error)
        return Submission(False, error=error)


class AmountField(forms.CharField):
    """An amount in yuan typed on a page, checked by civic.money.parse_amount (the API's rule too)."""

    MAX_TYPED = 40  # characters: far more than any amount needs

    def __init__(self, *, positive: bool = False, allow_negative: bool = False, **kwargs):
        self.positive = positive
        self.allow_negative = allow_negative
        kwargs.pop("max_length", None)  # checked on the typed text below, not on the parsed Decimal
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", str(self.MAX_TYPED))

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > self.MAX_TYPED:
            raise forms.ValidationError(_("This amount is too large."), code="amount_too_large")
        try:
            return parse_amount(
                value, field=self.label or "amount", positive=self.positive, allow_negative=self.allow_negative
            )
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only organisers and officials of your area see it, to reach you about your requests."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_language = forms.ChoiceField(label=_("Language of e-mails and notifications"), choices=settings.LANGUAGES)
    bio = forms.CharField(
        label=_("About me (public)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class VerificationForm(forms.Form):
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("Building, unit and room, e.g. 柳岸小区 3 栋 2 单元 501. Only organisers and officials see it."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    proof = forms.FileField(
        label=_("Proof of residence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is the upload policy's (civic.uploads), said in the language of this request.
        self.fields["proof"].help_text = _(
            "A photo (JPEG or PNG) or PDF of a lease, property certificate or utility bill, up to %(mb)s MB. "
            "Kept private."
        ) % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _area_choices():
    levels = [AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.SUBDISTRICT, AreaLevel.COMMUNITY]
    return [(a.pk, "　" * a.depth + a.name) for a in Area.objects.filter(level__in=levels).order_by("path")]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_(
            "18 characters, as on the business licence or registration certificate. "
            "Not needed for a residents' self-governing group."
        ),
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    areas = forms.TypedMultipleChoiceField(
        label=_("Areas served"),
        coerce=int,
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = _area_choices()
        if editing:
            del self.fields["kind"]
            del self.fields["credit_code"]

    def clean_areas(self):
        return list(Area.objects.filter(pk__in=self.cleaned_data["areas"]))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the representatives (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=AreaRoleKind.choices)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Details"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you choose “something else”."),
    )


class ModerationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("hide", _("Hide it")), ("restore", _("Keep it visible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the author sees it)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=60)
    actor = forms.EmailField(label=_("Done by (e-mail)"), required=False)
    area = forms.CharField(label=_("Area code"), required=False, max_length=32)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def notification_preferences_form(kinds, current, data=None):
    """One choice per registered kind of notification."""
    form = forms.Form(data)
    for key, (label, default) in kinds.items():
        form.fields[key.replace(".", "__")] = forms.ChoiceField(
            label=label, choices=DeliveryChoice.choices, initial=current.get(key, default), widget=forms.RadioSelect
        )
    return form


class ButtonForm(forms.Form):
    """A button that sends nothing but itself (confirm, withdraw, remove): the action is in the address."""


class VerificationDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject")), ("revoke", _("Revoke"))])
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("reject", "revoke") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason."))
        return data


class RequestAnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline")), ("withdraw", _("Withdraw"))]
    )


class CloseAccountForm(forms.Form):
    confirm = forms.ChoiceField(choices=[("yes", _("Yes, close my account"))])


class PkListField(forms.Field):
    """Several primary keys sent under one name (check boxes); anything that is not one is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return as_pks(value or [])


class MarkReadForm(forms.Form):
    id = PkListField(required=False)


class AreaCodeForm(forms.Form):
    """An area code sent in a link or a form (`?area=…`, `cell`)."""

    code = forms.CharField(max_length=32)


class AssistedRegisterForm(forms.Form):
    """A resident met in person, registered by staff (代办). The service checks every value again."""

    display_name = forms.CharField(label=pgettext_lazy("a person's", "Name"), max_length=60)
    cell = forms.ModelChoiceField(label=_("Grid cell (verified in person)"), queryset=Area.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200, help_text=_("Building, unit and room."))
    id_last4 = forms.CharField(
        label=_("Last four characters of the ID card"),
        max_length=8,
        help_text=_("Tells namesakes in one grid cell apart. Seen only by staff of the area."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 6}),
    )
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=20,
        required=False,
        help_text=_("The resident can sign in with it later. Seen only by staff of the area."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("The resident agrees, in person, to be registered and to have staff act with them on this platform."),
        required=False,
    )

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        self.fields["cell"].label_from_instance = lambda cell: (
            f"{cell.parent.name} · {cell.name}" if cell.parent else cell.name
        )


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Claim code"),
        max_length=20,
        help_text=_("The code on the slip the staff gave you, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    password1 = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.CharField(
        label=_("E-mail address (optional)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=20,
        required=False,
        help_text=_("To sign in with, if the staff did not record one."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data
