"""On PostgreSQL the session record refuses UPDATE and DELETE, like the audit log (civic 0003)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS deliberation_sessionrecord_append_only ON deliberation_sessionrecord;"
        "CREATE TRIGGER deliberation_sessionrecord_append_only BEFORE UPDATE OR DELETE ON deliberation_sessionrecord "
        "FOR EACH ROW EXECUTE FUNCTION civic_refuse_change();",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS deliberation_sessionrecord_append_only ON deliberation_sessionrecord;", params=None)


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0002_councils"), ("civic", "0003_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
