"""The deadline loop of a WebSocket server process: a speech ends at its limit and every screen hears
`speech_ended` (reason time_up) although nobody sends anything (in-memory channel layer, one process)."""

import asyncio
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civic.models import AreaRole
from deliberation import procedure, services
from deliberation.consumers import deadlines
from deliberation.models import Session
from deliberation.routing import websocket_urlpatterns
from tests.factories import UserFactory, make_area_tree
from tests.world import verify

pytestmark = pytest.mark.django_db(transaction=True)
app = URLRouter(websocket_urlpatterns)


def _speaking(speech_seconds):
    """A session where a member has just been given the floor for `speech_seconds`; (session, speaker)."""
    tree = make_area_tree()
    chair = UserFactory(display_name="主持人")
    AreaRole.objects.create(user=chair, area=tree["subdistrict"], role="organiser")
    council = services.council_create(actor=chair, area=tree["subdistrict"], name="计时议事会")
    council.overrides = {"speech_seconds": speech_seconds}
    council.save()
    members = [UserFactory(display_name=f"委员{i}") for i in range(3)]
    for person in members:
        verify(person, tree["cells"][0])
        services.council_member_add(actor=chair, council=council, user=person)
    session = services.session_schedule(
        actor=chair,
        council=council,
        title="计时会议",
        starts_at=timezone.now() + timedelta(hours=1),
        items=[("议题一", None, 10)],
    )

    def run(user, command, **args):
        return services.session_command(user=user, session=session, command={"type": command, **args})

    for person in (chair, *members):
        run(person, "check_in")
    run(chair, "open_session")
    run(members[0], "make_motion", kind="main", text="同意")
    run(members[1], "second")
    run(members[2], "request_floor", side="for")
    run(chair, "grant_floor")
    return Session.objects.get(pk=session.pk), members[2]


def _move_start_back(session, seconds):
    state = procedure.state_from_json(session.state)
    state = replace(state, speech=replace(state.speech, started_at=state.speech.started_at - seconds))
    Session.objects.filter(pk=session.pk).update(
        state=procedure.state_to_json(state), speech_deadline=services.speech_deadline_at(state)
    )


async def _connect(session_id, user):
    communicator = WebsocketCommunicator(app, f"/ws/sessions/{session_id}/")
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def _speech_ended(ws, timeout):
    """The first `speech_ended` this screen hears, skipping other messages."""
    deadline = time.monotonic() + timeout
    while True:
        message = await ws.receive_json_from(timeout=max(0.05, deadline - time.monotonic()))
        for event in message.get("events", []):
            if event["type"] == "speech_ended":
                return event, message


async def test_every_screen_hears_the_time_up_without_anyone_pressing_anything():
    session, speaker = await database_sync_to_async(_speaking)(2)
    watcher = await _connect(session.pk, AnonymousUser())
    speaker_ws = await _connect(session.pk, speaker)
    limit_at = session.state["speech"]["started_at"] + session.state["speech"]["limit"]
    for ws in (watcher, speaker_ws):
        event, message = await _speech_ended(ws, timeout=4)
        assert event["reason"] == "time_up" and event["member"] == str(speaker.pk)
        assert event["ended_at"] == pytest.approx(limit_at)
        assert message["state"]["speech"] is None  # the public view that travels with it
    assert time.time() - limit_at < 1  # within a second of the limit
    stored = await database_sync_to_async(Session.objects.get)(pk=session.pk)
    assert stored.state["speech"] is None and stored.speech_deadline is None
    await watcher.send_json_to({"type": "snapshot"})
    assert (await watcher.receive_json_from())["state"]["speech"] is None
    for ws in (watcher, speaker_ws):
        await ws.disconnect()
    await asyncio.sleep(deadlines.POLL * 2)
    assert deadlines.task.done()  # the loop stops after the last screen of the process leaves


async def test_a_loop_starting_up_ends_a_speech_whose_limit_passed_meanwhile():
    session, speaker = await database_sync_to_async(_speaking)(120)
    await database_sync_to_async(_move_start_back)(session, 600)  # no process ran since the floor was given
    watcher = await _connect(session.pk, AnonymousUser())
    event, _message = await _speech_ended(watcher, timeout=2)
    assert event["reason"] == "time_up" and event["member"] == str(speaker.pk)
    assert event["ended_at"] < time.time() - 400  # at its limit, long ago
    await watcher.disconnect()
