"""Once a hand-written PostgreSQL trigger for the session record; now installed with every other
append-only table's by civic.appendonly after each migrate (same name), so this step does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0002_councils"), ("civic", "0003_append_only_triggers")]
    operations = []
