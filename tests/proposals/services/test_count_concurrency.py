"""Proposals published, withdrawn and co-signed in parallel while others read the list's kept count: the
count read afterwards is exactly COUNT(*) (a count kept by a reader racing a write is never taken for
the newer version)."""

import threading

import pytest
from django.db import connection, connections

from civic.models import AreaLevel
from civic.services import area_create
from proposals import selectors, services
from proposals.models import AreaPolicy, Category, Proposal
from tests.factories import UserFactory
from tests.world import verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FILTERS = [{}, {"state": "collecting"}, {"state": "withdrawn"}, {"state": "published"}]


def _truth(area=None, **filters):
    return selectors.proposal_list(area=area, **filters).count()


def test_parallel_writes_and_reads_leave_every_count_exact():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    city = area_create(code="68", name="六八市", level=AreaLevel.CITY)
    district = area_create(code="6801", name="区", level=AreaLevel.DISTRICT, parent=city)
    sub = area_create(code="6801001", name="街道", level=AreaLevel.SUBDISTRICT, parent=district)
    community = area_create(code="6801001001", name="社区", level=AreaLevel.COMMUNITY, parent=sub)
    cell = area_create(code="6801001001001", name="网格", level=AreaLevel.GRID, parent=community)
    AreaPolicy.objects.create(area=city, endorsement_threshold=1000, collection_days=30, response_working_days=15)
    category = Category.objects.create(name="测试")
    authors = [UserFactory() for _ in range(6)]
    signers = [UserFactory() for _ in range(6)]
    for person in authors + signers:
        verify(person, cell)
    seed = services.proposal_publish(
        actor=authors[0],
        proposal=services.proposal_create(
            author=authors[0],
            title="并发计数",
            body="同时发生的写与读，计数要准确。",
            category=category,
            area=community,
        ),
    )
    for filters in FILTERS:  # kept before the race
        selectors.proposal_count(**filters)

    barrier = threading.Barrier(len(authors) + len(signers) + 3)
    errors = []

    def write(author):
        try:
            barrier.wait()
            for n in range(4):
                proposal = services.proposal_create(
                    author=author,
                    title=f"并发建议 {n}",
                    body="并发发布的一条建议的内容。",
                    category=category,
                    area=community,
                )
                proposal = services.proposal_publish(actor=author, proposal=proposal)
                if n % 2:
                    services.proposal_withdraw(actor=author, proposal=Proposal(pk=proposal.pk))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def sign(person):
        try:
            barrier.wait()
            services.proposal_endorse(user=person, proposal=Proposal(pk=seed.pk))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def read(_i):
        try:
            barrier.wait()
            for _ in range(30):
                for filters in FILTERS:
                    selectors.proposal_count(**filters)
                    selectors.proposal_count(area=community, **filters)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(a,)) for a in authors]
    threads += [threading.Thread(target=sign, args=(s,)) for s in signers]
    threads += [threading.Thread(target=read, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _truth() == 1 + 6 * 4
    for filters in FILTERS:
        assert selectors.proposal_count(**filters) == _truth(**filters), filters
        assert selectors.proposal_count(area=city, **filters) == _truth(area=city, **filters), filters
        assert selectors.proposal_count(area=community, **filters) == _truth(area=community, **filters), filters
    assert selectors.proposal_count(state="withdrawn") == 6 * 2
    assert Proposal.objects.get(pk=seed.pk).endorsement_count == len(signers)
