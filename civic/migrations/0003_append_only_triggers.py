"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit entries: CI and many
deployments connect as a superuser, so grants alone would prove nothing. (TRUNCATE stays possible for
an administrator resetting a test database.) On SQLite the ORM guard in the model applies."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION civic_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table):
    return (
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION civic_refuse_change();"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no parameters: the % are PL/pgSQL placeholders
    schema_editor.execute(_trigger("civic_auditentry"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS civic_auditentry_append_only ON civic_auditentry;")


class Migration(migrations.Migration):
    dependencies = [("civic", "0002_civic_core")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
