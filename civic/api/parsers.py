"""The API's one JSON parser: a body too large or nested too deep is refused before it is decoded.

Python's JSON decoder recurses once per level of nesting, so a body of a few thousand `[` raised
RecursionError (a 500) on any endpoint, anonymous ones included. The depth is counted here without
recursion, over the brackets outside strings, and the size is capped before anything is decoded.
Uploads (multipart) are not JSON and keep their own per-file limit (civic.uploads).
"""

import codecs
import re
from itertools import accumulate

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_JSON_BYTES = 1024 * 1024  # 1 MiB
MAX_JSON_DEPTH = 32

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (0 for a bare value), without recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(_STEP[char] for char in brackets), default=0)


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser (NaN and Infinity refused) with a size and a depth limit."""

    max_bytes = MAX_JSON_BYTES
    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        raw = stream.read(self.max_bytes + 1) if stream is not None else b""
        if len(raw) > self.max_bytes:
            raise BodyTooLarge(_("The request body is larger than %(size)s.") % {"size": "1 MiB"})
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The body is not valid JSON."), code="parse_error") from None
        if json_depth(text) > self.max_depth:
            raise ParseError(
                _("The body is nested more than %(depth)d levels deep.") % {"depth": self.max_depth},
                code="too_deep",
            )
        try:
            parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
            return json.loads(text, parse_constant=parse_constant)
        except ValueError:
            raise ParseError(_("The body is not valid JSON."), code="parse_error") from None
