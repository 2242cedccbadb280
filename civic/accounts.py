"""Signing in: allauth's adapter for this site, and the one sign-in check every way in goes through.

The sign-in form (allauth), the API token (`civic.api.views.TokenView`) and the admin login
(`civic.forms.AdminLoginForm`) all call `authenticate` below, which is allauth's own
`adapter.authenticate`: its `login_failed` rate limit (ACCOUNT_RATE_LIMITS, keyed on the account and on
the client address) is therefore one counter and one lock for all three. A locked account is refused
before its password is checked, so the right password does not help until the lock expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from .errors import TooManyAttempts
from .net import client_ip, site_url

LOCKED = "too_many_login_attempts"  # allauth's code for the lockout, also the API's


@dataclass(frozen=True)
class PublicSite:
    """What allauth's mail templates read as `current_site`: the configured site, not the request's Host."""

    domain: str
    name: str


def public_site() -> PublicSite:
    return PublicSite(domain=urlsplit(settings.SITE_URL).netloc, name=str(settings.SITE_NAME))


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth's rate limits key on this: the same address the API throttles see (civic.net).
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials: Any) -> str:
        # allauth prefixes the site's domain, which without the sites framework is the request's Host:
        # naming another allowed host would start a fresh counter. The account alone is the key.
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"

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


def authenticate(request, *, email: str, password: str):
    """The person these credentials belong to, or None; raises TooManyAttempts while the account or the
    client address is locked out. Every failure counts toward the shared lockout."""
    try:
        return get_adapter(request).authenticate(request, email=email, password=password)
    except ValidationError as error:
        if error.code == LOCKED:
            raise TooManyAttempts(LOCKED, _("Too many failed sign-in attempts. Please try again later.")) from error
        raise
