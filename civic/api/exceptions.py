from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from civic.errors import DomainError, http_status


def exception_handler(exc, context):
    """Every API error as JSON with a stable `code` and a translated `detail`."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=http_status(exc))
    if isinstance(exc, DjangoValidationError):
        return Response({"code": "invalid", "detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data["code"] = getattr(response.data["detail"], "code", "error")
    elif response is not None and isinstance(response.data, dict) and "code" not in response.data:
        # a serializer's field errors: the first one's code and field path ("budget_lines.0.amount") on top,
        # so a field refused by a shared field (civic.api.fields) answers with the same code as the service
        found = _first_error(response.data)
        if found is not None:
            response.data["code"], response.data["field"] = found
    return response


def _first_error(errors, path: str = ""):
    """(code, field path) of the first error in DRF's nested error data, or None."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            found = _first_error(value, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
        return None
    if isinstance(errors, list):
        for index, value in enumerate(errors):
            nested = isinstance(value, dict | list)  # a row of a list of objects, not a message
            found = _first_error(value, f"{path}.{index}" if nested else path)
            if found is not None:
                return found
        return None
    return (getattr(errors, "code", "invalid"), path) if path else None
