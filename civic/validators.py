from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015, the unified social credit code (统一社会信用代码): 18 characters from this
# alphabet (no I, O, S, V, Z); the last is a check character computed from the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="credit_code_length")
    bad = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain: %(chars)s.") % {"chars": " ".join(bad)},
            code="credit_code_characters",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong; please check the code."),
            code="credit_code_check",
        )


def as_pk(value) -> int | None:
    """A primary key from request text, or None: ASCII digits only ("²" passes str.isdigit but not int),
    and no larger than a database integer, so a bad value is a clear "not found", never a 500."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def as_pks(values) -> list[int]:
    return [pk for pk in map(as_pk, values) if pk is not None]


# Chinese mobile numbers: 11 digits starting with 1, optionally written with +86 (or 0086) and with spaces or
# hyphens between groups. Stored in E.164 form (+8613812345678), which is also what allauth's phone login uses.
MOBILE_PREFIX = "+86"


def normalise_mobile(value: str) -> str:
    """The E.164 form of a Chinese mobile number, or raise ValidationError (code `phone_invalid`)."""
    text = "".join((value or "").split()).replace("-", "").replace("(", "").replace(")", "")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if len(text) != 11 or not text.isdigit() or not text.startswith("1"):
        raise ValidationError(
            _("Enter a mobile number of 11 digits starting with 1 (with or without +86)."), code="phone_invalid"
        )
    return MOBILE_PREFIX + text


def looks_like_mobile(value: str) -> bool:
    try:
        normalise_mobile(value)
    except ValidationError:
        return False
    return True
