"""Voting with a resident in person (代办) and on paper: one ballot per person across every channel; the
assisted participation is recorded, the secret choice is not tied to the staff member."""

import pytest

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry
from civic.services import area_create
from deliberation import selectors, services
from deliberation.models import Ballot, Participation
from tests.civic.assisted import register
from tests.world import fresh

BOOTH_LINE = "王秀兰, 一网格, 123x"


def test_an_assisted_secret_vote_is_counted_and_not_tied_to_the_staff_member(world, pb):
    person = register(world)
    ballot, code = services.vote_cast(
        user=person, box=pb, choices=["1", "3"], assisted_by=fresh(world["organiser_here"])
    )
    participation = Participation.objects.get(box=pb, user=person)
    assert (participation.channel, participation.assisted_by) == ("assisted", world["organiser_here"])
    ballot = Ballot.objects.get(pk=ballot.pk)
    assert (ballot.voter, ballot.channel) == (None, "online")
    assert selectors.receipt_check(code).box == pb
    entry = AuditEntry.objects.get(action="ballot.voted")
    assert (entry.actor, entry.assisted_by, entry.before, entry.after) == (person, world["organiser_here"], None, None)
    pb.refresh_from_db()
    assert pb.turnout_now == 1


def test_staff_of_another_area_cannot_vote_for_the_resident(world, pb):
    person = register(world)
    with pytest.raises(NotAllowed):
        services.vote_cast(user=person, box=pb, choices=["1"], assisted_by=fresh(world["organiser_elsewhere"]))
    assert not Participation.objects.exists()


def test_online_then_paper_is_refused(world, pb):
    person = register(world)
    services.vote_cast(user=person, box=pb, choices=["1"], assisted_by=fresh(world["organiser_here"]))
    with pytest.raises(Conflict) as error:
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]), box=pb, label="一站", voters=[BOOTH_LINE], ballots=[["2"]]
        )
    assert error.value.code == "already_voted" and "王秀兰" in str(error.value)
    assert Ballot.objects.filter(box=pb).count() == 1


def test_paper_then_online_is_refused(world, pb):
    person = register(world)
    services.paper_batch_enter(
        actor=fresh(world["organiser_here"]),
        box=pb,
        label="一站",
        voters=[BOOTH_LINE, world["resident"].email],
        ballots=[["2"], ["3"]],
    )
    assert set(Participation.objects.filter(box=pb).values_list("channel", flat=True)) == {"paper"}
    with pytest.raises(Conflict) as error:
        services.vote_cast(user=person, box=pb, choices=["1"], assisted_by=fresh(world["organiser_here"]))
    assert error.value.code == "voted_on_paper"
    with pytest.raises(Conflict):
        services.vote_cast(user=world["resident"], box=pb, choices=["1"])
    assert Ballot.objects.filter(box=pb).count() == 2


def test_booth_lines_find_people_by_phone_and_refuse_unknown_and_ambiguous(world, pb):
    register(world)
    with pytest.raises(InvalidInput) as error:
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]), box=pb, label="一站", voters=["王秀兰, 一网格, 0000"], ballots=[["1"]]
        )
    assert error.value.code == "voters_unknown" and error.value.field == "voters"
    # A second cell named 一网格 in 一社区, with a namesake holding the same ID characters.
    world.areas["twin"] = area_create(code="7701001001003", name="一网格", level="grid", parent=world["C1"])
    register(world, phone="", cell="twin")
    with pytest.raises(InvalidInput) as error:
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]), box=pb, label="一站", voters=[BOOTH_LINE], ballots=[["1"]]
        )
    assert error.value.code == "voters_unknown" and BOOTH_LINE in str(error.value)
    services.paper_batch_enter(  # the cell's code tells them apart
        actor=fresh(world["organiser_here"]),
        box=pb,
        label="一站",
        voters=["王秀兰 7701001001003 123X"],
        ballots=[["2"]],
    )
    services.paper_batch_enter(
        actor=fresh(world["organiser_here"]), box=pb, label="二站", voters=["13800138000"], ballots=[["1"]]
    )
    assert Participation.objects.filter(box=pb, channel="paper").count() == 2


def test_the_same_person_twice_in_a_batch_is_refused(world, pb):
    register(world)
    with pytest.raises(InvalidInput) as error:
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]),
            box=pb,
            label="一站",
            voters=[BOOTH_LINE, "+86 138 0013 8000"],
            ballots=[["1"], ["2"]],
        )
    assert error.value.code == "voter_twice"
    assert not Participation.objects.exists()
