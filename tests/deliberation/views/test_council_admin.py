"""Councils adjust their rules of order in the admin."""

import pytest

from tests.deliberation.session_setup import make_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    return make_council(world)


def test_councils_adjust_their_rules_in_the_admin(client, world, council):
    from deliberation.selectors import session_rules

    client.force_login(world["admin"])
    url = f"/admin/deliberation/council/{council.pk}/change/"
    data = {"name": council.name, "area": council.area.pk, "preset": "nantang"}
    bad = client.post(url, {**data, "overrides": '{"speech_minutes": 3}'})
    assert "speech_minutes" in bad.content.decode()
    client.post(url, {**data, "overrides": '{"speech_seconds": 180, "quorum_kind": "share", "quorum_value": "2/3"}'})
    council.refresh_from_db()
    session = council.sessions.first() or type("S", (), {"council": council})()
    rules = session_rules(session)
    assert rules.speech_seconds == 180 and rules.quorum(6) == 4
