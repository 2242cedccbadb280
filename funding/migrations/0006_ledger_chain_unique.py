"""One successor per ledger entry: `prev_hash` is unique (added once 0005 has hashed every row)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0005_ledger_hash_chain"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(fields=("prev_hash",), name="funding_ledger_chain_prev_unique"),
        ),
    ]
