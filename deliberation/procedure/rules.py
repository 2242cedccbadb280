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
    """What a motion needs to be adopted. Abstentions never count as votes cast; a tie is not a majority."""

    MAJORITY_CAST = "majority_cast"  # more yes than no
    MAJORITY_PRESENT = "majority_present"  # yes from more than half of the members present
    MAJORITY_MEMBERS = "majority_members"  # yes from more than half of all the members
    TWO_THIRDS_CAST = "two_thirds_cast"  # yes at least twice no (and at least one vote cast)
    TWO_THIRDS_PRESENT = "two_thirds_present"  # yes from at least two thirds of the members present
    TWO_THIRDS_MEMBERS = "two_thirds_members"  # yes from at least two thirds of all the members


MAJORITY_CAST, TWO_THIRDS_CAST, MAJORITY_PRESENT = (
    Threshold.MAJORITY_CAST,
    Threshold.TWO_THIRDS_CAST,
    Threshold.MAJORITY_PRESENT,
)


def passes(threshold: str, *, yes: int, no: int, present: int, members: int) -> bool:
    """Whether `yes` votes meet the threshold, computed exactly; abstentions are neither yes nor no."""
    share = Fraction(2, 3) if threshold.startswith("two_thirds") else Fraction(1, 2)
    if threshold.endswith("_present"):
        base = present
    elif threshold.endswith("_members"):
        base = members
    else:
        base = yes + no
    if base <= 0 or yes <= 0:
        return False
    if share == Fraction(1, 2):
        return Fraction(yes) > share * base
    return Fraction(yes) >= share * base


class ChairMode(enum.StrEnum):
    """Whether the chair is a member of the council while presiding."""

    MEMBER = "member"  # a full member: counts toward quorum and votes like every member
    CASTING = "casting"  # a member who votes only where the vote decides the result (Robert's usage)
    OUTSIDE = "outside"  # not a member: does not count toward quorum and does not vote


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

# How the engine behaves where its behaviour changed, so that a session keeps the behaviour it was held
# under and its record replays: 1 — the speakers' queue is cleared by every vote and a point of order
# ends the speech it interrupts; 2 — the queue waits per motion and survives a failed vote, and the
# interrupted speaker resumes with the time left.
REVISION = 2

DEFAULT_THRESHOLDS: tuple[tuple[str, Threshold], ...] = (
    ("main", MAJORITY_CAST),
    ("amend", MAJORITY_CAST),
    ("refer", MAJORITY_CAST),
    ("postpone", MAJORITY_CAST),
    ("previous_question", TWO_THIRDS_CAST),
    ("recess", MAJORITY_CAST),
    ("adjourn", MAJORITY_CAST),
    ("suspend_rule", TWO_THIRDS_CAST),
)


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
    thresholds: tuple[tuple[str, Threshold], ...] = DEFAULT_THRESHOLDS
    chair_mode: ChairMode = ChairMode.CASTING
    revision: int = REVISION

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


class RulesError(ProcedureError):
    """A setting of a rule set that is not one the engine can run, naming the setting to blame."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__("rules_invalid", message, **params)
        self.field = field


_NUMBERS: dict[str, tuple[int, int]] = {
    "speech_seconds": (10, 3600),
    "speeches_per_member": (1, 20),
    "amendment_depth": (0, 2),
}
_SWITCHES = frozenset({"alternate_sides", "first_time_first", "seconds_required", "secret_votes"})
_QUORUM_KINDS = ("number", "share", "majority")
# The settings a council may adjust, in the order its settings page shows them.
SETTINGS: tuple[str, ...] = (
    "chair_mode",
    "quorum_kind",
    "quorum_value",
    "speech_seconds",
    "speeches_per_member",
    "alternate_sides",
    "first_time_first",
    "seconds_required",
    "amendment_depth",
    "secret_votes",
    "thresholds",
)


def _fraction(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(value)
    return Fraction(str(value).strip())


def check_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The council's adjustments to its preset, checked and in their stored form (JSON values), or
    RulesError naming the first setting that is wrong."""
    if not isinstance(overrides, Mapping):
        raise RulesError("overrides", gettext_noop("The adjustments must be a set of named settings."))
    unknown = sorted(str(name) for name in overrides if name not in SETTINGS)
    if unknown:
        raise RulesError(
            unknown[0], gettext_noop("Unknown setting: %(names)s."), names=", ".join(n[:40] for n in unknown)
        )
    clean: dict[str, Any] = {}
    for name, value in overrides.items():
        if name in _NUMBERS:
            low, high = _NUMBERS[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise RulesError(
                    name,
                    gettext_noop("%(setting)s must be a whole number from %(low)s to %(high)s."),
                    setting=name,
                    low=low,
                    high=high,
                )
            clean[name] = value
        elif name in _SWITCHES:
            if not isinstance(value, bool):
                raise RulesError(name, gettext_noop("%(setting)s is true or false."), setting=name)
            clean[name] = value
        elif name == "chair_mode":
            if value not in tuple(ChairMode):
                raise RulesError(name, gettext_noop("The chair is a member, votes only to decide, or is not a member."))
            clean[name] = str(value)
        elif name == "quorum_kind":
            if value not in _QUORUM_KINDS:
                raise RulesError(name, gettext_noop("The quorum is a number, a share of the members, or a majority."))
            clean[name] = value
        elif name == "thresholds":
            clean[name] = _check_thresholds(value)
    if "quorum_value" in overrides:
        clean["quorum_value"] = _check_quorum_value(clean.get("quorum_kind", "majority"), overrides["quorum_value"])
    elif clean.get("quorum_kind") in ("number", "share"):
        raise RulesError("quorum_value", gettext_noop("Say how many members make a quorum."))
    return clean


def _check_thresholds(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise RulesError("thresholds", gettext_noop("Give a threshold for each kind of motion."))
    clean: dict[str, str] = {}
    for kind, threshold in value.items():
        if kind not in tuple(MotionKind):
            raise RulesError("thresholds", gettext_noop("Unknown kind of motion: %(kind)s."), kind=str(kind)[:40])
        if threshold not in tuple(Threshold):
            raise RulesError(
                "thresholds", gettext_noop("Unknown threshold: %(threshold)s."), threshold=str(threshold)[:40]
            )
        clean[str(kind)] = str(threshold)
    return clean


def _check_quorum_value(kind: str, value: Any) -> str | int:
    if kind == "number":
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise RulesError(
                "quorum_value", gettext_noop("A quorum by number is a whole number of members, at least 1.")
            )
        return value
    if kind == "share":
        try:
            share = _fraction(value)
        except (ValueError, ZeroDivisionError):
            share = Fraction(-1)
        if not 0 < share <= 1:
            raise RulesError(
                "quorum_value", gettext_noop("A quorum by share is a fraction above 0 and at most 1, e.g. 2/3.")
            )
        return f"{share.numerator}/{share.denominator}"
    raise RulesError("quorum_value", gettext_noop("A quorum by majority takes no number."))


def rules_from_preset(preset: str, overrides: Mapping[str, Any] | None = None) -> Rules:
    """The preset with the council's adjustments (as stored: checked when they were saved). A stored
    value the engine cannot read is left at the preset's."""
    rules = PRESETS.get(preset, PRESETS["nantang"])
    overrides = overrides if isinstance(overrides, Mapping) else {}
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        try:
            changes.update(_readable(name, value))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
    return replace(rules, **changes)


def _readable(name: str, value: Any) -> dict[str, Any]:
    if name in _NUMBERS and isinstance(value, int) and not isinstance(value, bool):
        return {name: value}
    if name in _SWITCHES and isinstance(value, bool):
        return {name: value}
    if name == "quorum_kind" and value in _QUORUM_KINDS:
        return {name: value}
    if name == "quorum_value":
        return {name: _fraction(value)}
    if name == "chair_mode":
        return {name: ChairMode(value)}
    if name == "thresholds" and isinstance(value, Mapping):
        merged = dict(DEFAULT_THRESHOLDS)
        merged.update({str(k): Threshold(v) for k, v in value.items() if k in tuple(MotionKind)})
        return {name: tuple(merged.items())}
    return {}


# --- a session's frozen rules ----------------------------------------------------------------------


def rules_to_json(rules: Rules) -> dict[str, Any]:
    """The whole rule set as JSON: what a session keeps from the moment it opens."""
    return {
        "quorum_kind": rules.quorum_kind,
        "quorum_value": f"{Fraction(rules.quorum_value).numerator}/{Fraction(rules.quorum_value).denominator}",
        "speech_seconds": rules.speech_seconds,
        "speeches_per_member": rules.speeches_per_member,
        "alternate_sides": rules.alternate_sides,
        "first_time_first": rules.first_time_first,
        "seconds_required": rules.seconds_required,
        "amendment_depth": rules.amendment_depth,
        "secret_votes": rules.secret_votes,
        "thresholds": {kind: str(threshold) for kind, threshold in rules.thresholds},
        "chair_mode": str(rules.chair_mode),
        "revision": rules.revision,
    }


def rules_from_json(data: Mapping[str, Any]) -> Rules:
    """A session's frozen rules. Missing keys take the defaults, except the revision: a rule set stored
    before revisions were recorded is revision 1."""
    base = Rules()
    return Rules(
        quorum_kind=data.get("quorum_kind", base.quorum_kind),
        quorum_value=Fraction(str(data.get("quorum_value", "0"))),
        speech_seconds=int(data.get("speech_seconds", base.speech_seconds)),
        speeches_per_member=int(data.get("speeches_per_member", base.speeches_per_member)),
        alternate_sides=bool(data.get("alternate_sides", base.alternate_sides)),
        first_time_first=bool(data.get("first_time_first", base.first_time_first)),
        seconds_required=bool(data.get("seconds_required", base.seconds_required)),
        amendment_depth=int(data.get("amendment_depth", base.amendment_depth)),
        secret_votes=bool(data.get("secret_votes", base.secret_votes)),
        thresholds=tuple((str(k), Threshold(v)) for k, v in data.get("thresholds", dict(base.thresholds)).items()),
        chair_mode=ChairMode(data.get("chair_mode", base.chair_mode)),
        revision=int(data.get("revision", 1)),
    )
