"""The events of a live session as they travel to every screen (docs/live-protocol.md, "Events"): one
schema per event type, field → type. The engine emits them, the services number them (`seq`) and record
and publish them; the tests check every emitted event against its schema and the schemas against the
documentation, so the three cannot drift apart. Standard library only, like the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Kind = type | tuple[type, ...]
NUMBER: tuple[type, ...] = (int, float)  # server times in seconds
OPTIONAL_INT: tuple[type, ...] = (int, type(None))

# field → type, per event type. Every event also has `type`, and once numbered `seq` (int).
EVENTS: dict[str, dict[str, Kind]] = {
    "checked_in": {"member": str, "present": int},
    "checked_out": {"member": str, "present": int},
    "session_opened": {"present": list, "quorum": int},
    "session_not_held": {"present": list},
    "motion_made": {"motion": int, "kind": str, "mover": str, "text": str, "depth": int},
    "seconded": {"motion": int, "member": str},
    "question_stated": {"motion": int},
    "motion_withdrawn": {"motion": int},
    "floor_requested": {"member": str, "side": str},
    "request_withdrawn": {"member": str},
    "point_of_order": {"member": str, "text": str},
    "floor_granted": {
        "member": str,
        "side": str,
        "motion": OPTIONAL_INT,
        "started_at": NUMBER,
        "limit": int,
        "text": str,
    },
    "speech_ended": {
        "member": str,
        "side": str,
        "motion": OPTIONAL_INT,
        "started_at": NUMBER,
        "ended_at": NUMBER,
        "reason": str,
    },
    "time_extended": {"member": str, "limit": int},
    "ruling": {"upheld": bool, "member": str, "note": str},
    "vote_opened": {"motion": int, "kind": str, "eligible": int},
    "vote_cast": {"motion": int, "count": int, "member": str, "choice": str},
    "vote_closed": {
        "motion": int,
        "adopted": bool,
        "yes": int,
        "no": int,
        "abstain": int,
        "present": int,
        "threshold": str,
    },
    "result_announced": {
        "motion": int,
        "kind": str,
        "adopted": bool,
        "text": str,
        "item": OPTIONAL_INT,
        "yes": int,
        "no": int,
        "abstain": int,
        "present": int,
        "threshold": str,
    },
    "debate_closed": {"motion": OPTIONAL_INT},
    "motion_amended": {"motion": int, "text": str},
    "motion_set_aside": {"how": str},
    "item_opened": {"item": int, "title": str},
    "chair_handed_over": {"from": str, "to": str},
    "session_resumed": {},
    "session_closed": {"reason": str},
}

# Fields an event carries only sometimes: who voted what, when votes are by name.
OPTIONAL: dict[str, frozenset[str]] = {"vote_cast": frozenset({"member", "choice"})}


def _fits(value: Any, kind: Kind) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):  # a bool is an int in Python; here it is only a bool
        return bool in kinds
    return isinstance(value, kinds)


def problems(event: Mapping[str, Any]) -> list[str]:
    """What is wrong with `event` against its schema (empty when it matches)."""
    kind = event.get("type")
    if not isinstance(kind, str) or kind not in EVENTS:
        return [f"unknown event type {kind!r}"]
    schema = EVENTS[kind]
    found: list[str] = []
    optional = OPTIONAL.get(kind, frozenset())
    for name, field_kind in schema.items():
        if name not in event:
            if name not in optional:
                found.append(f"{kind}: missing {name}")
        elif not _fits(event[name], field_kind):
            found.append(f"{kind}: {name}={event[name]!r} is not {field_kind}")
    extra = set(event) - set(schema) - {"type", "seq"}
    found += [f"{kind}: undocumented field {name}" for name in sorted(extra)]
    if "seq" in event and not _fits(event["seq"], int):
        found.append(f"{kind}: seq={event['seq']!r} is not an int")
    return found
