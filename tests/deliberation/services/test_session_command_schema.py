"""session_command parses every command with deliberation.commands before the engine sees it: malformed
input is refused with a stable code and writes nothing; a text at the limit is accepted."""

import pytest

from civic.errors import InvalidInput
from deliberation import commands, procedure, services
from deliberation.models import Session, SessionRecord
from tests.deliberation.session_setup import MALFORMED, make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world, make_proposal):
    return make_session(world, make_council(world), make_proposal)


@pytest.mark.parametrize(("command", "code"), MALFORMED)
def test_a_malformed_command_is_refused_and_changes_nothing(world, session, command, code):
    member = session.council.members.first().user
    before = (Session.objects.get(pk=session.pk).seq, SessionRecord.objects.filter(session=session).count())
    with pytest.raises(InvalidInput) as raised:
        services.session_command(user=member, session=session, command=command)
    assert raised.value.code == code
    assert raised.value.status == 400
    after = (Session.objects.get(pk=session.pk).seq, SessionRecord.objects.filter(session=session).count())
    assert after == before


def test_the_schema_knows_every_command_of_the_engine():
    assert set(commands.SCHEMA) == set(procedure.COMMANDS)


def test_motion_text_up_to_the_limit_is_accepted_and_recorded(world, session):
    chair, (a, b, c, *_rest) = fresh(world["organiser_here"]), session.council.people
    for person in (chair, a, b, c):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    text = "长" * commands.TEXT_LIMIT
    events = run(session, a, "make_motion", kind="main", text=text)
    assert events[0]["type"] == "motion_made" and events[0]["text"] == text
    recorded = SessionRecord.objects.filter(session=session, kind="command").order_by("-seq", "-id").first()
    assert recorded.payload["text"] == text and recorded.payload["actor"] == str(a.pk)


def test_the_engine_still_judges_values_it_knows(world, session):
    """A well-formed command with a motion kind the rules do not know is the engine's refusal (400)."""
    chair, (a, b, c, *_rest) = fresh(world["organiser_here"]), session.council.people
    for person in (chair, a, b, c):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    with pytest.raises(InvalidInput) as raised:
        run(session, a, "make_motion", kind="bogus", text="同意")
    assert raised.value.code == "unknown_motion"


def test_expected_seq_must_be_a_sequence_number():
    assert commands.parse_expected_seq(None) is None
    assert commands.parse_expected_seq(3) == 3
    for bad in ("3", 3.0, True, -1, [3]):
        with pytest.raises(InvalidInput) as raised:
            commands.parse_expected_seq(bad)
        assert raised.value.code == "command_invalid"
