"""`Authorization: Token <key>`, read in one statement with the person and their verification: DRF's
contract (codes, messages, revocation by the very next request) and the verification read with it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from civic.selectors import effective_verification
from tests.factories import UserFactory
from tests.world import verify

pytestmark = pytest.mark.django_db


def _me(api_client, key, **extra):
    return api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}", **extra)


def test_a_deleted_token_or_a_deactivated_person_is_refused_by_the_next_request(api_client):
    person = UserFactory()
    key = Token.objects.create(user=person).key
    assert _me(api_client, key).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    refused = _me(api_client, key, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and refused.json()["detail"] == "User inactive or deleted."
    person.is_active = True
    person.save(update_fields=["is_active"])
    assert _me(api_client, key).status_code == 200
    Token.objects.filter(key=key).delete()
    refused = _me(api_client, key, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401 and refused.json()["detail"] == "Invalid token."
    assert refused["WWW-Authenticate"] == "Token"
    assert _me(api_client, "no-such-key").status_code == 401


def test_the_verification_read_with_the_person_is_the_one_in_force(world):
    from civic.api.authentication import TokenAuthentication

    person = UserFactory()
    key = Token.objects.create(user=person).key
    user, token = TokenAuthentication().authenticate_credentials(key)
    assert token.key == key and token.user == user == person
    assert effective_verification(user) is None  # not verified: nothing joined
    verification = verify(person, world["c1a"])
    user, _token = TokenAuthentication().authenticate_credentials(key)
    kept = effective_verification(user)
    assert kept == verification and kept.cell.path == world["c1a"].path
    verification.expires_at = timezone.now() - timedelta(seconds=1)  # run out: no longer in force
    verification.save(update_fields=["expires_at"])
    user, _token = TokenAuthentication().authenticate_credentials(key)
    assert effective_verification(user) is None
