from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry
from deliberation import selectors, services
from deliberation.models import Ballot, BallotBox, Participation
from proposals.models import Proposal
from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def residents(world, n, cell="c1a"):
    people = [UserFactory() for _ in range(n)]
    for person in people:
        verify(person, world[cell])
    return people


@pytest.fixture
def pb(world):
    box = services.box_create(
        actor=fresh(world["organiser_here"]), area=world["S1"], kind="budget", title="一街道微项目预算", budget=100
    )
    for title, cost in [("甲项目", 60), ("乙项目", 50), ("丙项目", 30), ("丁项目", 20)]:
        services.option_add(actor=fresh(world["organiser_here"]), box=box, title=title, cost=cost)
    now = timezone.now()
    return services.box_schedule(
        actor=fresh(world["organiser_here"]),
        box=box,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
    )


def close(box):
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return BallotBox.objects.get(pk=box.pk)


def test_preparing_a_box_is_for_the_areas_staff(world):
    with pytest.raises(NotAllowed):
        services.box_create(
            actor=fresh(world["organiser_elsewhere"]), area=world["S1"], kind="question", title="是否同意？"
        )
    with pytest.raises(InvalidInput) as raised:
        services.box_create(actor=fresh(world["official_here"]), area=world["S1"], kind="budget", title="预算投票")
    assert raised.value.code == "budget_missing"
    box = services.box_create(
        actor=fresh(world["official_here"]), area=world["S1"], kind="approval", title="选一个名字", max_choices=1
    )
    with pytest.raises(InvalidInput):
        services.box_schedule(
            actor=fresh(world["official_here"]),
            box=box,
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
        )
    assert not BallotBox.objects.get(pk=box.pk).opens_at


def test_only_qualified_proposals_of_the_area_become_options(world, make_proposal):
    box = services.box_create(
        actor=fresh(world["official_here"]), area=world["S1"], kind="budget", title="预算投票", budget=1000
    )
    p = make_proposal()
    with pytest.raises(InvalidInput) as raised:
        services.option_add(actor=fresh(world["official_here"]), box=box, proposal=p, cost=100)
    assert raised.value.code == "proposal_not_qualified"
    Proposal.objects.filter(pk=p.pk).update(state="qualified")
    option = services.option_add(
        actor=fresh(world["official_here"]), box=box, proposal=Proposal.objects.get(pk=p.pk), cost="100.50"
    )
    assert option.title == p.title and option.cost == Decimal("100.50")
    with pytest.raises(InvalidInput):
        services.option_add(actor=fresh(world["official_here"]), box=box, title="坏价格", cost="1.005")


def test_a_secret_ballot_is_kept_apart_from_who_voted(world, pb):
    person = residents(world, 1)[0]
    ballot, code = services.vote_cast(user=person, box=pb, choices=["1", "3"])
    assert code and len(code) == 14
    assert ballot.voter is None and ballot.choices == ["1", "3"]
    assert Participation.objects.filter(box=pb, user=person).exists()
    field_names = {f.name for f in Ballot._meta.get_fields()}
    assert not field_names & {"created_at", "user", "participation"}  # nothing to join or order by
    assert isinstance(ballot.pk, __import__("uuid").UUID)
    receipt = selectors.receipt_check(code)
    assert receipt.box.pk == pb.pk and receipt == selectors.receipt_check(code.lower().replace("-", ""))
    assert not hasattr(receipt, "choices")  # a receipt proves the ballot is in the box, never what it chose


def test_changing_a_secret_ballot_needs_its_receipt(world, pb):
    person = residents(world, 1)[0]
    _ballot, code = services.vote_cast(user=person, box=pb, choices=["1"])
    with pytest.raises(Conflict) as raised:
        services.vote_cast(user=person, box=pb, choices=["2"])
    assert raised.value.code == "receipt_needed"
    with pytest.raises(InvalidInput):
        services.vote_cast(user=person, box=pb, choices=["2"], receipt="AAAA-BBBB-CCCC")
    changed, new_code = services.vote_cast(user=person, box=pb, choices=["2", "4"], receipt=code)
    assert new_code is None and changed.choices == ["2", "4"]
    assert Ballot.objects.filter(box=pb).count() == 1 and BallotBox.objects.get(pk=pb.pk).turnout_now == 1


def test_open_ballots_change_directly_or_not_at_all(world):
    box = services.box_create(
        actor=fresh(world["official_here"]), area=world["C1"], kind="question", title="是否同意试行？", secret=False
    )
    now = timezone.now()
    services.box_schedule(actor=fresh(world["official_here"]), box=box, opens_at=now, closes_at=now + timedelta(days=1))
    person = residents(world, 1)[0]
    ballot, _code = services.vote_cast(user=person, box=box, choices=["yes"])
    assert ballot.voter == person
    services.vote_cast(user=person, box=box, choices=["no"])
    assert Ballot.objects.get(box=box).choices == ["no"]
    BallotBox.objects.filter(pk=box.pk).update(allow_change=False)
    with pytest.raises(Conflict) as raised:
        services.vote_cast(user=person, box=BallotBox.objects.get(pk=box.pk), choices=["yes"])
    assert raised.value.code == "already_voted"


@pytest.mark.parametrize(
    ("choices", "code"),
    [(["1", "2"], "over_budget"), (["9"], "option_unknown"), ([], "too_few")],
)
def test_bad_ballots_write_nothing(world, pb, choices, code):
    person = residents(world, 1)[0]
    with pytest.raises(InvalidInput) as raised:
        services.vote_cast(user=person, box=pb, choices=choices)
    assert raised.value.code == code
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_who_may_vote_and_when(world, pb):
    with pytest.raises(NotAllowed):
        services.vote_cast(user=fresh(world["resident_elsewhere"]), box=pb, choices=["1"])
    with pytest.raises(NotAllowed):
        services.vote_cast(user=fresh(world["unverified"]), box=pb, choices=["1"])
    box = close(pb)
    with pytest.raises(Conflict) as raised:
        services.vote_cast(user=fresh(world["resident"]), box=box, choices=["1"])
    assert raised.value.code == "box_not_open"


def test_results_are_counted_after_the_close_and_adopt_winning_proposals(world, make_proposal):
    box = services.box_create(
        actor=fresh(world["official_here"]),
        area=world["S1"],
        kind="budget",
        title="预算投票",
        budget=100,
        rule="greedy",
    )
    winner, loser = make_proposal(title="赢的建议"), make_proposal(title="输的建议")
    Proposal.objects.filter(pk__in=[winner.pk, loser.pk]).update(state="qualified")
    services.option_add(
        actor=fresh(world["official_here"]), box=box, proposal=Proposal.objects.get(pk=winner.pk), cost=80
    )
    services.option_add(
        actor=fresh(world["official_here"]), box=box, proposal=Proposal.objects.get(pk=loser.pk), cost=50
    )
    now = timezone.now()
    services.box_schedule(actor=fresh(world["official_here"]), box=box, opens_at=now, closes_at=now + timedelta(days=1))
    for person, choice in zip(residents(world, 3), [["1"], ["1"], ["2"]], strict=True):
        services.vote_cast(user=person, box=box, choices=choice)
    with pytest.raises(Conflict):
        services.box_tally(box=box)
    close(box)
    call_command("tick", verbosity=0)
    box = BallotBox.objects.get(pk=box.pk)
    assert box.state == "tallied" and box.result["selected"] == ["1"] and box.turnout == 3
    rows = {r["project_id"]: r for r in box.result["options"]}
    assert rows["1"]["votes"] == 2 and rows["2"]["reason"] == "greedy_no_room"
    assert Proposal.objects.get(pk=winner.pk).state == "adopted"
    assert Proposal.objects.get(pk=loser.pk).state == "not_adopted"
    call_command("tick", verbosity=0)  # idempotent
    assert AuditEntry.objects.filter(action="ballot.tallied", object_id=str(box.pk)).count() == 1


def test_questions_need_their_quorum(world):
    box = services.box_create(
        actor=fresh(world["official_here"]),
        area=world["C1"],
        kind="question",
        title="是否同意试行？",
        quorum_share="0.5",
    )
    now = timezone.now()
    services.box_schedule(actor=fresh(world["official_here"]), box=box, opens_at=now, closes_at=now + timedelta(days=1))
    people = residents(world, 5)  # with the resident of the world: 6 eligible in C1
    for person in people[:2]:
        services.vote_cast(user=person, box=box, choices=["yes"])
    box = services.box_tally(box=close(box))
    assert box.result["eligible"] == 6 and not box.result["quorum_met"] and not box.result["passed"]


def test_paper_batches(world, pb):
    people = residents(world, 3)
    with pytest.raises(InvalidInput) as raised:
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]), box=pb, label="一号投票点", voters=people, ballots=[["1"]]
        )
    assert raised.value.code == "batch_mismatch"
    with pytest.raises(NotAllowed):
        services.paper_batch_enter(
            actor=fresh(world["organiser_elsewhere"]), box=pb, label="x", voters=people[:1], ballots=[["1"]]
        )
    batch = services.paper_batch_enter(
        actor=fresh(world["organiser_here"]), box=pb, label="一号投票点", voters=people[:2], ballots=[["1"], ["2", "4"]]
    )
    assert batch.ballots == 2 and BallotBox.objects.get(pk=pb.pk).turnout == 2
    assert not Ballot.objects.filter(box=pb, voter__isnull=False).exists()
    assert AuditEntry.objects.filter(action="ballot.paper_batch").exists()
    with pytest.raises(Conflict) as raised:
        services.vote_cast(user=people[0], box=pb, choices=["3"])
    assert raised.value.code == "voted_on_paper"
    services.vote_cast(user=people[2], box=pb, choices=["3"])
    with pytest.raises(Conflict):
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]), box=pb, label="二号", voters=[people[2]], ballots=[["1"]]
        )
    assert Ballot.objects.filter(box=pb).count() == 3


def test_a_paper_batch_checks_its_voters_in_a_fixed_number_of_queries(world, pb, django_assert_max_num_queries):
    people = [fresh(p) for p in residents(world, 12)]
    outsider = residents(world, 1, cell="c2a")[0]
    # 16: one of them tells the box's pages and lists that its count changed (civic.pagecache, one insert)
    with django_assert_max_num_queries(16):
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]),
            box=pb,
            label="一号",
            voters=people[:2],
            ballots=[["1"]] * 2,
        )
    with django_assert_max_num_queries(16):
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]),
            box=pb,
            label="二号",
            voters=people[2:],
            ballots=[["2"]] * 10,
        )
    assert BallotBox.objects.get(pk=pb.pk).turnout == 12
    with pytest.raises(InvalidInput) as raised:
        services.paper_batch_enter(
            actor=fresh(world["organiser_here"]), box=pb, label="三号", voters=[fresh(outsider)], ballots=[["1"]]
        )
    assert raised.value.code == "not_eligible" and raised.value.field is None


def test_the_tick_counts_only_the_boxes_it_tallied_itself(world, pb, monkeypatch):
    """Another machine's tick counts the box between this tick's list of due boxes and its row lock:
    the box is counted once, and this tick does not claim it."""
    from deliberation.services import ballots

    close(pb)
    original = ballots._tally

    def other_machine_first(*, box, actor):
        original(box=box, actor=None)  # the other process, a moment earlier
        return original(box=box, actor=actor)

    monkeypatch.setattr(ballots, "_tally", other_machine_first)
    assert services.tally_closed_boxes() == 0
    assert BallotBox.objects.get(pk=pb.pk).state == "tallied"
    assert AuditEntry.objects.filter(action="ballot.tallied", object_id=str(pb.pk)).count() == 1
    monkeypatch.undo()
    assert services.tally_closed_boxes() == 0  # nothing left due
