"""The council's rules and the agenda's order over the API, and the status of the refusals (one map)."""

import pytest
from django.urls import reverse
from django.utils import translation

from deliberation import procedure
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after(settings):
    """A page asked for in English leaves English active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def council(world):
    return make_council(world)


def test_anyone_reads_a_councils_rules_and_its_organisers_change_them(api_client, world, council):
    url = reverse("api:council-rules", args=[council.pk])
    read = api_client.get(url).json()
    assert read["preset"] == "nantang" and read["overrides"] == {}
    assert (
        read["rules"]["chair_mode"] == "casting"
        and read["rules"]["thresholds"]["previous_question"] == "two_thirds_cast"
    )

    body = {"preset": "roberts", "overrides": {"chair_mode": "outside", "thresholds": {"main": "majority_members"}}}
    assert api_client.put(url, body, format="json").status_code in (401, 403)
    api_client.force_authenticate(council.people[0])
    refused = api_client.put(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"

    api_client.force_authenticate(fresh(world["organiser_here"]))
    refused = api_client.put(url, {"preset": "nantang", "overrides": {"quorum_kind": "share"}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "rules_invalid" and refused.json()["detail"] == "请填写多少成员构成法定人数。"
    refused = api_client.put(
        url, {"preset": "nantang", "overrides": {"speech_seconds": 1}}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "rules_invalid"
    done = api_client.put(url, body, format="json")
    assert done.status_code == 200
    assert done.json()["rules"]["speech_seconds"] == 600 and done.json()["rules"]["chair_mode"] == "outside"
    assert done.json()["rules"]["thresholds"]["main"] == "majority_members"
    council.refresh_from_db()
    assert procedure.rules_from_preset(council.preset, council.overrides).threshold("main") == "majority_members"


def test_the_organiser_orders_the_agenda_over_the_api(api_client, world, council, make_proposal):
    session = make_session(world, council, make_proposal)
    url = reverse("api:session-agenda", args=[session.pk])
    first, second = [item["id"] for item in api_client.get(url).json()["agenda"]]
    api_client.force_authenticate(council.people[0])
    assert api_client.put(url, {"order": [second, first]}, format="json").status_code == 403
    api_client.force_authenticate(fresh(world["organiser_here"]))
    refused = api_client.put(url, {"order": [second, second]}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "agenda_order_invalid"
    done = api_client.put(url, {"order": [second, first]}, format="json")
    assert [item["id"] for item in done.json()["agenda"]] == [second, first]
    listed = api_client.get(reverse("api:sessions")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [item["id"] for item in rows[0]["agenda"]] == [second, first]
    state = api_client.get(reverse("api:session-state", args=[session.pk])).json()
    assert state["items"] == ["其他事项", "加装电梯的建议"]  # the live agenda follows


def test_a_vote_on_a_motion_below_the_pending_question_is_a_409(api_client, world, council):
    session = make_session(world, council)
    chair, people = fresh(world["organiser_here"]), council.people
    for person in (chair, *people[:4]):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    main = run(session, people[0], "make_motion", kind="main", text="同意加装电梯")[0]["motion"]
    run(session, people[1], "second")
    run(session, people[2], "make_motion", kind="previous_question")
    run(session, people[3], "second")
    api_client.force_authenticate(chair)
    url = reverse("api:session-commands", args=[session.pk])
    refused = api_client.post(url, {"command": {"type": "open_vote", "motion": main}}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "not_pending_question"
    done = api_client.post(url, {"command": {"type": "open_vote", "motion": main + 1}}, format="json")
    assert done.status_code == 200 and done.json()["events"][-1]["type"] == "vote_opened"
