"""200 parallel co-signature requests from 100 people (each twice): exactly 100, counted exactly."""

import threading

import pytest
from django.db import connection, connections

from civic.errors import Conflict
from civic.models import AreaLevel
from civic.services import area_create
from proposals import services
from proposals.models import AreaPolicy, Category, Endorsement, Proposal
from tests.factories import UserFactory
from tests.world import verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_endorsements_are_counted_exactly():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    city = area_create(code="66", name="六六市", level=AreaLevel.CITY)
    district = area_create(code="6601", name="区", level=AreaLevel.DISTRICT, parent=city)
    sub = area_create(code="6601001", name="街道", level=AreaLevel.SUBDISTRICT, parent=district)
    community = area_create(code="6601001001", name="社区", level=AreaLevel.COMMUNITY, parent=sub)
    cell = area_create(code="6601001001001", name="网格", level=AreaLevel.GRID, parent=community)
    AreaPolicy.objects.create(area=city, endorsement_threshold=1000, collection_days=30, response_working_days=15)
    people = [UserFactory() for _ in range(100)]
    for person in people:
        verify(person, cell)
    proposal = services.proposal_create(
        author=people[0],
        title="并发联署测试",
        body="两百个请求同时到达。",
        category=Category.objects.create(name="测试"),
        area=community,
    )
    proposal = services.proposal_publish(actor=people[0], proposal=proposal)

    barrier = threading.Barrier(20)
    outcomes = {"ok": 0, "conflict": 0}
    lock = threading.Lock()

    def worker(batch):
        try:
            barrier.wait()
            for person in batch:
                try:
                    services.proposal_endorse(user=person, proposal=Proposal(pk=proposal.pk))
                    key = "ok"
                except Conflict:
                    key = "conflict"
                with lock:
                    outcomes[key] += 1
        finally:
            connections.close_all()

    requests = people + people  # each person twice
    threads = [threading.Thread(target=worker, args=(requests[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {"ok": 100, "conflict": 100}
    assert Endorsement.objects.filter(proposal=proposal).count() == 100
    assert Proposal.objects.get(pk=proposal.pk).endorsement_count == 100
