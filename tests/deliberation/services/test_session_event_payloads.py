"""The events the services return, record and publish match their schemas (deliberation.events)."""

import pytest

from deliberation import events
from deliberation.models import SessionRecord
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_a_session_through_the_services_emits_only_events_that_match(world, make_proposal):
    council = make_council(world)
    session = make_session(world, council, make_proposal)
    chair, (a, b, c, d, _e) = fresh(world["organiser_here"]), council.people
    returned = []
    for person in (chair, a, b, c, d):
        returned += run(session, person, "check_in")
    returned += run(session, chair, "open_session")
    returned += run(session, a, "make_motion", kind="main", text="同意加装电梯")
    returned += run(session, b, "second")
    returned += run(session, c, "request_floor", side="for")
    returned += run(session, chair, "grant_floor")
    returned += run(session, c, "yield_floor")
    returned += run(session, chair, "open_vote")
    for person in (a, b, c, d):
        returned += run(session, person, "cast_vote", choice="yes")
    returned += run(session, chair, "close_vote")
    returned += run(session, chair, "announce")
    returned += run(session, chair, "close_session")
    assert [e["seq"] for e in returned] == list(range(1, len(returned) + 1))
    assert [p for event in returned for p in events.problems(event)] == []
    recorded = SessionRecord.objects.filter(session=session, kind="event").order_by("seq")
    assert [p for record in recorded for p in events.problems(record.payload)] == []
    assert {e["type"] for e in returned} >= {"session_opened", "floor_granted", "speech_ended", "result_announced"}
