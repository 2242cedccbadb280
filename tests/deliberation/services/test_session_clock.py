"""The server's clock: a speech ends at its limit without anyone pressing anything (speeches_time_up, run by
each WebSocket server process's deadline loop and by `manage.py tick`), exactly once."""

import json
import threading
import time
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from civic import events as civic_events
from deliberation import procedure, selectors, services
from deliberation.models import Session, SessionRecord
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    return make_council(world)


def _speaking(world, council):
    """A session in debate where the first member has the floor; (session, chair, speaker)."""
    session = make_session(world, council)
    chair, (a, b, c, d, _e) = fresh(world["organiser_here"]), council.people
    for person in (chair, a, b, c, d):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    run(session, a, "make_motion", kind="main", text="同意加装电梯")
    run(session, b, "second")
    run(session, c, "request_floor", side="for")
    run(session, chair, "grant_floor")
    session.refresh_from_db()
    return session, chair, c


def _passed_while_nobody_looked(session, seconds=300):
    """Move the speech's start into the past, as if the server had been down since the floor was given."""
    state = procedure.state_from_json(session.state)
    state = replace(state, speech=replace(state.speech, started_at=state.speech.started_at - seconds))
    Session.objects.filter(pk=session.pk).update(
        state=procedure.state_to_json(state), speech_deadline=services.speech_deadline_at(state)
    )
    session.refresh_from_db()


def _time_ups(session):
    return list(
        SessionRecord.objects.filter(session=session, kind="event", payload__type="speech_ended").values_list(
            "seq", "payload__reason"
        )
    )


def test_the_deadline_is_kept_with_the_speech(world, council):
    session, chair, speaker = _speaking(world, council)
    started = session.state["speech"]["started_at"]
    assert session.speech_deadline.timestamp() == pytest.approx(started + 120, abs=1e-5)
    run(session, chair, "extend_time", seconds=60)
    session.refresh_from_db()
    assert session.speech_deadline.timestamp() == pytest.approx(started + 180, abs=1e-5)
    run(session, speaker, "yield_floor")
    session.refresh_from_db()
    assert session.speech_deadline is None


def test_a_speech_ends_at_its_limit_without_a_command(world, council):
    session, _chair, speaker = _speaking(world, council)
    deadline = session.speech_deadline.timestamp()
    assert services.speeches_time_up(now=deadline - 1) == 0  # not yet
    assert services.speeches_time_up(now=deadline + 0.2) == 1
    session.refresh_from_db()
    assert session.state["speech"] is None and session.speech_deadline is None
    ended = SessionRecord.objects.get(session=session, kind="event", seq=session.seq).payload
    assert ended["type"] == "speech_ended" and ended["reason"] == "time_up" and ended["member"] == str(speaker.pk)
    assert ended["ended_at"] == pytest.approx(deadline, abs=1e-5)
    assert selectors.session_replay(session) == procedure.state_from_json(session.state)
    # the snapshot no longer shows anyone holding the floor
    assert selectors.session_snapshot(session, speaker)["speech"] is None


def test_two_claimants_one_applies_the_other_finds_it_done(world, council):
    session, _chair, _speaker = _speaking(world, council)
    due = session.speech_deadline.timestamp() + 1
    first = services.speech_time_up(session=session, now=due)
    second = services.speech_time_up(session=session, now=due)
    assert [e["reason"] for e in first] == ["time_up"] and second == []
    assert services.speeches_time_up(now=due + 1) == 0
    assert _time_ups(session) == [(first[0]["seq"], "time_up")]


def test_yielding_after_the_limit_ends_the_speech_as_time_up(world, council):
    session, _chair, speaker = _speaking(world, council)
    _passed_while_nobody_looked(session)
    (event,) = run(session, speaker, "yield_floor")
    assert event["reason"] == "time_up"
    session.refresh_from_db()
    assert session.state["speech"] is None and session.speech_deadline is None
    assert services.speeches_time_up() == 0


def test_tick_ends_a_speech_whose_deadline_passed_while_no_process_ran(world, council):
    session, _chair, _speaker = _speaking(world, council)
    _passed_while_nobody_looked(session)
    call_command("tick", verbosity=0)
    session.refresh_from_db()
    assert session.state["speech"] is None and session.speech_deadline is None
    assert [reason for _seq, reason in _time_ups(session)] == ["time_up"]
    call_command("tick", verbosity=0)  # idempotent
    assert len(_time_ups(session)) == 1


def test_the_time_up_is_recorded_when_publishing_fails(world, council, monkeypatch, django_capture_on_commit_callbacks):
    session, _chair, _speaker = _speaking(world, council)
    tried = []

    class DeadLayer:
        async def group_send(self, group, message):
            tried.append(json.loads(message["text"])["events"][0]["type"])  # encoded once for every screen
            raise ConnectionError("the bus is down")

    monkeypatch.setattr(civic_events, "get_channel_layer", lambda: DeadLayer())
    with django_capture_on_commit_callbacks(execute=True):
        ended = services.speeches_time_up(now=session.speech_deadline.timestamp() + 1)
    assert ended == 1 and tried == ["speech_ended"]  # published after commit, and the failure only logged
    session.refresh_from_db()
    assert session.state["speech"] is None
    assert selectors.events_since(session, session.seq - 1)[0]["reason"] == "time_up"  # what `hello` answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claimed_deadline_is_skipped_by_the_other_process_not_waited_for(world, council):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    session, _chair, _speaker = _speaking(world, council)
    due = session.speech_deadline.timestamp() + 1
    holding, release, results = threading.Event(), threading.Event(), {}

    def first_claimant():
        try:
            with transaction.atomic():
                locked = Session.objects.select_for_update(skip_locked=True).get(pk=session.pk)
                holding.set()
                release.wait(10)
                results["first"] = services.speech_time_up(session=locked, now=due)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_claimant)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    assert services.speeches_time_up(now=due) == 0  # locked by the first claimant: skipped at once
    assert time.monotonic() - started < 2
    release.set()
    thread.join(10)
    assert [e["reason"] for e in results["first"]] == ["time_up"]
    assert services.speeches_time_up(now=due) == 0  # the second finds it done
    assert len(_time_ups(session)) == 1
