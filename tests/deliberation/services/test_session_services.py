import pytest
from django.db.models import ProtectedError

from civic.errors import Conflict, InvalidInput, NotAllowed
from deliberation import procedure, selectors, services
from deliberation.models import SessionRecord
from proposals.models import Proposal
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    return make_council(world)


@pytest.fixture
def session(world, council, make_proposal):
    return make_session(world, council, make_proposal)


def test_members_need_a_seat_in_the_area(world, council):
    with pytest.raises(InvalidInput):
        services.council_member_add(
            actor=fresh(world["organiser_here"]), council=council, user=fresh(world["resident_elsewhere"])
        )
    with pytest.raises(NotAllowed):
        services.council_member_add(
            actor=fresh(world["organiser_elsewhere"]), council=council, user=fresh(world["resident"])
        )
    with pytest.raises(Conflict):
        services.council_member_add(actor=fresh(world["organiser_here"]), council=council, user=council.people[0])


def test_scheduling_puts_proposals_on_the_agenda(session):
    assert [i.title for i in session.items.all()] == ["加装电梯的建议", "其他事项"]
    assert Proposal.objects.get(title="加装电梯的建议").state == "scheduled"


def test_a_session_decides_a_proposal_and_records_everything(world, council, session):
    chair, (a, b, c, d, _e) = fresh(world["organiser_here"]), council.people
    for person in (chair, a, b, c, d):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    run(session, a, "make_motion", kind="main", text="同意加装电梯")
    run(session, b, "second")
    run(session, c, "request_floor", side="for")
    events = run(session, chair, "grant_floor")
    assert events[0]["type"] == "floor_granted" and events[0]["member"] == str(c.pk) and events[0]["limit"] == 120
    run(session, c, "yield_floor")
    run(session, chair, "open_vote")
    for person, choice in ((a, "yes"), (b, "yes"), (c, "yes"), (d, "no")):
        run(session, person, "cast_vote", choice=choice)
    run(session, chair, "close_vote")
    events = run(session, chair, "announce")
    assert events[0]["type"] == "result_announced" and events[0]["adopted"] is True
    assert Proposal.objects.get(title="加装电梯的建议").state == "adopted"
    session.refresh_from_db()
    stored = procedure.state_from_json(session.state)
    assert selectors.session_replay(session) == stored  # every state is reconstructible from the record
    seqs = list(SessionRecord.objects.filter(session=session, kind="event").values_list("seq", flat=True))
    assert seqs == list(range(1, session.seq + 1))


def test_refusals_have_codes_and_change_nothing(world, council, session):
    chair, (a, *_rest) = fresh(world["organiser_here"]), council.people
    run(session, chair, "check_in")
    with pytest.raises(Conflict) as raised:
        run(session, chair, "open_session")
    assert raised.value.code == "no_quorum"
    with pytest.raises(NotAllowed) as raised:  # who may is 403 (civic.errors.CODE_STATUS), not a conflict
        run(session, fresh(world["resident_elsewhere"]), "check_in")
    assert raised.value.code == "not_a_member"
    before = session.__class__.objects.get(pk=session.pk).seq
    with pytest.raises(Conflict) as raised:
        services.session_command(
            user=a, session=session, command={"type": "check_in"}, expected_seq=before - 1 if before else 99
        )
    assert raised.value.code == "stale_state"
    assert session.__class__.objects.get(pk=session.pk).seq == before


def test_a_session_without_quorum_is_recorded_as_not_held(world, council, session):
    chair = fresh(world["organiser_here"])
    run(session, chair, "check_in")
    run(session, chair, "record_not_held")
    assert Proposal.objects.get(title="加装电梯的建议").state == "qualified"  # back in the pool for the next session


def test_the_record_cannot_be_changed(world, council, session):
    run(session, fresh(world["organiser_here"]), "check_in")
    record = SessionRecord.objects.filter(session=session).first()
    with pytest.raises(ProtectedError):
        record.delete()
    with pytest.raises(ProtectedError):
        SessionRecord.objects.filter(session=session).update(kind="x")


def test_refusals_are_translated(world, council, session):
    chair = fresh(world["organiser_here"])
    run(session, chair, "check_in")
    with pytest.raises(Conflict) as raised:
        run(session, chair, "open_session")
    assert str(raised.value.message) == "未达到法定人数：到会 1 人，需要 4 人。"


def test_members_are_told_when_a_session_is_called(council, session):
    from civic.models import Notification

    assert Notification.objects.filter(kind="session.scheduled", recipient__in=council.people).count() == 5
