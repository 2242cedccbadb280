"""Append-only tables, enforced by the database.

Every concrete subclass of `civic.models.AppendOnlyModel`, in any app, is protected twice: the ORM refuses
updates and deletes (the model and its queryset), and the database refuses them too, so raw SQL, a shell
or another program cannot change history either. Nothing is declared per table: after every
`manage.py migrate` (Django's `post_migrate` signal, connected in `civic.apps`), `install_protection`
looks up the subclasses in the app registry and creates whatever trigger is missing. A new append-only
table is protected by inheriting the base and running `migrate`; a table that moved or was rebuilt gets
its triggers back on the next `migrate`. (Between a migration that creates or rebuilds such a table and
the end of that `migrate` run, the table is not yet protected.)

PostgreSQL: one row trigger per table, `<table>_append_only`, BEFORE UPDATE OR DELETE, calls
`civic_refuse_change()`, which raises `restrict_violation` (an IntegrityError). CI and many deployments
connect as a superuser, so grants alone would prove nothing. TRUNCATE is not a row operation and stays
possible (Django's `flush` uses it to empty a test database).

SQLite (the embedded default): `<table>_append_only_update` refuses every UPDATE; `<table>_append_only_delete`
refuses every DELETE except on a connection that holds a temporary table named `FLUSH_BYPASS_TABLE`.
SQLite has no TRUNCATE, and Django empties a test database with DELETE (TransactionTestCase, the browser
tests' live server database), so the test runner needs a way through. A trigger of the main schema may
not name temp objects ("cannot reference objects in database temp"), but it may read the
`pragma_table_list` table-valued function (SQLite 3.37 or later), which lists the temp tables of the
connection that runs the statement. Only the test suite's flush hook (`tests/conftest.py`) creates that
temp table, on its own connection and only while Django's flush runs; no other connection (the live
server's, a production worker's) sees it. This guards against mistakes, not against someone with SQL
access who could as well drop a trigger.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import truncate_name
from django.db.models import Model

FLUSH_BYPASS_TABLE = "civic_appendonly_flushing"

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION civic_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def append_only_models() -> list[type[Model]]:
    """Every concrete model with its own table that inherits AppendOnlyModel, one per table."""
    from civic.models import AppendOnlyModel

    found: dict[str, type[Model]] = {}
    for model in global_apps.get_models():
        meta = model._meta
        if issubclass(model, AppendOnlyModel) and meta.managed and not meta.proxy:
            found.setdefault(meta.db_table, model)
    return list(found.values())


def trigger_names(vendor: str, table: str) -> list[str]:
    """The names of the triggers that protect `table` on a database of this vendor."""
    if vendor == "postgresql":
        return [truncate_name(f"{table}_append_only", 63)]  # PostgreSQL's identifier limit
    if vendor == "sqlite":
        return [f"{table}_append_only_update", f"{table}_append_only_delete"]
    return []


def _sqlite_statements(table: str) -> dict[str, str]:
    """Trigger name -> the CREATE TRIGGER statement, as SQLite stores it in sqlite_master."""
    update, delete = trigger_names("sqlite", table)
    quoted = f'"{table}"'

    def refuse(operation: str) -> str:
        return f"SELECT RAISE(ABORT, 'table {table} is append-only: {operation} refused');"

    flushing = f"SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = '{FLUSH_BYPASS_TABLE}'"
    return {
        update: f'CREATE TRIGGER "{update}" BEFORE UPDATE ON {quoted} BEGIN {refuse("UPDATE")} END',
        delete: f'CREATE TRIGGER "{delete}" BEFORE DELETE ON {quoted} WHEN NOT EXISTS ({flushing}) '
        f"BEGIN {refuse('DELETE')} END",
    }


def _install_sqlite(connection: BaseDatabaseWrapper, tables: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        existing = dict(cursor.fetchall())
        for table in tables:
            for name, sql in _sqlite_statements(table).items():
                if existing.get(name) == sql:
                    continue
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                cursor.execute(sql)


def _install_postgresql(connection: BaseDatabaseWrapper, tables: list[str]) -> None:
    with connection.cursor() as cursor:
        # the triggers already in place and enabled, on tables of the current search path
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE p.proname = 'civic_refuse_change' AND t.tgenabled IN ('O', 'A') "
            "AND c.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = ANY (current_schemas(false)))"
        )
        existing = set(cursor.fetchall())
        missing = [(table, trigger_names("postgresql", table)[0]) for table in tables]
        missing = [pair for pair in missing if pair not in existing]
        if not missing:
            return
        cursor.execute(PG_FUNCTION, None)  # no parameters: the % are PL/pgSQL placeholders
        for table, name in missing:  # OR REPLACE also enables a trigger someone disabled
            quoted_table, quoted_name = connection.ops.quote_name(table), connection.ops.quote_name(name)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {quoted_name} BEFORE UPDATE OR DELETE ON {quoted_table} "
                "FOR EACH ROW EXECUTE FUNCTION civic_refuse_change()"
            )


def install_protection(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """Create the triggers missing on any append-only table that exists in database `using`.

    A `post_migrate` receiver (it accepts and ignores the signal's other arguments); idempotent and cheap
    when everything is in place, so it may run after every migrate and every test flush.
    """
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return  # other databases: the ORM guard only
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    tables = [m._meta.db_table for m in append_only_models() if m._meta.db_table in present]
    if not tables:
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            _install_postgresql(connection, tables)
        else:
            _install_sqlite(connection, tables)
