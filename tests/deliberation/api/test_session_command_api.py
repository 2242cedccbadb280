"""POST /api/sessions/<id>/commands/: the command schema and the error map over HTTP (never a 500)."""

import json
import math

import pytest
from django.urls import reverse

from deliberation.models import Session, SessionRecord
from tests.deliberation.session_setup import MALFORMED, make_council, make_session
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    return make_session(world, make_council(world))


def _post(api_client, session, body):
    # json.dumps, not the test client's renderer: the renderer would refuse NaN and lone surrogates itself
    return api_client.post(
        reverse("api:session-commands", args=[session.pk]), data=json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(("command", "code"), MALFORMED)
def test_a_malformed_command_is_a_400_with_its_code(api_client, session, command, code):
    api_client.force_authenticate(session.council.people[0])
    response = _post(api_client, session, {"command": command})
    assert response.status_code == 400, response.content
    body = response.json()
    non_finite = isinstance(command, dict) and any(
        isinstance(v, float) and not math.isfinite(v) for v in command.values()
    )
    # JSON has no NaN or Infinity: DRF's strict parser refuses them before the command schema is reached
    assert body["code"] == ("parse_error" if non_finite else code)
    assert Session.objects.get(pk=session.pk).seq == 0 and not SessionRecord.objects.exists()


def test_the_envelope_is_checked_too(api_client, session):
    api_client.force_authenticate(session.council.people[0])
    for body in ([{"type": "check_in"}], {"command": {"type": "check_in"}, "expected_seq": "x"}, "check_in"):
        response = _post(api_client, session, body)
        assert response.status_code == 400 and response.json()["code"] == "command_invalid", body


def test_chair_only_is_403_and_a_state_conflict_409(api_client, world, session):
    api_client.force_authenticate(session.council.people[0])
    refused = _post(api_client, session, {"command": {"type": "open_session"}})
    assert refused.status_code == 403 and refused.json() == {"code": "chair_only", "detail": "只有主持人可以这样做。"}
    refused = _post(api_client, session, {"command": {"type": "check_out"}})
    assert refused.status_code == 409 and refused.json()["code"] == "not_checked_in"
    api_client.force_authenticate(fresh(world["resident_elsewhere"]))
    refused = _post(api_client, session, {"command": {"type": "check_in"}})
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_member"


def test_a_closed_session_is_not_found_for_strangers(api_client, world):
    session = make_session(world, make_council(world), public=False)
    api_client.force_authenticate(fresh(world["resident"]))
    response = _post(api_client, session, {"command": {"type": "check_in"}})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
