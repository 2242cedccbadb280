"""A draft box is hidden from the list and its page for a resident, and there for the people preparing it."""

import pytest

from tests.deliberation.rules.boxes import box_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "sees"), [("resident", False), ("organiser_here", True), ("official_here", True)])
def test_a_draft_on_the_pages(client, world, role, sees):
    draft = box_in(world["S1"], state="draft")
    draft.title = "准备中的投票"
    draft.save(update_fields=["title"])
    client.force_login(world[role])
    assert ("准备中的投票" in client.get("/ballots/").content.decode()) is sees
    assert client.get(draft.get_absolute_url()).status_code == (200 if sees else 404)
    assert client.get(f"/ballots/{draft.pk}/results/").status_code == (200 if sees else 404)


def test_a_draft_is_not_there_for_a_visitor(client, world):
    draft = box_in(world["S1"], state="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert str(draft.pk) not in client.get("/ballots/").content.decode().split("/ballots/receipt/")[-1]
