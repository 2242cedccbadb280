"""Two server processes sharing Redis: a command handled by one reaches the screens on the other."""

import json
import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from websockets.sync.client import connect

from civic.models import AreaRole
from deliberation import services
from tests.factories import UserFactory, make_area_tree
from tests.world import verify


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="across processes the events travel through Redis (REDIS_URL)"
)
def test_a_command_on_one_server_reaches_a_screen_on_the_other(live_asgi, second_live_asgi, transactional_db):
    tree = make_area_tree()
    chair = UserFactory()
    AreaRole.objects.create(user=chair, area=tree["subdistrict"], role="organiser")
    council = services.council_create(actor=chair, area=tree["subdistrict"], name="跨进程议事会")
    member = UserFactory()
    verify(member, tree["cells"][0])
    services.council_member_add(actor=chair, council=council, user=member)
    session = services.session_schedule(
        actor=chair,
        council=council,
        title="跨进程会议",
        starts_at=timezone.now() + timedelta(hours=1),
        items=[("议题", None, 10)],
    )
    client = Client()
    client.force_login(chair)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    def ws(base, headers=None):
        url = base.replace("http://", "ws://") + f"/ws/sessions/{session.pk}/"
        return connect(url, additional_headers={"Origin": base, **(headers or {})}, open_timeout=5)

    with ws(second_live_asgi.url) as watcher, ws(live_asgi.url, {"Cookie": cookie}) as chair_socket:
        watcher.send(json.dumps({"type": "hello", "last_seq": 0}))
        assert json.loads(watcher.recv(timeout=5)) == {"type": "events", "events": []}
        chair_socket.send(json.dumps({"type": "command", "command": {"type": "check_in"}, "expected_seq": 0}))
        assert json.loads(chair_socket.recv(timeout=5)) == {"type": "ok", "seq": 1}
        event = json.loads(watcher.recv(timeout=5))
        assert (
            event["type"] == "events" and event["events"][0]["type"] == "checked_in" and event["events"][0]["seq"] == 1
        )
