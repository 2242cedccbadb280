"""Outcome notices move to the civic core (civic 0005 takes the model over): the table is renamed, so every
row keeps its id, its foreign keys and the notice it corrects; nothing is copied.

The PostgreSQL trigger that refuses changes stays on the renamed table and takes its new name. Where the
append-only protection is installed after each migrate instead, there may be no trigger to rename yet: then
nothing is done here, and the next install finds the table under its new name. SQLite keeps no trigger of
the old name (such triggers are installed again, under the new name, after the migrate).
"""

from django.db import migrations

OLD, NEW = "funding_outcomenotice", "civic_outcomenotice"


def _rename_trigger(schema_editor, table, old, new):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = %s AND t.tgname = %s AND c.relnamespace = ANY ("
                "SELECT oid FROM pg_namespace WHERE nspname = ANY (current_schemas(false)))",
                [table, f"{old}_append_only"],
            )
            if cursor.fetchone():
                quote = connection.ops.quote_name
                cursor.execute(
                    f"ALTER TRIGGER {quote(old + '_append_only')} ON {quote(table)} "
                    f"RENAME TO {quote(new + '_append_only')}"
                )
        elif connection.vendor == "sqlite":
            for suffix in ("update", "delete"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{old}_append_only_{suffix}"')


def forwards(apps, schema_editor):
    _rename_trigger(schema_editor, NEW, OLD, NEW)


def backwards(apps, schema_editor):
    _rename_trigger(schema_editor, OLD, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_ledger_notices_append_only")]

    operations = [
        migrations.AlterModelTable(name="outcomenotice", table=NEW),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="OutcomeNotice")]),
    ]
