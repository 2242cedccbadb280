"""Over the WebSocket, a malformed or refused message gets an error reply carrying the code and the HTTP
status the API would give (civic.errors.http_status); the connection stays open."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from deliberation.models import Session, SessionRecord
from deliberation.routing import websocket_urlpatterns
from tests.deliberation.session_setup import MALFORMED, make_council, make_session, run
from tests.factories import UserFactory
from tests.world import build_world, fresh

pytestmark = pytest.mark.django_db(transaction=True)
app = URLRouter(websocket_urlpatterns)


def _setup():
    world = build_world()
    council = make_council(world)
    return make_session(world, council), fresh(world["organiser_here"]), council.people


async def _connect(session_id, user):
    communicator = WebsocketCommunicator(app, f"/ws/sessions/{session_id}/")
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def _still_open(ws):
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}


async def test_malformed_messages_get_an_error_reply_and_the_socket_stays_open():
    session, _chair, members = await database_sync_to_async(_setup)()
    ws = await _connect(session.pk, members[0])
    for command, code in MALFORMED:
        await ws.send_json_to({"type": "command", "command": command})
        reply = await ws.receive_json_from()
        assert reply["type"] == "error" and reply["code"] == code and reply["status"] == 400, (command, reply)
        assert reply["message"]
    for raw in ("not json", "[1, 2]", "null", '{"type": "dance"}', '{"type": 5}'):
        await ws.send_to(text_data=raw)
        reply = await ws.receive_json_from()
        assert reply["type"] == "error" and reply["code"] == "command_invalid" and reply["status"] == 400, raw
    await ws.send_json_to({"type": "command", "command": {"type": "check_in"}, "expected_seq": "0"})
    reply = await ws.receive_json_from()
    assert reply["code"] == "command_invalid" and reply["field"] == "expected_seq"
    await _still_open(ws)
    written = await database_sync_to_async(
        lambda: (Session.objects.get(pk=session.pk).seq, SessionRecord.objects.count())
    )()
    assert written == (0, 0)
    await ws.disconnect()


async def test_a_refusal_by_role_carries_403_and_a_conflict_409():
    session, _chair, members = await database_sync_to_async(_setup)()
    ws = await _connect(session.pk, members[0])
    await ws.send_json_to({"type": "command", "command": {"type": "open_session"}})
    reply = await ws.receive_json_from()
    assert reply == {"type": "error", "code": "chair_only", "status": 403, "message": reply["message"]}
    assert reply["message"] == "只有主持人可以这样做。"
    await ws.send_json_to({"type": "command", "command": {"type": "check_out"}})
    reply = await ws.receive_json_from()
    assert reply["code"] == "not_checked_in" and reply["status"] == 409
    await _still_open(ws)
    await ws.disconnect()


async def test_an_anonymous_watcher_cannot_send_commands():
    from django.contrib.auth.models import AnonymousUser

    session, _chair, _members = await database_sync_to_async(_setup)()
    ws = await _connect(session.pk, AnonymousUser())
    await ws.send_json_to({"type": "command", "command": {"type": "check_in"}})
    reply = await ws.receive_json_from()
    assert reply["code"] == "not_authenticated" and reply["status"] == 403
    await _still_open(ws)
    await ws.disconnect()


def _pending_amendment():
    """An open session with a main motion and an amendment to it, the amendment before the council."""
    session, chair, members = _setup()
    for person in (chair, *members[:4]):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    run(session, members[0], "make_motion", kind="main", text="同意加装电梯")
    run(session, members[1], "second")
    run(session, members[2], "make_motion", kind="amend", text="同意加装电梯，费用分摊")
    run(session, members[3], "second")
    main = Session.objects.get(pk=session.pk).state["stack"][0]["id"]
    return session, chair, main, UserFactory(display_name="旁听者")


async def test_a_vote_on_a_motion_that_is_not_the_pending_question_is_a_409_conflict_and_strangers_403():
    session, chair, main, stranger = await database_sync_to_async(_pending_amendment)()
    ws = await _connect(session.pk, chair)
    await ws.send_json_to({"type": "command", "command": {"type": "open_vote", "motion": main}})
    reply = await ws.receive_json_from()
    assert reply["code"] == "not_pending_question" and reply["status"] == 409
    assert reply["message"] == f"只能将当前待决的问题（第 {main + 1} 号动议）付诸表决。"
    await ws.send_json_to({"type": "command", "command": {"type": "open_vote", "motion": "1"}})
    reply = await ws.receive_json_from()
    assert reply["code"] == "command_invalid" and reply["status"] == 400 and reply["field"] == "motion"
    await _still_open(ws)
    await ws.disconnect()
    ws = await _connect(session.pk, stranger)
    await ws.send_json_to({"type": "command", "command": {"type": "check_in"}})
    reply = await ws.receive_json_from()
    assert reply["code"] == "not_a_member" and reply["status"] == 403
    await ws.disconnect()
    state = await database_sync_to_async(lambda: Session.objects.get(pk=session.pk).state)()
    assert state["vote"] is None
