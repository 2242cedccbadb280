"""The rules of order for a live council session, as a pure engine (standard library only).

`rules` holds the rule sets and the kinds the engine speaks of (phases, sides, motion kinds, statuses);
`state` the dataclasses of a session's state and their JSON form; `engine` the commands and `apply`.
Callers use the package: `from deliberation import procedure; procedure.apply(rules, state, command)`.
"""

from .engine import (
    COMMANDS,
    Applied,
    Command,
    Event,
    apply,
    check_invariants,
    next_speaker,
    outcome,
    speech_deadline,
    time_up,
)
from .rules import (
    APPLIES_TO_PENDING,
    DEBATABLE,
    MAJORITY_CAST,
    MAJORITY_PRESENT,
    PRESETS,
    RANKS,
    TWO_THIRDS_CAST,
    Choice,
    MotionKind,
    MotionStatus,
    Phase,
    ProcedureError,
    Rules,
    Side,
    Threshold,
    gettext_noop,
    rules_from_preset,
)
from .state import Motion, Request, Speech, State, Vote, new_session, state_from_json, state_to_json

__all__ = [
    "APPLIES_TO_PENDING",
    "COMMANDS",
    "DEBATABLE",
    "MAJORITY_CAST",
    "MAJORITY_PRESENT",
    "PRESETS",
    "RANKS",
    "TWO_THIRDS_CAST",
    "Applied",
    "Choice",
    "Command",
    "Event",
    "Motion",
    "MotionKind",
    "MotionStatus",
    "Phase",
    "ProcedureError",
    "Request",
    "Rules",
    "Side",
    "Speech",
    "State",
    "Threshold",
    "Vote",
    "apply",
    "check_invariants",
    "gettext_noop",
    "new_session",
    "next_speaker",
    "outcome",
    "rules_from_preset",
    "speech_deadline",
    "state_from_json",
    "state_to_json",
    "time_up",
]
