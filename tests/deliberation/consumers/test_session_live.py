"""The live session over WebSockets: permission, catch-up by sequence number, commands, broadcast."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civic.models import AreaRole
from deliberation import services
from deliberation.models import Session
from deliberation.routing import websocket_urlpatterns
from tests.factories import UserFactory, make_area_tree
from tests.world import verify

pytestmark = pytest.mark.django_db(transaction=True)
app = URLRouter(websocket_urlpatterns)


def _setup(public=True):
    tree = make_area_tree()
    chair = UserFactory(display_name="主持人")
    AreaRole.objects.create(user=chair, area=tree["subdistrict"], role="organiser")
    council = services.council_create(actor=chair, area=tree["subdistrict"], name="测试议事会")
    members = [UserFactory(display_name=f"委员{i}") for i in range(4)]
    for person in members:
        verify(person, tree["cells"][0])
        services.council_member_add(actor=chair, council=council, user=person)
    session = services.session_schedule(
        actor=chair,
        council=council,
        title="测试会议",
        starts_at=timezone.now() + timedelta(hours=1),
        public=public,
        items=[("议题一", None, 10)],
    )
    return session, chair, members


async def _connect(session_id, user):
    communicator = WebsocketCommunicator(app, f"/ws/sessions/{session_id}/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_a_closed_session_is_only_for_its_members():
    session, _chair, members = await database_sync_to_async(_setup)(public=False)
    stranger, connected, _code = await _connect(session.pk, AnonymousUser())
    assert connected  # accepted, then closed, so the close code reaches the client (not HTTP 403)
    assert await stranger.receive_output() == {"type": "websocket.close", "code": 4403}
    member, connected, _code = await _connect(session.pk, members[0])
    assert connected
    await member.disconnect()


async def test_commands_reach_every_screen_with_sequence_numbers():
    session, chair, members = await database_sync_to_async(_setup)()
    watcher, connected, _ = await _connect(session.pk, AnonymousUser())
    assert connected
    await watcher.send_json_to({"type": "hello", "last_seq": None})
    snapshot = (await watcher.receive_json_from())["state"]
    assert snapshot["phase"] == "scheduled" and snapshot["role"] == "public" and snapshot["allowed"] == []

    chair_ws, _, _ = await _connect(session.pk, chair)
    await chair_ws.send_json_to({"type": "command", "command": {"type": "check_in"}, "expected_seq": 0})
    assert await chair_ws.receive_json_from() == {"type": "ok", "seq": 1}
    broadcast = await watcher.receive_json_from(timeout=2)
    assert (
        broadcast["type"] == "events"
        and broadcast["events"][0]["type"] == "checked_in"
        and broadcast["events"][0]["seq"] == 1
    )
    assert (await chair_ws.receive_json_from(timeout=2)) == broadcast  # the chair's own screen gets it too

    await chair_ws.send_json_to({"type": "command", "command": {"type": "check_in"}, "expected_seq": 0})
    error = await chair_ws.receive_json_from()
    assert error["type"] == "error" and error["code"] == "stale_state"
    await chair_ws.send_json_to({"type": "command", "command": {"type": "open_session"}})
    error = await chair_ws.receive_json_from()
    assert error["code"] == "no_quorum" and "法定人数" in error["message"]

    # a client that missed events gets exactly those on reconnect
    for person in members[:3]:
        await database_sync_to_async(services.session_command)(
            user=person, session=session, command={"type": "check_in"}
        )
    late, _, _ = await _connect(session.pk, members[3])
    await late.send_json_to({"type": "hello", "last_seq": 1})
    missed = await late.receive_json_from()
    assert missed["type"] == "events" and [e["seq"] for e in missed["events"]] == [2, 3, 4]
    for ws in (watcher, chair_ws, late):
        await ws.disconnect()


async def test_the_snapshot_offers_only_what_is_in_order():
    session, chair, members = await database_sync_to_async(_setup)()
    ws, _, _ = await _connect(session.pk, members[0])
    await ws.send_json_to({"type": "snapshot"})
    state = (await ws.receive_json_from())["state"]
    assert state["role"] == "member" and state["allowed"] == ["check_in"]
    await ws.disconnect()
    chair_ws, _, _ = await _connect(session.pk, chair)
    await chair_ws.send_json_to({"type": "snapshot"})
    state = (await chair_ws.receive_json_from())["state"]
    assert "record_not_held" in state["allowed"] and "open_session" not in state["allowed"]
    await chair_ws.disconnect()
    assert await database_sync_to_async(lambda: Session.objects.get(pk=session.pk).seq)() == 0


async def test_a_command_is_encoded_once_and_every_screen_gets_those_very_characters(monkeypatch):
    """A session with a thousand screens must not encode each event a thousand times: the service publishes
    the message's text once, and every screen is sent that text as it is."""
    from deliberation.services import sessions as session_services

    session, chair, _members = await database_sync_to_async(_setup)()
    published = []
    original = session_services.group_send

    def capture(group, message):
        published.append(message)
        return original(group, message)

    monkeypatch.setattr(session_services, "group_send", capture)
    watchers = []
    for _ in range(3):
        watcher, connected, _ = await _connect(session.pk, AnonymousUser())
        assert connected
        await watcher.send_json_to({"type": "hello", "last_seq": None})
        await watcher.receive_json_from()  # the snapshot
        watchers.append(watcher)
    chair_ws, _, _ = await _connect(session.pk, chair)
    await chair_ws.send_json_to({"type": "command", "command": {"type": "check_in"}, "expected_seq": 0})
    assert await chair_ws.receive_json_from() == {"type": "ok", "seq": 1}
    frames = [await watcher.receive_from(timeout=2) for watcher in watchers]
    assert len(published) == 1 and set(published[0]) == {"type", "text"}  # no events to encode per screen
    assert frames == [published[0]["text"]] * 3
    broadcast = json.loads(frames[0])
    assert broadcast["type"] == "events" and broadcast["events"][0]["type"] == "checked_in"
    assert broadcast["state"]["phase"] == "scheduled"  # the public view travels with the events
    for ws in [*watchers, chair_ws]:
        await ws.disconnect()
