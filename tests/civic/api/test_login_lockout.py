"""One lockout for every way in: the sign-in form, the API token and the admin login share allauth's
login-failure counter, keyed on the account and on the client address (civic.net.client_ip)."""

from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
ATTEMPTS = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per account in 5 minutes
_addresses = count(1)


@pytest.fixture
def address():
    """A client address of this test's own: a shared Redis keeps one run's per-address counters between
    tests (conftest clears only the in-memory cache)."""
    n = next(_addresses)
    return f"198.18.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def client(address):
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def api_client(address):
    return APIClient(REMOTE_ADDR=address)


def _form_codes(response) -> list[str]:
    return [error.code for errors in response.context["form"].errors.as_data().values() for error in errors]


def _api_fail(api_client, email, **extra):
    return api_client.post(TOKEN, {"email": email, "password": "wrong-password"}, format="json", **extra)


def _form_fail(client, email, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": "wrong-password"}, **extra)


def test_a_locked_account_gets_no_token_even_with_the_right_password(api_client, user, password):
    for _ in range(ATTEMPTS):
        assert _api_fail(api_client, user.email).json()["code"] == "credentials_invalid"
    response = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_login_attempts"
    assert "token" not in response.json()
    english = api_client.post(
        TOKEN, {"email": user.email, "password": password}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == "Too many failed sign-in attempts. Please try again later."


def test_the_lock_keys_on_the_account_not_on_the_letter_case(api_client, user, password):
    for _ in range(ATTEMPTS):
        _api_fail(api_client, user.email.upper())
    response = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 429


def test_a_good_sign_in_before_the_lock_does_not_wipe_the_failures(api_client, user, password):
    for _ in range(ATTEMPTS - 1):
        _api_fail(api_client, user.email)
    assert api_client.post(TOKEN, {"email": user.email, "password": password}, format="json").status_code == 200
    _api_fail(api_client, user.email)
    assert api_client.post(TOKEN, {"email": user.email, "password": password}, format="json").status_code == 429


def test_api_failures_lock_the_sign_in_form(api_client, client, user, password):
    for _ in range(ATTEMPTS):
        _api_fail(api_client, user.email)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 200  # the form again, with the refusal; no session
    assert "_auth_user_id" not in client.session
    assert "too_many_login_attempts" in _form_codes(response)


def test_form_failures_lock_the_api(api_client, client, user, password):
    for _ in range(ATTEMPTS):
        _form_fail(client, user.email)
    response = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "too_many_login_attempts"


def test_another_host_name_does_not_reset_the_account_counter(client, api_client, user, password):
    # allauth keys the counter on the site's domain, which without the sites framework is the request's Host
    for host in ["localhost", "127.0.0.1", "testserver", "localhost", "127.0.0.1"]:
        _form_fail(client, user.email, HTTP_HOST=host)
    response = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json", HTTP_HOST="[::1]")
    assert response.status_code == 429


def test_the_admin_login_counts_and_is_locked_too(client, api_client, password):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(ATTEMPTS - 1):
        response = client.post("/admin/login/", {"username": staff.email, "password": "wrong-password"})
        assert response.status_code == 200
    _api_fail(api_client, staff.email)
    response = client.post("/admin/login/", {"username": staff.email, "password": password})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "too_many_login_attempts" in _form_codes(response)


def test_the_admin_login_still_lets_staff_in(client, password):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": password})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


def test_rotating_x_forwarded_for_does_not_reset_the_token_throttle(api_client, settings):
    settings.CIVIC_TRUSTED_PROXIES = 0
    statuses = [
        _api_fail(api_client, f"nobody{n}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]


def test_rotating_x_forwarded_for_does_not_reset_the_address_lockout(client, settings):
    settings.CIVIC_TRUSTED_PROXIES = 0
    # ten failures from one address on ten accounts, each claiming another origin
    for n in range(10):
        _form_fail(client, f"nobody{n}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    other = UserFactory()
    response = client.post(
        reverse("account_login"),
        {"login": other.email, "password": "whatever"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert "too_many_login_attempts" in _form_codes(response)


def test_with_one_trusted_proxy_the_last_hop_is_the_client(api_client, settings):
    settings.CIVIC_TRUSTED_PROXIES = 1
    for n in range(10):
        # what the client wrote first varies; the address our proxy saw stays
        _api_fail(api_client, f"nobody{n}@example.org", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7")
    blocked = _api_fail(api_client, "someone@example.org", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")
    assert blocked.status_code == 429
    elsewhere = _api_fail(api_client, "someone@example.org", HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.44")
    assert elsewhere.status_code == 400
