"""Rule sets of the rules of order: the kinds of things the engine speaks of, thresholds, quorum, presets."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the services translate it (this package has no Django)."""
    return message


class ProcedureError(Exception):
    """A command the rules of order do not allow now, with a stable code and an untranslated message."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class Phase(enum.StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    RECESS = "recess"
    CLOSED = "closed"
    NOT_HELD = "not_held"


class Side(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"
    ORDER = "order"  # a point of order


class MotionKind(enum.StrEnum):
    MAIN = "main"
    AMEND = "amend"
    REFER = "refer"
    POSTPONE = "postpone"
    PREVIOUS_QUESTION = "previous_question"
    RECESS = "recess"
    ADJOURN = "adjourn"


class MotionStatus(enum.StrEnum):
    AWAITING_SECOND = "awaiting_second"
    PENDING = "pending"  # stated: in debate or waiting for a vote


class Choice(enum.StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Threshold(enum.StrEnum):
    MAJORITY_CAST = "majority_cast"
    TWO_THIRDS_CAST = "two_thirds_cast"
    MAJORITY_PRESENT = "majority_present"


MAJORITY_CAST, TWO_THIRDS_CAST, MAJORITY_PRESENT = (
    Threshold.MAJORITY_CAST,
    Threshold.TWO_THIRDS_CAST,
    Threshold.MAJORITY_PRESENT,
)

# Motion kinds and their rank: a motion is in order only if it outranks the one pending.
RANKS: dict[MotionKind, int] = {
    MotionKind.MAIN: 1,
    MotionKind.AMEND: 2,
    MotionKind.REFER: 3,
    MotionKind.POSTPONE: 4,
    MotionKind.PREVIOUS_QUESTION: 5,
    MotionKind.RECESS: 6,
    MotionKind.ADJOURN: 7,
}
DEBATABLE = frozenset({MotionKind.MAIN, MotionKind.AMEND, MotionKind.REFER, MotionKind.POSTPONE})
APPLIES_TO_PENDING = frozenset({MotionKind.AMEND, MotionKind.REFER, MotionKind.POSTPONE, MotionKind.PREVIOUS_QUESTION})


@dataclass(frozen=True)
class Rules:
    quorum_kind: str = "majority"  # "number", "share" or "majority"
    quorum_value: Fraction = Fraction(0)
    speech_seconds: int = 120
    speeches_per_member: int = 2
    alternate_sides: bool = True
    first_time_first: bool = True
    seconds_required: bool = True
    amendment_depth: int = 2
    secret_votes: bool = False
    thresholds: tuple[tuple[str, Threshold], ...] = (
        ("main", MAJORITY_CAST),
        ("amend", MAJORITY_CAST),
        ("refer", MAJORITY_CAST),
        ("postpone", MAJORITY_CAST),
        ("previous_question", TWO_THIRDS_CAST),
        ("recess", MAJORITY_CAST),
        ("adjourn", MAJORITY_CAST),
        ("suspend_rule", TWO_THIRDS_CAST),
    )

    def threshold(self, kind: str) -> Threshold:
        return dict(self.thresholds).get(kind, MAJORITY_CAST)

    def quorum(self, members: int) -> int:
        if self.quorum_kind == "number":
            return int(self.quorum_value)
        if self.quorum_kind == "share":
            return math.ceil(Fraction(self.quorum_value) * members)
        return members // 2 + 1


PRESETS: dict[str, Rules] = {
    # Robert's Rules: a majority of members is a quorum, 10-minute speeches, two per member per motion.
    "roberts": Rules(speech_seconds=600, speeches_per_member=2),
    # The Nantang community rules: short speeches, alternating sides, first-time speakers first.
    "nantang": Rules(speech_seconds=120, speeches_per_member=2, alternate_sides=True, first_time_first=True),
}

_OVERRIDABLE = frozenset(
    {
        "speech_seconds",
        "speeches_per_member",
        "alternate_sides",
        "first_time_first",
        "seconds_required",
        "amendment_depth",
        "secret_votes",
        "quorum_kind",
    }
)


def rules_from_preset(preset: str, overrides: Mapping[str, Any] | None = None) -> Rules:
    rules = PRESETS.get(preset, PRESETS["nantang"])
    changes: dict[str, Any] = {k: v for k, v in (overrides or {}).items() if k in _OVERRIDABLE}
    if "quorum_value" in (overrides or {}):
        changes["quorum_value"] = Fraction(str((overrides or {})["quorum_value"]))
    return replace(rules, **changes)
