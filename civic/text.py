"""Text as people type it, one way: every service cleans the texts it stores with `clean_text`.

It strips the ends (white space, and the zero-width characters a paste brings along), turns Windows line
ends into plain ones, folds every run of white space into one space for a single-line text (a name, a
title), and refuses what no person types and what breaks storage or screens: NUL and other control
characters, lone surrogates (invalid UTF-16 halves that PostgreSQL and JSON encoders reject), and texts
longer than the field's documented maximum.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .errors import InvalidInput

# C0 and C1 control characters except tab and line feed; plus lone surrogates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# The invisible format characters a paste brings along (zero-width space and joiners, word joiner,
# byte-order mark): trimmed at the ends with the white space, so that a text of them alone is no text.
# Inside a text they stay (a joiner binds an emoji sequence).
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _trim(text: str) -> str:
    """The text without white space or invisible characters at its ends, in one pass (a regular
    expression anchored at the end would take quadratic time on long runs of spaces)."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return text[start:end]


def has_forbidden_characters(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def clean_text(
    value,
    *,
    field: str,
    limit: int,
    required: bool = False,
    single_line: bool = False,
    message=None,
) -> str:
    """The cleaned text, or InvalidInput naming `field` (`required`, `too_long`, `text_invalid`)."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    else:
        raise InvalidInput("text_invalid", _("Enter text."), field=field)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_forbidden_characters(text):
        raise InvalidInput(
            "text_invalid", _("The text contains characters that cannot be stored (control characters)."), field=field
        )
    text = _trim(" ".join(text.split()) if single_line else text)
    if required and not text:
        raise InvalidInput("required", message or _("This field is required."), field=field)
    if len(text) > limit:
        raise InvalidInput("too_long", _("At most %(n)s characters.") % {"n": f"{limit:,}"}, field=field)
    return text


def localized(chinese: str, english: str = "") -> str:
    """A name officials enter in Chinese and optionally in English (a category, a unit), for the
    reader's language: the English name on English pages where one was given, else the Chinese one."""
    from django.utils.translation import get_language

    if english and (get_language() or "").lower().startswith("en"):
        return english
    return chinese
