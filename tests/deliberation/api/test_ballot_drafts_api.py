"""A draft box is hidden from the API's list and detail for a resident, and there for its managers."""

import pytest

from tests.deliberation.rules.boxes import box_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees"), [("visitor", False), ("resident", False), ("organiser_here", True), ("admin", True)]
)
def test_a_draft_in_the_api(api_client, world, role, sees):
    draft, announced = box_in(world["S1"], state="draft"), box_in(world["S1"])
    if role != "visitor":
        api_client.force_authenticate(world[role])
    listed = {b["id"] for b in api_client.get("/api/ballots/").json()["results"]}
    assert announced.pk in listed and (draft.pk in listed) is sees
    assert api_client.get(f"/api/ballots/{draft.pk}/").status_code == (200 if sees else 404)
    assert api_client.get(f"/api/ballots/{announced.pk}/").status_code == 200
    vote = api_client.post(f"/api/ballots/{draft.pk}/vote/", {"choices": ["yes"]}, format="json")
    # a visitor must log in first; a resident finds no such box; its managers, who are no voters here, are
    # told so before anything else (who may comes first, then whether the box is open)
    assert vote.status_code == {"visitor": 401, "resident": 404}.get(role, 403)
