"""Money, one way: amounts in yuan as `Decimal` with two decimals (fen), parsed from what people type by
`parse_amount` and shown as people read them by `format_yuan` (¥30,000.00). Every app, page, API field and
stored column uses these, so an amount is read, checked and written the same everywhere.

What `parse_amount` accepts: digits with an optional decimal point and at most two decimals; a comma only
as a thousands separator in the right places ("12,500.50", not "12,5" or "1,2,3"); full-width digits and
punctuation as typed by a Chinese input method ("１２，５００．５０"); an optional leading ¥/￥ (after the
sign, if any) and a trailing 元, nowhere else ("1元2" is refused, not read as 12); a JSON number as the
decimal it was written as (0.1 is 0.10). What it refuses, each with its own code and a translated
message: anything else (NaN, infinities, exponents, spaces inside, digits of other scripts), more than two
decimals, a negative amount unless the caller allows it, zero where the caller needs a positive amount, and
amounts at or above the column's limit.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext as _

from .errors import InvalidInput

FEN = Decimal("0.01")
MAX_DIGITS = 14  # a stored amount: up to 999,999,999,999.99 yuan
DECIMAL_PLACES = 2
LIMIT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES)  # first amount that no longer fits the column
SUM_DIGITS = 20  # sums and balances read out of the database (many amounts added up)

# Digits are ASCII after NFKC (full-width ones become ASCII); digits of other scripts ("١٢") are refused,
# and the signs of the currency are read only at their ends: "¥12", "12元", never "1元2".
_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)[ ]*(?:¥[ ]*)?(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?(?:[ ]*元)?"
)
_MINUS = {"−": "-", "﹣": "-"}  # NFKC makes "－" a hyphen-minus and "￥" a "¥", but not these


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()  # full-width digits, comma and point become ASCII
    for sign, replacement in _MINUS.items():
        text = text.replace(sign, replacement)
    return text


def _invalid(field: str) -> InvalidInput:
    return InvalidInput("amount_invalid", _("Enter an amount in yuan, e.g. 12000 or 12,000.50."), field=field)


def parse_amount(
    value,
    *,
    field: str,
    required: bool = False,
    positive: bool = False,
    allow_negative: bool = False,
    limit: Decimal = LIMIT,
) -> Decimal | None:
    """The amount typed or sent in `value` as a Decimal with two decimals; None when nothing was given and
    the amount is optional. Raises InvalidInput naming `field` for anything that is not a clean amount."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput("required", _("Enter an amount."), field=field)
        return None
    if isinstance(value, bool):
        raise _invalid(field)
    if isinstance(value, Decimal | int | float):
        # A float (a JSON number) is read as the decimal it was written as: 0.1 is 0.10, 1e16 is too large.
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise _invalid(field)
    else:
        text = _normalise(str(value))
        match = _AMOUNT.fullmatch(text)
        if match is None:
            raise _invalid(field)
        digits = match["int"].replace(",", "")
        frac = match["frac"] or ""
        if len(digits) > MAX_DIGITS + 4:  # far too long to be an amount; refuse before building a Decimal
            raise InvalidInput("amount_too_large", _("This amount is too large."), field=field)
        try:
            amount = Decimal(f"{match['sign']}{digits}.{frac or '0'}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise _invalid(field) from None
    if amount < 0 and not allow_negative:
        raise InvalidInput("amount_negative", _("An amount cannot be negative."), field=field)
    if positive and amount <= 0:
        raise InvalidInput("amount_zero", _("The amount must be above zero."), field=field)
    if abs(amount) >= limit:  # checked before quantizing: a huge number would overflow the context
        raise InvalidInput("amount_too_large", _("This amount is too large."), field=field)
    if amount != amount.quantize(FEN):
        raise InvalidInput("amount_precision", _("An amount has at most two decimals (fen)."), field=field)
    return _unsigned_zero(amount.quantize(FEN))


def _unsigned_zero(amount: Decimal) -> Decimal:
    """-0.00 is 0.00: a signed zero would be stored as such and shown as "¥-0.00"."""
    return amount.copy_abs() if amount.is_zero() else amount


def as_amount(value) -> Decimal:
    """A stored or computed amount (Decimal, int, None for an empty sum) rounded half up to the fen."""
    if value is None:
        return Decimal("0.00")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # 2.675 as written, not 2.67499…
    return _unsigned_zero(exact.quantize(FEN, rounding=ROUND_HALF_UP))


def format_yuan(amount, *, empty: str = "—") -> str:
    """An amount as people read it: ¥30,000.00; −¥60.00 for a negative one; `empty` for no amount."""
    if amount is None or amount == "":
        return empty
    value = as_amount(amount)
    if value < 0:
        return f"−¥{-value:,.2f}"
    return f"¥{value:,.2f}"


def amount_field(verbose_name=None, *, allow_negative: bool = False, **kwargs) -> models.DecimalField:
    """The one column for an amount in yuan: 14 digits, two decimals, not negative unless said."""
    validators = list(kwargs.pop("validators", []))
    if not allow_negative:
        validators.append(MinValueValidator(Decimal(0)))
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, validators=validators, **kwargs
    )
