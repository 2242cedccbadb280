"""State machines, one way: a table of the moves each state allows, checked before every transition.

Each stage declares its table once next to its `TextChoices` (models) and moves a record with
`StateMachine.move`, which refuses a move the table does not list (409 `transition_not_allowed`) or a
record whose state changed since it was read (409 `state_changed`), writes the new state and the audit
row; the caller adds what is particular (timeline, notices).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext, gettext_lazy

from .errors import Conflict


class StateMachine:
    def __init__(
        self, states: type[models.TextChoices], table: Mapping[str, Iterable[str]], *, noun: str, refusal=None
    ):
        missing = set(states.values) - set(table)
        if missing:
            raise ValueError(f"no moves declared for {sorted(missing)}")
        # A misspelt state in the table would be a move that is silently never allowed.
        unknown = {str(s) for s in table} - set(states.values)
        unknown |= {str(t) for targets in table.values() for t in targets} - set(states.values)
        if unknown:
            raise ValueError(f"unknown states in the table: {sorted(unknown)}")
        self.states = states
        self.table: dict[str, frozenset[str]] = {state: frozenset(targets) for state, targets in table.items()}
        self.noun = noun  # used in audit actions: "<noun>.<target>"
        # A lazy text with %(current)s and %(target)s, e.g. "A proposal that is “%(current)s” cannot become …"
        self.refusal = refusal or gettext_lazy("Something that is “%(current)s” cannot become “%(target)s”.")

    def targets(self, current: str) -> frozenset[str]:
        return self.table.get(current, frozenset())

    def can(self, current: str, target: str) -> bool:
        return target in self.targets(current)

    def final(self, state: str) -> bool:
        return not self.targets(state)

    def _label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else str(state)

    def check(self, current: str, target: str) -> None:
        if not self.can(current, target):
            raise Conflict(
                "transition_not_allowed",
                str(self.refusal) % {"current": self._label(current), "target": self._label(target)},
            )

    def move(self, obj, target: str, *, actor, area=None, acting_for=None, fields=(), after=None) -> str:
        """Check, write `obj.state` (and `fields`), record the audit row; return the state it left."""
        from .services import audit_record  # the audit service sits above this helper

        before = obj.state
        self.check(before, target)
        # The state is written only where the row still has the state this move was judged from: a record
        # moved by someone else since it was read (a caller that did not lock it) is refused, not overwritten.
        # The fields that go with the move are written in the same statement, so a constraint tying them to
        # the state (a merged report names the one it was merged into) holds at every moment.
        changes = {name: getattr(obj, name) for name in fields}
        if not type(obj)._default_manager.filter(pk=obj.pk, state=before).update(state=target, **changes):
            raise Conflict("state_changed", gettext("This changed in the meantime. Reload the page and try again."))
        obj.state = target
        obj.save(update_fields=["state", *fields])
        audit_record(
            actor=actor,
            action=f"{self.noun}.{target}",
            obj=obj,
            area=area,
            acting_for=acting_for,
            before={"state": before},
            after={"state": target, **(after or {})},
        )
        return before
