from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

# Staff acting in person for an assisted resident (代办, civic.acting): documented on every endpoint that
# takes it (co-sign, comment, vote, rate, and what later stages add).
ACTING_FOR = OpenApiParameter(
    name="X-Acting-For",
    type=int,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Staff acting in person for an assisted resident (代办): the resident's id. The act is recorded in the "
        "resident's name with channel `assisted` and you as `assisted_by`; 403 if you may not act for them."
    ),
)


def validated(serializer_class, request, partial: bool = False) -> dict:
    """Parse a request body with a serializer; a bad body is a 400 with the fields named.

    Call it after the permission check, so a stranger learns "not allowed" and nothing about the fields.
    `partial=True` (a PATCH): only the fields sent are checked and returned, no defaults are filled in,
    and a field the serializer does not know is refused (400, code `unknown_field`, each one named) rather
    than silently dropped, so a misspelt field cannot look like a successful change."""
    serializer = serializer_class(data=request.data, partial=partial)
    if partial and isinstance(request.data, Mapping):
        unknown = sorted(set(request.data) - set(serializer.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [serializers.ErrorDetail(str(_("Unknown field.")), code="unknown_field")] for name in unknown}
            )
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
