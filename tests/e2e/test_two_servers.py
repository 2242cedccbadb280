"""Two server processes sharing Redis: a command handled by one reaches the screens on the other, and a
speech ends at its limit on every screen of both without anyone sending anything."""

import json
import os
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from websockets.sync.client import connect

from civic.models import AreaRole
from deliberation import procedure, services
from deliberation.models import Session
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


def _speaking(speech_seconds):
    """A session where a member has just been given the floor; (session, chair, speaker, watchers' cookie)."""
    tree = make_area_tree()
    chair = UserFactory()
    AreaRole.objects.create(user=chair, area=tree["subdistrict"], role="organiser")
    council = services.council_create(actor=chair, area=tree["subdistrict"], name="计时议事会")
    council.overrides = {"speech_seconds": speech_seconds}
    council.save()
    members = [UserFactory() for _ in range(3)]
    for person in members:
        verify(person, tree["cells"][0])
        services.council_member_add(actor=chair, council=council, user=person)
    session = services.session_schedule(
        actor=chair,
        council=council,
        title="计时会议",
        starts_at=timezone.now() + timedelta(hours=1),
        items=[("议题", None, 10)],
    )

    def run(user, command, **args):
        services.session_command(user=user, session=session, command={"type": command, **args})

    for person in (chair, *members):
        run(person, "check_in")
    run(chair, "open_session")
    run(members[0], "make_motion", kind="main", text="同意")
    run(members[1], "second")
    run(members[2], "request_floor", side="for")
    return session, chair, members[2]


def _ws(base, session, user=None):
    headers = {"Origin": base}
    if user is not None:
        client = Client()
        client.force_login(user)
        headers["Cookie"] = f"sessionid={client.cookies['sessionid'].value}"
    url = base.replace("http://", "ws://") + f"/ws/sessions/{session.pk}/"
    return connect(url, additional_headers=headers, open_timeout=5)


def _first(socket, kind, until):
    """The first event of `kind` this socket hears before the monotonic time `until`, with when it came."""
    while True:
        message = json.loads(socket.recv(timeout=max(0.05, until - time.monotonic())))
        for event in message.get("events", []):
            if event["type"] == kind:
                return event, time.time()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="across processes the events travel through Redis (REDIS_URL)"
)
def test_a_speech_ends_at_its_limit_on_every_screen_of_both_servers(live_asgi, second_live_asgi, transactional_db):
    session, chair, speaker = _speaking(speech_seconds=3)
    with (
        _ws(live_asgi.url, session, chair) as chair_socket,
        _ws(live_asgi.url, session) as watcher_one,
        _ws(second_live_asgi.url, session) as watcher_two,
        _ws(second_live_asgi.url, session, speaker) as speaker_socket,
    ):
        screens = [chair_socket, watcher_one, watcher_two, speaker_socket]
        for socket in screens:
            socket.send(json.dumps({"type": "ping"}))
            assert json.loads(socket.recv(timeout=5)) == {"type": "pong"}  # connected and served
        chair_socket.send(json.dumps({"type": "command", "command": {"type": "grant_floor"}}))
        granted, _at = _first(chair_socket, "floor_granted", time.monotonic() + 5)
        limit_at = granted["started_at"] + granted["limit"]
        # from here on nobody sends anything
        for socket in screens:
            ended, heard_at = _first(socket, "speech_ended", time.monotonic() + granted["limit"] + 3)
            assert ended["reason"] == "time_up" and ended["member"] == str(speaker.pk)
            assert ended["ended_at"] == granted["started_at"] + granted["limit"]
            assert heard_at - limit_at < 1, f"heard {heard_at - limit_at:.2f} s after the limit"
    stored = Session.objects.get(pk=session.pk)
    assert stored.state["speech"] is None and stored.speech_deadline is None
    ends = stored.records.filter(kind="event", payload__type="speech_ended").count()
    assert ends == 1  # two deadline loops, one time-up


def test_a_server_starting_up_ends_a_speech_whose_limit_passed_while_none_ran(live_asgi, transactional_db):
    session, chair, speaker = _speaking(speech_seconds=120)
    services.session_command(user=chair, session=session, command={"type": "grant_floor"})
    stored = Session.objects.get(pk=session.pk)
    state = procedure.state_from_json(stored.state)
    state = replace(state, speech=replace(state.speech, started_at=state.speech.started_at - 600))
    Session.objects.filter(pk=session.pk).update(
        state=procedure.state_to_json(state), speech_deadline=services.speech_deadline_at(state)
    )
    with _ws(live_asgi.url, session) as watcher:  # the first screen starts the process's deadline loop
        ended, _at = _first(watcher, "speech_ended", time.monotonic() + 3)
    assert ended["reason"] == "time_up" and ended["member"] == str(speaker.pk)
    assert Session.objects.get(pk=session.pk).state["speech"] is None
