"""200 parallel voters, each posting twice, on PostgreSQL: exactly 200 ballots, counts exact."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from civic.errors import Conflict
from civic.models import AreaRole
from deliberation import services
from deliberation.models import Ballot, BallotBox, Participation
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
    assert BallotBox.objects.get(pk=box.pk).turnout == 200
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    result = services.box_tally(box=box).result
    votes = {r["project_id"]: r["votes"] for r in result["options"]}
    assert votes == {"1": 100, "2": 100, "3": 100}
