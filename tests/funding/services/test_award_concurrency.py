"""On PostgreSQL: approvals that together would pass the area-year cap, and the same payment made twice at
the same moment. Exactly one of each gets through; the ledger shows it."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from civic.errors import Conflict
from funding import services
from funding.ledger_check import check_ledger
from funding.models import AwardStatus, EntryKind, LedgerEntry, SubsidyAward
from funding.services.awards import area_year_used

from ..conftest import end_notice, end_rating, plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls):
    """Run the calls at the same moment, one thread each; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Conflict as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_approvals_past_the_area_year_cap_let_exactly_one_through(fworld):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    w = fworld
    official = w["official_here"]
    # 250,000 cap: one award of 99,900 is approved; two more of 99,900 each fit alone but not together
    projects = [
        services.project_create(
            actor=official,
            area=w["C1"],
            implementer=w.organisation,
            **plan(title=f"并发项目{i}", budget_lines=[{"item": "工程", "amount": "333000"}]),
        )
        for i in range(3)
    ]
    awards = [services.award_compute(actor=official, project=p, stage="provisional") for p in projects]
    for award in awards:
        end_notice(award)
    services.award_approve(actor=official, award=awards[0])
    results = race([lambda a=a: services.award_approve(actor=official, award=a) for a in awards[1:]])
    approved = [r for r in results if isinstance(r, SubsidyAward)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(approved) == 1 and len(refused) == 1
    assert refused[0].code == "area_year_cap_exceeded"
    assert SubsidyAward.objects.filter(status=AwardStatus.APPROVED).count() == 2
    assert area_year_used(w["D1"], approved[0].charge_year) == Decimal("199800.00")
    assert check_ledger() == []


def test_the_same_advance_paid_twice_at_once_is_paid_once(fworld):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    w = fworld
    official = w["official_here"]
    project = services.project_create(actor=official, area=w["C1"], implementer=w.organisation, **plan())
    award = services.award_compute(actor=official, project=project, stage="provisional")
    end_notice(award)
    award = services.award_approve(actor=official, award=award)
    services.project_start(actor=w["representative"], project=project)
    results = race([lambda: services.advance_pay(actor=official, award=award, condition="start")] * 2)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "LedgerEntry"]
    assert LedgerEntry.objects.filter(project=project, kind=EntryKind.ADVANCE).count() == 1


def test_the_database_refuses_to_change_a_ledger_entry(fworld):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import DatabaseError, transaction

    w = fworld
    project = services.project_create(actor=w["official_here"], area=w["C1"], implementer=w.organisation, **plan())
    entry = services.commitment_add(
        actor=w["official_here"], project=project, source="enterprise", funder="企业", amount="100"
    )
    row = LedgerEntry.objects.get(commitment=entry)
    for sql in (
        "UPDATE funding_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM funding_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert LedgerEntry.objects.get(pk=row.pk).amount == Decimal("100.00")


def test_an_approval_and_a_cancellation_at_once_leave_nothing_charged(fworld):
    """Whichever goes first, a cancelled project charges nothing to its area-year (no deadlock either)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    w = fworld
    official = w["official_here"]
    project = services.project_create(actor=official, area=w["C1"], implementer=w.organisation, **plan())
    award = services.award_compute(actor=official, project=project, stage="provisional")
    end_notice(award)
    results = race(
        [
            lambda: services.award_approve(actor=official, award=award),
            lambda: services.project_cancel(actor=official, project=project, reason="方案调整"),
        ]
    )
    assert type(results[1]).__name__ == "MicroProject"
    assert isinstance(results[0], SubsidyAward | Conflict)
    award.refresh_from_db()
    assert award.status == AwardStatus.CANCELLED
    assert area_year_used(w["D1"], timezone.localdate().year) == Decimal("0.00")
    assert check_ledger() == []


def test_an_advance_and_the_settlement_at_once_agree_on_what_was_advanced(fworld, project):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from .test_awards import _through_acceptance, approved_provisional

    w = fworld
    official = w["official_here"]
    award = approved_provisional(w, project)
    _through_acceptance(w, project)
    end_rating(project)
    advance, settlement = race(
        [
            lambda: services.advance_pay(actor=official, award=award, condition="completion"),
            lambda: services.award_compute(actor=official, project=project, stage="settlement"),
        ]
    )
    assert isinstance(settlement, SubsidyAward)
    advanced = Decimal("28800.00") if isinstance(advance, LedgerEntry) else Decimal("0.00")
    assert LedgerEntry.objects.filter(project=project, kind=EntryKind.ADVANCE).count() == (1 if advanced else 0)
    assert settlement.payout == Decimal("35400.00") - advanced
    end_notice(settlement)
    services.award_approve(actor=official, award=settlement)  # not stale: it counted what was advanced
    assert check_ledger() == []


def test_postings_at_the_same_moment_extend_the_chain_one_after_the_other(fworld):
    """Six postings at once: the chain is held while each links, so all are written, none forks it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from funding.ledger_check import check_chain
    from funding.services.ledger import ledger_post

    w = fworld
    official = w["official_here"]
    project = services.project_create(actor=official, area=w["C1"], implementer=w.organisation, **plan())
    before = LedgerEntry.objects.count()
    results = race(
        [
            lambda n=n: ledger_post(project=project, kind=EntryKind.COMMITMENT, amount=Decimal(n + 1), actor=official)
            for n in range(6)
        ]
    )
    assert all(isinstance(r, LedgerEntry) for r in results), results
    assert LedgerEntry.objects.count() == before + 6
    problems, head = check_chain()
    assert problems == [] and head == LedgerEntry.objects.latest("id").entry_hash
