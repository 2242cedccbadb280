"""Checks shared by the funding services: amounts, texts and dates as people type them."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from civic.errors import InvalidInput

from ..subsidy import FEN

MAX_AMOUNT = Decimal("1e12")


def number(value, field: str) -> Decimal | None:
    """A finite Decimal from what was typed, or None for nothing typed."""
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput("not_a_number", _("Enter a number."), field=field) from None
    if not result.is_finite():
        raise InvalidInput("not_a_number", _("Enter a number."), field=field)
    return result


def money(value, field: str, *, required: bool = True, positive: bool = False) -> Decimal | None:
    """An amount in yuan: not negative (or above zero), at most two decimals, not absurdly large."""
    amount = number(value, field)
    if amount is None:
        if required:
            raise InvalidInput("required", _("Enter an amount."), field=field)
        return None
    if amount < 0:
        raise InvalidInput("amount_negative", _("An amount cannot be negative."), field=field)
    if positive and amount == 0:
        raise InvalidInput("amount_zero", _("The amount must be above zero."), field=field)
    if amount >= MAX_AMOUNT:  # checked before quantizing: a huge number would overflow
        raise InvalidInput("amount_too_large", _("This amount is too large."), field=field)
    if amount != amount.quantize(FEN):
        raise InvalidInput("amount_precision", _("An amount has at most two decimals (fen)."), field=field)
    return amount.quantize(FEN)


def text(value, field: str, *, limit: int, required: bool = False, message=None) -> str:
    result = (value or "").strip()
    if required and not result:
        raise InvalidInput("required", message or _("This field is required."), field=field)
    if len(result) > limit:
        raise InvalidInput("too_long", _("At most %(n)s characters.") % {"n": f"{limit:,}"}, field=field)
    return result


FIRST_YEAR, LAST_YEAR = 2000, 2100  # a plan or a receipt outside these years is a typing mistake


def day(value, field: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput("required", _("Enter a date."), field=field)
        return None
    parsed = value if isinstance(value, date) else None
    if parsed is None:
        try:
            parsed = parse_date(str(value))
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput("date_invalid", _("Enter a date as YYYY-MM-DD."), field=field)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise InvalidInput(
            "date_out_of_range",
            _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
    return parsed
