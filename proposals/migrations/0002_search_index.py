"""Full-text index of the proposals' search tokens (character n-grams, see proposals/search.py).

PostgreSQL only: a GIN index on to_tsvector('simple', …), the same expression the search filter
uses, so one- and two-character Chinese queries are served by the index. SQLite searches the same
tokens with LIKE, which is fast enough for a development database.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS prop_search ON proposals_proposal "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_tokens, '')))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS prop_search", params=None)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
