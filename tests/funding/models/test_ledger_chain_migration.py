"""Entries written before the hash chain are hashed by the migration, in id order from the genesis value,
through the append-only triggers, which are back afterwards; new postings continue the chain."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from civic.appendonly import install_protection
from funding import chain
from funding.ledger_check import check_chain
from tests.funding.selectors.test_ledger_check import make_project

BEFORE = [("funding", "0004_outcome_notice_to_civic")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_entries_are_hashed_in_order_through_the_triggers_which_come_back(world):
    project = make_project(world, "旧账项目")
    clerk = world["official_here"]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    moment = timezone.now() - timedelta(days=30)
    try:
        old_apps = _migrate(BEFORE)
        install_protection()  # as the migrate command's post_migrate would: the old table is protected
        OldEntry = old_apps.get_model("funding", "LedgerEntry")
        old = [
            OldEntry.objects.create(
                project_id=project.pk,
                area_id=project.area_id,
                year=2025,
                kind=kind,
                amount=Decimal(amount),
                memo=memo,
                created_by_id=clerk.pk,
                created_at=moment + timedelta(seconds=n, microseconds=123456),
            )
            for n, (kind, amount, memo) in enumerate(
                [("commitment", "5000", "居民自筹"), ("award", "840", ""), ("settlement", "840.5", "结算")]
            )
        ]
        old.append(
            OldEntry.objects.create(
                project_id=project.pk,
                area_id=project.area_id,
                year=2025,
                kind="settlement",
                amount=Decimal("-840.50"),
                reverses_id=old[2].pk,
                created_by_id=clerk.pk,
                created_at=moment + timedelta(seconds=9),
            )
        )
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE funding_ledgerentry SET amount = 1 WHERE id = %s", [old[1].pk])
    finally:
        _migrate(leaves)
        install_protection()

    from funding.models import LedgerEntry

    entries = list(LedgerEntry.objects.order_by("id"))
    assert [e.pk for e in entries] == [e.pk for e in old]
    assert entries[0].prev_hash == chain.GENESIS
    for before, entry in zip([None, *entries], entries, strict=False):
        assert entry.prev_hash == (before.entry_hash if before else chain.GENESIS)
        assert entry.entry_hash == chain.entry_hash(**entry.hashed_fields())  # the migration's copy agrees
    assert check_chain() == ([], entries[-1].entry_hash)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funding_ledgerentry SET amount = 1 WHERE id = %s", [entries[1].pk])
    new = LedgerEntry.objects.create(
        project=project, area=project.area, year=2026, kind="commitment", amount=Decimal("1"), created_by=clerk
    )
    assert new.prev_hash == entries[-1].entry_hash
    assert check_chain() == ([], new.entry_hash)
