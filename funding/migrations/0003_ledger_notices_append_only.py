"""On PostgreSQL the ledger and the published notices refuse UPDATE and DELETE, like the audit log (civic 0003)."""

from django.db import migrations

TABLES = ("funding_ledgerentry", "funding_outcomenotice")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION civic_refuse_change();",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_projects_awards_ledger_notices"), ("civic", "0003_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
