"""Races that only a real database can show: run on PostgreSQL (skipped on SQLite)."""

import threading

import pytest
from django.db import connection, connections

from civic import services
from civic.errors import Conflict
from civic.models import AreaRole, ResidencyVerification
from tests.factories import UserFactory, make_area_tree

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def _parallel(n, fn):
    barrier = threading.Barrier(n)
    outcomes = []

    def run(i):
        try:
            barrier.wait()
            outcomes.append(fn(i))
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_parallel_requests_by_one_person_make_one_verification():
    tree = make_area_tree()
    person = UserFactory()
    outcomes = _parallel(
        8, lambda i: services.verification_request(user=person, cell=tree["cells"][i % 2], address=f"某路 {i} 号")
    )
    assert ResidencyVerification.objects.filter(user=person).count() == 1
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["verification_active"] * 7


def test_parallel_approvals_decide_once():
    tree = make_area_tree()
    deciders = [UserFactory() for _ in range(4)]
    for d in deciders:
        AreaRole.objects.create(user=d, area=tree["subdistrict"], role="organiser")
    v = ResidencyVerification.objects.create(user=UserFactory(), cell=tree["cells"][0], address="某路 1 号")
    outcomes = _parallel(4, lambda i: services.verification_approve(verification=v, actor=deciders[i]))
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["verification_not_pending"] * 3
    from civic.models import AuditEntry

    assert AuditEntry.objects.filter(action="verification.approved").count() == 1
