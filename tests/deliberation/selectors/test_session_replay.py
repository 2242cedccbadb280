"""session_replay (a read): the stored state is rebuilt from the recorded commands alone."""

import pytest

from deliberation import procedure, selectors
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_the_state_is_rebuilt_from_the_record(world, make_proposal):
    council = make_council(world)
    session = make_session(world, council, make_proposal)
    chair, (a, b, c, d, _e) = fresh(world["organiser_here"]), council.people
    for person in (chair, a, b, c, d):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    run(session, a, "make_motion", kind="main", text="同意加装电梯")
    run(session, b, "second")
    run(session, c, "request_floor", side="against")
    session.refresh_from_db()
    replayed = selectors.session_replay(session)
    assert replayed == procedure.state_from_json(session.state)
    assert replayed.phase is procedure.Phase.OPEN and replayed.pending.kind is procedure.MotionKind.MAIN
    assert replayed.queue[0].side is procedure.Side.AGAINST
