"""One kind of error for every broken business rule.

Services raise a DomainError with a stable machine code and a translated message; the API exception
handler and the HTML middleware turn it into a 400/403/404/409 answer. Nothing is half-written,
because every service runs in one transaction that the error rolls back.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    status = 400


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
