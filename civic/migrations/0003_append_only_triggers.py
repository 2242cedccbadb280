"""Once hand-written PostgreSQL triggers for the audit log. The triggers of every append-only table are
now installed after each migrate by civic.appendonly, under the same names, so this step does nothing;
it stays so that the migration graph (and databases that applied it) are unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("civic", "0002_civic_core")]
    operations = []
