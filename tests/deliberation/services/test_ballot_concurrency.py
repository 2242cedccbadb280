"""200 parallel voters, each posting twice, on PostgreSQL: exactly 200 ballots, counts exact."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from civic.errors import Conflict
from civic.models import AreaRole
from deliberation import selectors, services
from deliberation.models import Ballot, BallotBox, Participation, TurnoutShare
from tests.factories import UserFactory, make_area_tree
from tests.world import verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_hundred_voters_posting_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    tree = make_area_tree()
    official = UserFactory()
    AreaRole.objects.create(user=official, area=tree["city"], role="official")
    box = services.box_create(
        actor=official, area=tree["city"], kind="budget", title="并发投票测试", budget=100, rule="greedy"
    )
    for title, cost in [("甲", 60), ("乙", 50), ("丙", 30)]:
        services.option_add(actor=official, box=box, title=title, cost=cost)
    now = timezone.now()
    services.box_schedule(
        actor=official, box=box, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)
    )
    voters = [UserFactory() for _ in range(200)]
    for i, person in enumerate(voters):
        verify(person, tree["cells"][i % len(tree["cells"])])

    outcomes = {"cast": 0, "refused": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def worker(batch):
        try:
            barrier.wait()
            for person, choice in batch:
                try:
                    services.vote_cast(user=person, box=BallotBox(pk=box.pk), choices=choice)
                    key = "cast"
                except Conflict:
                    key = "refused"
                with lock:
                    outcomes[key] += 1
        finally:
            connections.close_all()

    requests = [(p, ["1"] if i % 2 else ["2", "3"]) for i, p in enumerate(voters)] * 2
    threads = [threading.Thread(target=worker, args=(requests[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {"cast": 200, "refused": 200}
    assert Ballot.objects.filter(box=box).count() == 200 and Participation.objects.filter(box=box).count() == 200
    # exact while open: the online ballots are in the box's shares (the row itself is not written) ...
    assert BallotBox.objects.get(pk=box.pk).turnout == 0
    assert sum(TurnoutShare.objects.filter(box=box).values_list("n", flat=True)) == 200
    assert BallotBox.objects.get(pk=box.pk).turnout_now == 200
    assert selectors.with_turnout(BallotBox.objects.filter(pk=box.pk)).get().turnout_now == 200
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    tallied = services.box_tally(box=box)
    # ... and folded into the row by the count
    assert not TurnoutShare.objects.filter(box=box).exists()
    assert BallotBox.objects.get(pk=box.pk).turnout == BallotBox.objects.get(pk=box.pk).turnout_now == 200
    result = tallied.result
    votes = {r["project_id"]: r["votes"] for r in result["options"]}
    assert votes == {"1": 100, "2": 100, "3": 100}


def test_a_ballot_waiting_on_a_closing_box_is_refused_not_left_out_of_the_count():
    """The box closes (row locked, closing time set) while a ballot is on its way: the ballot must see the
    close and be refused, not slip in after the count has read the ballots."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import transaction

    tree = make_area_tree()
    official = UserFactory()
    AreaRole.objects.create(user=official, area=tree["city"], role="official")
    box = services.box_create(actor=official, area=tree["city"], kind="question", title="关门时的选票")
    now = timezone.now()
    services.box_schedule(
        actor=official, box=box, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)
    )
    voter = UserFactory()
    verify(voter, tree["cells"][0])
    locked, done = threading.Event(), threading.Event()

    def closer():
        try:
            with transaction.atomic():
                BallotBox.objects.select_for_update().get(pk=box.pk)
                locked.set()
                done.wait(0.5)  # the ballot arrives meanwhile
                BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
        finally:
            connections.close_all()

    thread = threading.Thread(target=closer)
    thread.start()
    locked.wait(5)
    with pytest.raises(Conflict) as refused:
        services.vote_cast(user=voter, box=BallotBox(pk=box.pk), choices=["yes"])
    thread.join()
    assert refused.value.code == "box_not_open"
    assert (
        not Ballot.objects.filter(box_id=box.pk).exists() and not Participation.objects.filter(box_id=box.pk).exists()
    )


def _open_question_box(tree, official):
    box = services.box_create(actor=official, area=tree["city"], kind="question", title="边投边计票")
    now = timezone.now()
    services.box_schedule(
        actor=official, box=box, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)
    )
    return box


def test_closing_and_counting_while_ballots_stream_in_leaves_none_half_counted():
    """Twenty voters keep casting while an official closes and counts the box. A ballot takes a shared lock
    of the box's row first, the count an exclusive one: every ballot is either in the count or refused and
    gone, none waits for the other in a circle (no deadlock), and the turnout is exact."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    tree = make_area_tree()
    official = UserFactory()
    AreaRole.objects.create(user=official, area=tree["city"], role="official")
    box = _open_question_box(tree, official)
    voters = [UserFactory() for _ in range(200)]
    for i, person in enumerate(voters):
        verify(person, tree["cells"][i % len(tree["cells"])])

    outcomes: dict[str, int] = {"cast": 0, "refused": 0}
    errors: list[BaseException] = []
    lock = threading.Lock()
    started = threading.Barrier(21)

    def voter(batch):
        try:
            started.wait()
            for person in batch:
                try:
                    services.vote_cast(user=person, box=BallotBox(pk=box.pk), choices=["yes"])
                    key = "cast"
                except Conflict as refused:
                    assert refused.code == "box_not_open"
                    key = "refused"
                with lock:
                    outcomes[key] += 1
        except BaseException as error:  # a deadlock or anything else the database refused
            errors.append(error)
        finally:
            connections.close_all()

    def closer():
        try:
            started.wait()
            while True:  # close once some ballots are in and more are on their way
                with lock:
                    if outcomes["cast"] >= 30:
                        break
                threading.Event().wait(0.005)
            services.box_close_now(actor=official, box=BallotBox(pk=box.pk))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=voter, args=(voters[i::20],)) for i in range(20)]
    threads.append(threading.Thread(target=closer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert outcomes["cast"] + outcomes["refused"] == 200 and outcomes["cast"] >= 30
    box.refresh_from_db()
    assert box.state == "tallied"
    assert box.turnout == box.result["turnout"] == outcomes["cast"]
    assert Ballot.objects.filter(box=box).count() == Participation.objects.filter(box=box).count() == outcomes["cast"]
    assert box.result["votes"]["yes"] == outcomes["cast"]


def test_a_ballot_holding_the_box_is_in_the_count_that_waited_for_it():
    """The other order: a ballot has raised the turnout (holding the box's shared lock) and not yet
    committed when the count starts; the count waits for it and counts it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from deliberation.services import ballots as ballot_services

    tree = make_area_tree()
    official = UserFactory()
    AreaRole.objects.create(user=official, area=tree["city"], role="official")
    box = _open_question_box(tree, official)
    voter = UserFactory()
    verify(voter, tree["cells"][0])
    holding, counted = threading.Event(), threading.Event()
    counted_meanwhile: list[bool] = []
    original = ballot_services._turnout_add

    def turnout_add_then_linger(b):
        locked = original(b)
        holding.set()
        counted.wait(1)  # the count cannot finish while this ballot holds the box
        counted_meanwhile.append(counted.is_set())
        return locked

    def count():
        try:
            holding.wait(5)
            services.box_close_now(actor=official, box=BallotBox(pk=box.pk))
            counted.set()
        finally:
            connections.close_all()

    ballot_services._turnout_add = turnout_add_then_linger
    thread = threading.Thread(target=count)
    thread.start()
    try:
        services.vote_cast(user=voter, box=BallotBox(pk=box.pk), choices=["no"])
    finally:
        ballot_services._turnout_add = original
        thread.join()
    assert counted_meanwhile == [False]  # the count waited for the ballot's commit
    box.refresh_from_db()
    assert box.state == "tallied" and box.turnout == box.result["turnout"] == 1
    assert box.result["votes"]["no"] == 1


def test_voters_of_one_box_do_not_wait_for_each_other():
    """A ballot that has raised the turnout and not yet committed holds the box only shared: another voter of
    the same box casts and commits meanwhile (in another of the box's shares), and both count."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from deliberation.services import ballots as ballot_services

    tree = make_area_tree()
    official = UserFactory()
    AreaRole.objects.create(user=official, area=tree["city"], role="official")
    box = _open_question_box(tree, official)
    first, second = UserFactory(), UserFactory()
    verify(first, tree["cells"][0])
    verify(second, tree["cells"][1])
    holding, other_done = threading.Event(), threading.Event()
    done_meanwhile: list[bool] = []
    original = ballot_services._turnout_add
    slots = iter([0, 1])  # two different shares: the same one would make the second wait, as it should

    def turnout_add_then_linger(b):
        original(b)
        if not holding.is_set():
            holding.set()
            other_done.wait(5)  # the other voter is not held up by this open transaction
            done_meanwhile.append(other_done.is_set())

    def other():
        try:
            holding.wait(5)
            services.vote_cast(user=second, box=BallotBox(pk=box.pk), choices=["yes"])
            other_done.set()
        finally:
            connections.close_all()

    ballot_services._turnout_add = turnout_add_then_linger
    randbelow = ballot_services.secrets.randbelow
    ballot_services.secrets.randbelow = lambda n: next(slots)
    thread = threading.Thread(target=other)
    thread.start()
    try:
        services.vote_cast(user=first, box=BallotBox(pk=box.pk), choices=["no"])
    finally:
        ballot_services._turnout_add = original
        ballot_services.secrets.randbelow = randbelow
        thread.join()
    assert done_meanwhile == [True]
    assert BallotBox.objects.get(pk=box.pk).turnout_now == 2
    services.box_close_now(actor=official, box=BallotBox(pk=box.pk))
    box.refresh_from_db()
    assert box.turnout == box.result["turnout"] == 2 and box.result["votes"]["yes"] == box.result["votes"]["no"] == 1
