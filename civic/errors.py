"""One kind of error for every broken business rule, and one map from error to HTTP status.

Services raise a DomainError with a stable machine code and a translated message; the API exception
handler, the HTML middleware and the WebSocket consumers' error replies all take the status from
`http_status` (docs/api.md, "Errors"): bad input 400, not allowed 403, not found 404, conflict with the
current state 409, too many failed attempts for now 429. Nothing is half-written, because every service
runs in one transaction that the error rolls back.

Most errors carry their status in their class. The pure engines (the rules of order) raise a bare code;
`CODE_STATUS` is the one table that says which of their codes mean "not allowed" or "bad input" (every
other code of theirs is a conflict with the state), and `error_for_code` makes the DomainError.
"""

from __future__ import annotations

from django.utils.functional import Promise

BAD_INPUT, NOT_ALLOWED, NOT_FOUND, CONFLICT, TOO_MANY = 400, 403, 404, 409, 429


class DomainError(Exception):
    status = BAD_INPUT

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    status = BAD_INPUT


class NotAllowed(DomainError):
    status = NOT_ALLOWED


class NotFound(DomainError):
    status = NOT_FOUND


class Conflict(DomainError):
    status = CONFLICT


class TooManyAttempts(DomainError):
    """Refused for now, whatever was sent: too many recent failures (the sign-in lockout)."""

    status = TOO_MANY


# The codes of the rules-of-order engine (deliberation.procedure) that are not a conflict with the state.
CODE_STATUS: dict[str, int] = {
    # who may: the person is not the one the rules let do this
    "chair_only": NOT_ALLOWED,
    "not_a_member": NOT_ALLOWED,
    "chair_neutral": NOT_ALLOWED,
    "own_motion": NOT_ALLOWED,
    "not_your_motion": NOT_ALLOWED,
    "not_your_floor": NOT_ALLOWED,
    "not_eligible_to_vote": NOT_ALLOWED,
    # what was sent: a value the rules do not know, or a text that is missing
    "unknown_command": BAD_INPUT,
    "command_invalid": BAD_INPUT,
    "unknown_motion": BAD_INPUT,
    "motion_text_missing": BAD_INPUT,
    "side_required": BAD_INPUT,
    "point_text_missing": BAD_INPUT,
    "extension_invalid": BAD_INPUT,
    "choice_invalid": BAD_INPUT,
    "chair_target_invalid": BAD_INPUT,
}

_CLASS_BY_STATUS: dict[int, type[DomainError]] = {
    BAD_INPUT: InvalidInput,
    NOT_ALLOWED: NotAllowed,
    NOT_FOUND: NotFound,
    CONFLICT: Conflict,
}


def status_for(code: str) -> int:
    """The status of an engine's code: from CODE_STATUS, else a conflict with the current state."""
    return CODE_STATUS.get(code, CONFLICT)


def error_for_code(code: str, message: str | Promise, *, field: str | None = None) -> DomainError:
    """The DomainError for an engine's refusal, of the class its status calls for."""
    return _CLASS_BY_STATUS[status_for(code)](code, message, field=field)


def http_status(error: DomainError) -> int:
    """The HTTP status of a refusal: the one answer for the API, the pages and the WebSocket replies."""
    return error.status
