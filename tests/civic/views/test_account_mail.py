"""Links in allauth's e-mails start with the one configured SITE_URL, whatever Host the request named."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE = "https://gongzhi.example.cn"


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_a_password_reset_link_starts_with_site_url_whatever_the_host(client, user, settings):
    settings.SITE_URL = SITE
    response = client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="localhost")
    assert response.status_code == 302
    (message,) = mail.outbox
    links = _links(message)
    assert links and all(link.startswith(f"{SITE}/") for link in links), links
    assert "localhost" not in message.body and "testserver" not in message.body


def test_a_confirmation_link_starts_with_site_url_whatever_the_host(client, settings):
    settings.SITE_URL = SITE
    secret = "a-Long-pass-7731"
    form = {"display_name": "新居民", "email": "new@example.org", "password1": secret, "password2": secret}
    client.post(reverse("account_signup"), form, HTTP_HOST="127.0.0.1")
    assert EmailAddress.objects.filter(email="new@example.org", verified=False).exists()
    (message,) = mail.outbox
    links = _links(message)
    assert any("/accounts/confirm-email/" in link for link in links)
    assert all(link.startswith(f"{SITE}/") for link in links), links
    assert "127.0.0.1" not in message.body


def test_a_reset_request_for_an_unknown_address_links_to_site_url(client, db, settings):
    settings.SITE_URL = SITE
    settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
    client.post(reverse("account_reset_password"), {"email": "stranger@example.org"}, HTTP_HOST="localhost")
    (message,) = mail.outbox
    links = _links(message)
    assert links and all(link.startswith(f"{SITE}/") for link in links), links
