"""The ledger's hash chain, pure: what an entry's hash is computed from, and how.

Every ledger entry stores `prev_hash` (the `entry_hash` of the entry before it, in one global chain in
the order of the entry ids; `GENESIS` for the first) and `entry_hash`: SHA-256 of `canonical(fields)`,
the entry's own content *and* `prev_hash`. Changing, removing or inserting any entry breaks every hash
after it; a rewrite of the whole chain changes its head, which is published (notices, exports, the area
ledger page) so that copies people hold show it. Standard library only: the data migration that hashed
the entries written before the chain (funding/migrations/0005) carries a copy of these lines.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

GENESIS = "0" * 64
HASHED_FIELDS = (
    "kind",
    "amount",
    "project",
    "area",
    "year",
    "award",
    "commitment",
    "condition",
    "reverses",
    "memo",
    "created_by",
    "created_at",
    "prev_hash",
)


def _amount(value) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(
    *,
    kind: str,
    amount,
    project: int,
    area: int,
    year: int,
    award: int | None,
    commitment: int | None,
    condition: str,
    reverses: int | None,
    memo: str,
    created_by: int,
    created_at: datetime,
    prev_hash: str,
) -> bytes:
    """The bytes that are hashed: a JSON object with sorted keys, no spaces, UTF-8; the amount as a string
    with two decimals, ids as integers (null when absent), the moment in UTC with microseconds."""
    content = {
        "kind": kind,
        "amount": _amount(amount),
        "project": project,
        "area": area,
        "year": year,
        "award": award,
        "commitment": commitment,
        "condition": condition or "",
        "reverses": reverses,
        "memo": memo or "",
        "created_by": created_by,
        "created_at": _moment(created_at),
        "prev_hash": prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(**fields) -> str:
    """SHA-256 (hex) of `canonical(**fields)`."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


def short(value: str) -> str:
    """The first 12 hex digits, as printed beside the full hash for people to compare by eye."""
    return value[:12]
