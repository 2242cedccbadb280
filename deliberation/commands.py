"""The one schema of the commands of the rules of order (docs/live-protocol.md, "Commands").

What a client sends, over HTTP (`POST /api/sessions/<id>/commands/`) or WebSocket, is parsed here into a
`Command` before it reaches the engine: an object with a known `type`, only that type's fields, each of
its type and within its limit. Whether a command is in order now is the engine's to judge (and whether a
motion kind, a side or a choice is one the rules know: the engine answers those with its own codes); the
shape of the command is this module's. So the engine can trust what it reads, and a bug in it surfaces as
a bug rather than passing for a user's mistake.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from civic.errors import InvalidInput
from civic.text import clean_text

from . import procedure

TEXT_LIMIT = 2000  # motion and point-of-order text
NOTE_LIMIT = 500  # the chair's note on a ruling
MEMBER_LIMIT = 32  # a member's id as the snapshot gives it


@dataclass(frozen=True)
class Field:
    """One argument of a command: its Python type, and for text its maximum length."""

    kind: type[str] | type[int] | type[bool]
    limit: int = 0  # text: at most this many characters
    text: bool = False  # free text typed by a person: cleaned with civic.text.clean_text

    @property
    def type_name(self) -> str:
        return {str: "string", int: "integer", bool: "boolean"}[self.kind]


_TEXT = Field(str, TEXT_LIMIT, text=True)
_WORD = Field(str, 40)  # a name the engine knows: a motion kind, a side, a choice

# Every command and its fields. Commands without fields take none.
SCHEMA: dict[str, dict[str, Field]] = {
    "open_session": {},
    "record_not_held": {},
    "check_in": {},
    "check_out": {},
    "make_motion": {"kind": _WORD, "text": _TEXT},
    "second": {},
    "withdraw_motion": {},
    "request_floor": {"side": _WORD},
    "withdraw_request": {},
    "point_of_order": {"text": _TEXT},
    "grant_floor": {},
    "yield_floor": {},
    "extend_time": {"seconds": Field(int)},
    "rule_on_point": {"upheld": Field(bool), "member": Field(str, MEMBER_LIMIT), "note": Field(str, NOTE_LIMIT, True)},
    "open_vote": {"motion": Field(int)},  # optional: the motion the chair means to put (the pending one)
    "cast_vote": {"choice": _WORD},
    "close_vote": {},
    "announce": {},
    "resume": {},
    "next_item": {},
    "hand_over_chair": {"member": Field(str, MEMBER_LIMIT)},
    "close_session": {},
}
assert set(SCHEMA) == set(procedure.COMMANDS), "the schema knows every command of the engine"

Value = str | int | bool


@dataclass(frozen=True)
class Command:
    """A well-formed command: its type and its arguments, each of the type the schema gives."""

    type: str
    args: Mapping[str, Value]

    def for_engine(self, *, actor: str, now: float) -> dict[str, Any]:
        """What the engine applies (and the session record stores): the command with its actor and time."""
        return {"type": self.type, **self.args, "actor": actor, "now": now}


def _invalid(field: str | None = None) -> InvalidInput:
    return InvalidInput("command_invalid", _("This command is not valid."), field=field)


def parse(raw: object) -> Command:
    """The command in `raw` (a dict decoded from JSON), or InvalidInput with a stable code:
    `command_invalid` (not an object, no type, a field of the wrong type, a number that is not finite),
    `unknown_command`, `command_unknown_field`, `text_invalid` (control characters, lone surrogates) or
    `too_long`."""
    if not isinstance(raw, Mapping) or not all(isinstance(key, str) for key in raw):
        raise _invalid()
    kind = raw.get("type")
    if not isinstance(kind, str):
        raise _invalid("type")
    fields = SCHEMA.get(kind)
    if fields is None:
        raise InvalidInput("unknown_command", _("Unknown command."), field="type")
    args: dict[str, Value] = {}
    for name, value in raw.items():
        if name == "type":
            continue
        spec = fields.get(name)
        if spec is None:
            raise InvalidInput(
                "command_unknown_field",
                _("This command has no field “%(field)s”.") % {"field": name[:40]},
                field=name[:40],
            )
        args[name] = _value(name, spec, value)
    return Command(type=kind, args=args)


def _value(name: str, spec: Field, value: object) -> Value:
    if isinstance(value, float) and not math.isfinite(value):
        raise _invalid(name)
    # bool is an int in Python: a boolean field takes only true or false, a number field no boolean
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise _invalid(name)
        return value
    if spec.kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(name)
        return value
    if not isinstance(value, str):
        raise _invalid(name)
    if spec.text:
        return clean_text(value, field=name, limit=spec.limit)
    return clean_text(value, field=name, limit=spec.limit, single_line=True)


def parse_expected_seq(raw: object) -> int | None:
    """The sequence number a client says it has seen, if it names one; anything else is refused."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise InvalidInput("command_invalid", _("This command is not valid."), field="expected_seq")
    return raw
