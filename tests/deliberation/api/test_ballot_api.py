"""Ballot boxes over the API: voting, changing a secret ballot with its receipt, checking a receipt."""

import pytest

from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_vote_through_the_api(api_client, world, pb):
    api_client.force_authenticate(fresh(world["resident"]))
    first = api_client.post(f"/api/ballots/{pb.pk}/vote/", {"choices": ["3"]}, format="json")
    assert first.status_code == 201 and first.json()["receipt"]
    again = api_client.post(f"/api/ballots/{pb.pk}/vote/", {"choices": ["2"]}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409 and "receipt" in again.json()["detail"]
    changed = api_client.post(
        f"/api/ballots/{pb.pk}/vote/", {"choices": ["2"], "receipt": first.json()["receipt"]}, format="json"
    )
    assert changed.status_code == 200 and changed.json() == {"receipt": None, "changed": True}
    over = api_client.post(
        f"/api/ballots/{pb.pk}/vote/", {"choices": ["1", "2"], "receipt": first.json()["receipt"]}, format="json"
    )
    assert over.status_code == 400 and over.json()["code"] == "over_budget"
    api_client.force_authenticate(None)
    checked = api_client.post("/api/ballots/receipt/", {"code": first.json()["receipt"]}, format="json").json()
    # A receipt proves the ballot is in the box, never what it chose (that could prove a vote to a buyer).
    assert checked == {"box": pb.pk, "title": pb.title, "counted": False, "closed": False}
    assert api_client.post("/api/ballots/receipt/", {"code": "NOPE"}, format="json").status_code == 404


def test_the_documented_receipt_answer_has_no_choices(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    answer = schema["paths"]["/api/ballots/receipt/"]["post"]["responses"]["200"]["content"]["application/json"]
    name = answer["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][name]["properties"]) == {"box", "title", "counted", "closed"}


def test_a_voter_from_elsewhere_with_a_bad_body_gets_403(api_client, world, pb):
    api_client.force_authenticate(fresh(world["resident_elsewhere"]))
    response = api_client.post(f"/api/ballots/{pb.pk}/vote/", {"choices": "not a list"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_eligible"
