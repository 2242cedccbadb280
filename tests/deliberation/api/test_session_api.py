"""The session API: commands, the state for the requesting person, the record, lists."""

import pytest

from tests.deliberation.session_setup import make_council, make_session
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    return make_council(world)


@pytest.fixture
def session(world, council, make_proposal):
    return make_session(world, council, make_proposal)


def test_the_session_api(api_client, world, council, session):
    chair, a = fresh(world["organiser_here"]), council.people[0]
    api_client.force_authenticate(a)
    done = api_client.post(f"/api/sessions/{session.pk}/commands/", {"command": {"type": "check_in"}}, format="json")
    assert done.status_code == 200 and done.json()["events"][0]["type"] == "checked_in"
    refused = api_client.post(
        f"/api/sessions/{session.pk}/commands/",
        {"command": {"type": "check_in"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 409 and refused.json() == {
        "code": "already_present",
        "detail": "You are already checked in.",
    }
    state = api_client.get(f"/api/sessions/{session.pk}/state/").json()
    assert (
        state["role"] == "member" and state["present"][0]["name"] == a.display_name and "check_out" in state["allowed"]
    )
    api_client.force_authenticate(None)
    record = api_client.get(f"/api/sessions/{session.pk}/record/", {"after": 0}).json()
    assert [e["seq"] for e in record["events"]] == [1] and record["seq"] == 1
    assert api_client.get("/api/sessions/").json()["results"][0]["agenda"][0]["title"] == "加装电梯的建议"
    assert api_client.get("/api/councils/").json()["results"][0]["members"] == 5
    assert chair.pk != a.pk
