"""Every append-only table refuses UPDATE and DELETE in the database itself, on SQLite and PostgreSQL, with no
SQL written for it: the tables are found in the app registry, so one added later is covered too."""

import datetime
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from civic.appendonly import FLUSH_BYPASS_TABLE, append_only_models, trigger_names
from civic.models import AuditEntry

APPEND_ONLY = append_only_models()


class _Rollback(Exception):
    pass


def _value(field: models.Field):
    """A value the column accepts; foreign keys point at id 1 (checked only at commit, which never comes)."""
    if field.choices:
        return next(iter(field.flatchoices))[0]
    if isinstance(field, models.ForeignKey):
        return 1
    kinds = [
        (models.BooleanField, False),
        ((models.IntegerField, models.FloatField), 1),
        (models.DecimalField, Decimal("1")),
        (models.DateTimeField, timezone.now()),
        (models.DateField, datetime.date(2026, 1, 1)),
        (models.JSONField, {}),
        (models.UUIDField, uuid.uuid4()),
        ((models.CharField, models.TextField), "x"),
    ]
    for kind, value in kinds:
        if isinstance(field, kind):
            return value
    raise AssertionError(f"teach _value a column like {field!r}")


def _insert_row(model) -> int:
    """One row of `model` through raw SQL (no model code involved), returning its id."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.null]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(_value(f), connection) for f in fields]
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", values)
        cursor.execute(f"SELECT MAX({pk}) FROM {table}")
        return cursor.fetchone()[0]


def _refused(sql: str, params) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


def test_the_registry_finds_the_append_only_tables():
    tables = {m._meta.db_table for m in APPEND_ONLY}
    assert {"civic_auditentry", "deliberation_sessionrecord", "funding_ledgerentry"} <= tables
    assert any(m.__name__ == "OutcomeNotice" for m in APPEND_ONLY)  # wherever it lives


@pytest.mark.django_db
@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_the_database_refuses_to_update_or_delete_a_row(model):
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    with pytest.raises(_Rollback), transaction.atomic():  # the row and its dangling keys never commit
        row = _insert_row(model)
        assert _refused(f"UPDATE {table} SET {pk} = {pk} WHERE {pk} = %s", [row])
        assert _refused(f"DELETE FROM {table} WHERE {pk} = %s", [row])
        assert _refused(f"DELETE FROM {table}", [])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {pk} = %s", [row])
            assert cursor.fetchone()[0] == 1
        raise _Rollback


@pytest.mark.django_db
def test_a_missing_trigger_comes_back_with_the_next_migrate(user):
    entry = AuditEntry.objects.create(actor=user, action="test.action")
    update = "UPDATE civic_auditentry SET action = 'x' WHERE id = %s"
    for name in trigger_names(connection.vendor, "civic_auditentry"):
        on_table = " ON civic_auditentry" if connection.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}{on_table}")
    with transaction.atomic():
        assert not _refused(update, [entry.pk])
        transaction.set_rollback(True)
    call_command("migrate", verbosity=0)  # nothing to migrate; post_migrate puts the trigger back
    assert _refused(update, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_empty_the_database(user):
    AuditEntry.objects.create(actor=user, action="test.action")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_on_sqlite_only_the_flushing_connection_passes_and_only_to_delete(user):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL empties a test database with TRUNCATE, which row triggers do not see")
    entry = AuditEntry.objects.create(actor=user, action="test.action")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {FLUSH_BYPASS_TABLE} (flushing INTEGER)")
    try:
        assert _refused("UPDATE civic_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
        assert not _refused("DELETE FROM civic_auditentry WHERE id = %s", [entry.pk])
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE temp.{FLUSH_BYPASS_TABLE}")
    assert not AuditEntry.objects.exists()


def test_no_code_outside_the_test_suite_opens_the_flush_bypass():
    root = Path(__file__).resolve().parents[3]
    folders = [p for p in root.iterdir() if p.is_dir() and p.name not in {"tests", ".venv", "var"}]
    sources = [root / "manage.py", *(path for folder in folders for path in folder.rglob("*.py"))]
    users = [p.relative_to(root).as_posix() for p in sources if "FLUSH_BYPASS_TABLE" in p.read_text(encoding="utf-8")]
    assert users == ["civic/appendonly.py"]
