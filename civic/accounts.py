"""Signing in: allauth's adapter for this site, and the one sign-in check every way in goes through.

The sign-in form (allauth), the API token (`civic.api.views.TokenView`) and the admin login
(`civic.forms.AdminLoginForm`) all call `authenticate` below, which is allauth's own
`adapter.authenticate`: its `login_failed` rate limit (ACCOUNT_RATE_LIMITS, keyed on the account and on
the client address) is therefore one counter and one lock for all three. A locked account is refused
before its password is checked, so the right password does not help until the lock expires. Claiming an
assisted account with a code (`civic.services.account_claim`) takes the same counter through
`claim_attempt`.

People sign in with an e-mail address or a Chinese mobile number: allauth's phone login, with the number
kept on `User.login_phone` in E.164 form (the adapter's `get_user_by_phone` and friends below) and written
in any usual way (13812345678, +86 138 1234 5678, 138-1234-5678).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from .errors import TooManyAttempts
from .net import client_ip, site_url
from .validators import looks_like_mobile, normalise_mobile

LOCKED = "too_many_login_attempts"  # allauth's code for the lockout, also the API's


@dataclass(frozen=True)
class PublicSite:
    """What allauth's mail templates read as `current_site`: the configured site, not the request's Host."""

    domain: str
    name: str


def public_site() -> PublicSite:
    return PublicSite(domain=urlsplit(settings.SITE_URL).netloc, name=str(settings.SITE_NAME))


class MobileField(forms.CharField):
    """A Chinese mobile number as people write it, cleaned to +86 and 11 digits (allauth's phone field)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_mobile(value) if value else value


def login_key(credentials: dict) -> str:
    """The account part of the lockout's key: the e-mail address, or the mobile number in its one form."""
    phone = credentials.get("phone") or ""
    if phone and looks_like_mobile(phone):
        return normalise_mobile(phone)
    login = credentials.get("email", credentials.get("username", "")) or phone
    return login.strip().lower()


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth's rate limits key on this: the same address the API throttles see (civic.net).
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials: Any) -> str:
        # allauth prefixes the site's domain, which without the sites framework is the request's Host:
        # naming another allowed host would start a fresh counter. The account alone is the key.
        return f"login:{login_key(credentials)}"

    # Phone login: allauth asks the adapter where numbers live. Numbers are entered by staff in person (an
    # assisted resident's registration), so they count as verified and no SMS is ever sent.
    def phone_form_field(self, **kwargs: Any) -> Any:
        return MobileField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return normalise_mobile(phone)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="phone_invalid") from error

    def get_phone(self, user) -> tuple[str, bool] | None:
        return (user.login_phone, True) if user.login_phone else None

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.login_phone = normalise_mobile(phone)
        user.save(update_fields=["login_phone"])

    def set_phone_verified(self, user, phone: str) -> None:
        """Numbers are verified when staff enter them in person: nothing to mark."""

    def get_user_by_phone(self, phone: str):
        if not looks_like_mobile(phone):
            return None
        return get_user_model().objects.filter(login_phone=normalise_mobile(phone)).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs: Any) -> None:
        raise ValidationError(_("This site does not send text messages."), code="sms_unavailable")

    # Every link in allauth's mails starts with SITE_URL, whatever address the request came in on.
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Links allauth builds itself from the request (sign-up, reset-request pages) are rebased too.
        rebased = {
            name: site_url(value) if name.endswith("_url") and isinstance(value, str) else value
            for name, value in context.items()
        }
        super().send_mail(template_prefix, email, {**rebased, "current_site": public_site()})


def credentials_for(login: str) -> dict:
    """allauth's credentials for what a person typed: a mobile number, else an e-mail address."""
    login = (login or "").strip()
    if looks_like_mobile(login):
        return {"phone": normalise_mobile(login)}
    return {"email": login.lower()}


def _locked_out() -> TooManyAttempts:
    return TooManyAttempts(LOCKED, _("Too many failed sign-in attempts. Please try again later."))


def authenticate(request, *, email: str, password: str):
    """The person these credentials belong to, or None; raises TooManyAttempts while the account or the
    client address is locked out. Every failure counts toward the shared lockout. `email` may also be a
    mobile number (what people type in the one sign-in field)."""
    try:
        return get_adapter(request).authenticate(request, **credentials_for(email), password=password)
    except ValidationError as error:
        if error.code == LOCKED:
            raise _locked_out() from error
        raise


class ClaimAttempt:
    """One try of a claim code under the sign-in lockout: it consumes one attempt of allauth's `login_failed`
    limit, raising TooManyAttempts when it is used up; `succeeded()` gives the attempt back, as allauth does
    after a right password. The address limit is the one every sign-in form shares, so guessing codes and
    guessing passwords from one address add up; the key is the code's hash (a code has no account name)."""

    def __init__(self, request, code_hash: str):
        self._usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=f"claim:{code_hash[:16]}"
        )
        if not self._usage:
            raise _locked_out()

    def succeeded(self) -> None:
        self._usage.rollback()


def claim_account(request, *, code: str, password: str, email: str = "", phone: str = ""):
    """Claim an assisted account with its code (civic.services.account_claim) under the sign-in lockout: a
    wrong, used or expired code counts as a failed sign-in; anything else gives the attempt back."""
    from .errors import DomainError
    from .services import account_claim, claim_code_hash

    attempt = ClaimAttempt(request, claim_code_hash(code))
    try:
        user = account_claim(code=code, password=password, email=email, phone=phone)
    except DomainError as error:
        if error.code != "claim_code_invalid":
            attempt.succeeded()
        raise
    attempt.succeeded()
    return user
