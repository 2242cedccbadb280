"""Signing in with a mobile number (allauth's phone login) and claiming an assisted account with its code:
both under the one sign-in lockout (10 failures a minute per address, 5 in 5 minutes per account)."""

from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from civic import services
from tests.civic.assisted import register
from tests.world import fresh

TOKEN = "/api/auth/token/"
CLAIM = "/api/auth/claim/"
PASSWORD = "chang-an-jie-2026"
_addresses = count(1)


@pytest.fixture
def address():
    n = next(_addresses)
    return f"198.19.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def client(address):
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def api_client(address):
    return APIClient(REMOTE_ADDR=address)


@pytest.fixture
def claimed(world):
    """王秀兰, registered in person with 13800138000, who has claimed her account."""
    person = register(world)
    code = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    return services.account_claim(code=code, password=PASSWORD)


@pytest.mark.parametrize("typed", ["13800138000", "+86 138 0013 8000", "138-0013-8000"])
def test_sign_in_with_a_mobile_number_however_written(client, claimed, typed):
    response = client.post(reverse("account_login"), {"login": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("civic:me")).context["user"] == claimed


def test_a_token_for_a_mobile_number_needs_no_e_mail(api_client, claimed):
    response = api_client.post(TOKEN, {"phone": "13800138000", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["token"]
    both = api_client.post(TOKEN, {"phone": "13800138000", "email": "a@b.org", "password": PASSWORD}, format="json")
    assert both.status_code == 400


def test_the_lockout_holds_for_mobile_numbers(client, claimed):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "13800138000", "password": "wrong-password"})
        assert response.status_code == 200
    # the same number written differently is the same account, locked even with the right password
    response = client.post(reverse("account_login"), {"login": "+86 138 0013 8000", "password": PASSWORD})
    assert response.status_code == 200
    assert "too_many_login_attempts" in [
        e.code for errs in response.context["form"].errors.as_data().values() for e in errs
    ]


def test_claiming_through_the_api_returns_a_token_once(api_client, world):
    person = register(world)
    code = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    response = api_client.post(CLAIM, {"code": code, "password": PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["token"]
    again = api_client.post(CLAIM, {"code": code, "password": PASSWORD}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "claim_code_invalid"


def test_guessing_claim_codes_is_locked_out_like_passwords(client, api_client, world):
    person = register(world)
    code = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    page = reverse("civic:claim-account")
    for n in range(10):  # the address limit every sign-in shares
        response = client.post(page, {"code": f"WRONG-CODE-{n:03d}", "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 400
    locked = client.post(page, {"code": code, "password1": PASSWORD, "password2": PASSWORD})
    assert locked.status_code == 429
    response = api_client.post(CLAIM, {"code": code, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "too_many_login_attempts"
    assert not type(person).objects.get(pk=person.pk).has_usable_password()


def test_the_claim_page_signs_the_resident_in_and_shows_the_history(client, world):
    person = register(world)
    code = services.claim_code_issue(actor=fresh(world["organiser_here"]), resident=person)
    page = client.get(reverse("civic:claim-account"))
    assert page.status_code == 200
    bad = client.post(reverse("civic:claim-account"), {"code": "NOPE", "password1": PASSWORD, "password2": PASSWORD})
    assert bad.status_code == 400
    response = client.post(
        reverse("civic:claim-account"), {"code": code, "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("civic:me-assisted")
    assert response.context["user"] == person
    assert [row["entry"].action for row in response.context["rows"]] == [
        "assisted.claimed",
        "assisted.claim_code_issued",
        "assisted.registered",
    ]
