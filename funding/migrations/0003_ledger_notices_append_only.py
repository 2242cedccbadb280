"""Once hand-written PostgreSQL triggers for the ledger and the notices; now installed with every other
append-only table's by civic.appendonly after each migrate (same names), so this step does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_projects_awards_ledger_notices"), ("civic", "0003_append_only_triggers")]
    operations = []
