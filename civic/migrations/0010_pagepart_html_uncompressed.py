from django.db import migrations


def uncompressed(apps, schema_editor):
    """A kept page is read on every visit: on PostgreSQL its html is stored out of line but not compressed
    (pglz's decompression was most of the database's work for a 70 kB page). Parts stored from now on."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE civic_pagepart ALTER COLUMN html SET STORAGE EXTERNAL")


def compressed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE civic_pagepart ALTER COLUMN html SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("civic", "0009_page_cache"),
    ]

    operations = [
        migrations.RunPython(uncompressed, compressed),
    ]
