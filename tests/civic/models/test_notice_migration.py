"""Notices published while they lived in funding are the same rows in civic after the migration: same ids,
texts, areas, publishers and corrections, still append-only, and new notices number on from them."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from tests.factories import UserFactory, make_area_tree

BEFORE = [("civic", "0004_calendar"), ("funding", "0003_ledger_notices_append_only")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_notices_keep_their_ids_content_and_corrections_when_they_move_to_civic():
    areas = make_area_tree()
    official = UserFactory()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        FundingNotice = old_apps.get_model("funding", "OutcomeNotice")
        decided = timezone.now() - timedelta(days=3)
        first = FundingNotice.objects.create(
            area_id=areas["district"].pk,
            area_path=areas["district"].path,
            kind="award",
            title="预拨奖补公示",
            body="拟奖补 ¥36,000.00。",
            source_key="award:7",
            source_url="/projects/3/",
            decided_at=decided,
            published_at=decided + timedelta(days=1),
            published_by_id=official.pk,
        )
        second = FundingNotice.objects.create(
            area_id=areas["district"].pk,
            area_path=areas["district"].path,
            kind="award",
            title="更正：预拨奖补公示",
            body="拟奖补 ¥30,000.00。",
            source_key="award:7",
            decided_at=decided,
            published_at=decided + timedelta(days=2),
            published_by_id=official.pk,
            corrects=first,
        )
    finally:
        _migrate(leaves)

    from civic.models import OutcomeNotice

    moved = {n.pk: n for n in OutcomeNotice.objects.select_related("area", "published_by", "corrects")}
    assert set(moved) == {first.pk, second.pk}
    old, new = moved[first.pk], moved[second.pk]
    assert (old.title, old.body, old.kind, old.source_key, old.source_url) == (
        "预拨奖补公示",
        "拟奖补 ¥36,000.00。",
        "award",
        "award:7",
        "/projects/3/",
    )
    assert old.area == areas["district"] and old.published_by == official and old.decided_at == decided
    assert new.corrects == old and list(old.corrections.all()) == [new]
    with translation.override("en"):
        assert old.get_kind_display() == "award under public notice"  # funding registered the kind

    later = OutcomeNotice.objects.create(
        area=areas["city"],
        area_path=areas["city"].path,
        kind="other",
        title="新公告",
        body="正文",
        decided_at=decided,
        published_by=official,
    )
    assert later.pk > second.pk  # the numbering goes on

    if connection.vendor == "postgresql":  # the trigger moved with the table
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE civic_outcomenotice SET title = 'x' WHERE id = %s", [first.pk])
        assert OutcomeNotice.objects.get(pk=first.pk).title == "预拨奖补公示"
