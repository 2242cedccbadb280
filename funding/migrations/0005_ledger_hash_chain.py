"""The ledger's hash chain: every entry gets `prev_hash` and `entry_hash`, and the entries already written
are hashed in the order of their ids, the first after the genesis value.

Ledger entries are append-only: after every migrate, civic.appendonly installs database triggers that
refuse UPDATE and DELETE on the table. Filling the two new columns of existing rows is the one update
history allows, so this migration drops those triggers on funding_ledgerentry (on SQLite adding a column
rebuilds the table, which drops them anyway) and fills the columns; the `post_migrate` receiver of the
same `migrate` run puts the triggers back (civic.appendonly.install_protection). The uniqueness of
`prev_hash` is added by the next migration, once every row has its own.

The hash function is a frozen copy of funding.chain as it was when this migration was written: a
migration must give the same result whatever the code becomes later.
"""

import hashlib
import json
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

GENESIS = "0" * 64
TABLE = "funding_ledgerentry"


def _entry_hash(row: dict) -> str:
    content = {
        "kind": row["kind"],
        "amount": str(Decimal(str(row["amount"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        "project": row["project_id"],
        "area": row["area_id"],
        "year": row["year"],
        "award": row["award_id"],
        "commitment": row["commitment_id"],
        "condition": row["condition"] or "",
        "reverses": row["reverses_id"],
        "memo": row["memo"] or "",
        "created_by": row["created_by_id"],
        "created_at": row["created_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev_hash": row["prev_hash"],
    }
    data = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


def _drop_protection(connection) -> None:
    """Drop the append-only triggers of the ledger table (names as civic.appendonly.trigger_names gives
    them in 2026; post_migrate reinstalls them under whatever names it uses by then)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        elif connection.vendor == "sqlite":
            cursor.execute(f'DROP TRIGGER IF EXISTS "{TABLE}_append_only_update"')
            cursor.execute(f'DROP TRIGGER IF EXISTS "{TABLE}_append_only_delete"')


def hash_existing_entries(apps, schema_editor):
    LedgerEntry = apps.get_model("funding", "LedgerEntry")
    connection = schema_editor.connection
    manager = LedgerEntry.objects.using(connection.alias)
    if not manager.exists():
        return
    _drop_protection(connection)
    fields = (
        "id",
        "kind",
        "amount",
        "project_id",
        "area_id",
        "year",
        "award_id",
        "commitment_id",
        "condition",
        "reverses_id",
        "memo",
        "created_by_id",
        "created_at",
    )
    previous = GENESIS
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        for row in manager.order_by("id").values(*fields).iterator(chunk_size=2000):
            row["prev_hash"] = previous
            digest = _entry_hash(row)
            cursor.execute(
                f"UPDATE {table} SET prev_hash = %s, entry_hash = %s WHERE id = %s", [previous, digest, row["id"]]
            )
            previous = digest


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_outcome_notice_to_civic"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="previous entry's hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_existing_entries, migrations.RunPython.noop, elidable=False),
    ]
