"""civic.money, the one money parser and formatter, and the form and API fields built on it."""

import time
from decimal import Decimal

import pytest
from django import forms as django_forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from civic.api.fields import AmountField as ApiAmountField
from civic.errors import InvalidInput
from civic.forms import AmountField as FormAmountField
from civic.money import LIMIT, as_amount, format_yuan, parse_amount

D = Decimal


def parse(value, **options):
    return parse_amount(value, field="amount", **options)


def refusal(value, **options) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(value, **options)
    assert caught.value.field == "amount"
    return caught.value.code


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12,500.50", D("12500.50")),
        ("12500.5", D("12500.50")),
        ("0", D("0.00")),
        ("1,234,567", D("1234567.00")),
        ("１２，５００．５０", D("12500.50")),  # full-width, as a Chinese input method types it
        ("¥1,200", D("1200.00")),
        ("￥1,200", D("1200.00")),
        ("1200元", D("1200.00")),
        ("¥1200元", D("1200.00")),
        ("  12.34 ", D("12.34")),
        ("12.340", D("12.34")),  # a trailing zero says nothing more
        ("+12", D("12.00")),
        ("999999999999.99", D("999999999999.99")),
        ("007", D("7.00")),
    ],
)
def test_accepted_amounts(typed, amount):
    parsed = parse(typed)
    assert parsed == amount and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("12,5", "amount_invalid"),
        ("1,2,3", "amount_invalid"),
        ("1,234,5", "amount_invalid"),
        ("1,2345", "amount_invalid"),
        (",123", "amount_invalid"),
        ("12.", "amount_invalid"),
        (".5", "amount_invalid"),
        ("12 500", "amount_invalid"),
        ("12.345", "amount_precision"),
        ("0.001", "amount_precision"),
        ("NaN", "amount_invalid"),
        ("nan", "amount_invalid"),
        ("inf", "amount_invalid"),
        ("-inf", "amount_invalid"),
        ("Infinity", "amount_invalid"),
        ("1e5", "amount_invalid"),
        ("0x10", "amount_invalid"),
        ("12元5", "amount_invalid"),  # a sign of the currency only at the ends: not "1元2" read as 12
        ("1¥2", "amount_invalid"),
        ("12¥", "amount_invalid"),
        ("元12", "amount_invalid"),
        ("¥¥12", "amount_invalid"),
        ("12元元", "amount_invalid"),
        ("١٢", "amount_invalid"),  # digits of another script are not an amount typed here
        ("१२", "amount_invalid"),
        ("12\n", None),  # accepted: trailing space is trimmed (checked below)
        ("1\n2", "amount_invalid"),
        ("-5", "amount_negative"),
        ("−5", "amount_negative"),
        ("-¥5", "amount_negative"),
        ("1000000000000", "amount_too_large"),
        ("1,000,000,000,000", "amount_too_large"),
        ("abc", "amount_invalid"),
    ],
)
def test_refused_amounts(typed, code):
    if code is None:
        assert parse(typed) == D("12.00")
        return
    assert refusal(typed) == code


def test_negative_amounts_only_where_allowed():
    assert parse("-5", allow_negative=True) == D("-5.00")
    assert parse("−¥60.00", allow_negative=True) == D("-60.00")
    assert parse("- 12", allow_negative=True) == D("-12.00")
    assert refusal("-1000000000000", allow_negative=True) == "amount_too_large"


def test_zero_where_a_positive_amount_is_needed():
    assert refusal("0", positive=True) == "amount_zero"
    assert refusal("0.00", positive=True) == "amount_zero"
    assert refusal(0, positive=True) == "amount_zero"
    assert parse("0.01", positive=True) == D("0.01")


def test_negative_zero_is_plain_zero():
    for value in ("-0", "-0.00", D("-0"), D("-0.000")):
        parsed = parse(value, allow_negative=True)
        assert parsed == 0 and not parsed.is_signed() and format_yuan(parsed) == "¥0.00"
    assert not parse("-0").is_signed()


def test_empty_and_required():
    assert parse(None) is None and parse("") is None and parse("   ") is None
    assert refusal("", required=True) == "required" and refusal(None, required=True) == "required"


def test_a_huge_string_is_refused_quickly():
    for typed in ("9" * 10_000, "1" + ",000" * 3_000, "1." + "0" * 10_000 + "1", "-" + "9" * 10_000):
        started = time.perf_counter()
        with pytest.raises(InvalidInput) as caught:
            parse(typed, allow_negative=True)
        assert time.perf_counter() - started < 0.1
        assert caught.value.code in ("amount_too_large", "amount_precision")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, D("12.00")),
        (D("12.5"), D("12.50")),
        (12.5, D("12.50")),
        (0.1, D("0.10")),  # a JSON number read as the decimal it was written as, not its binary float
        (1200.0, D("1200.00")),
        (1e5, D("100000.00")),
        (10**12, "amount_too_large"),
        (1e16, "amount_too_large"),
        (D("1E+20"), "amount_too_large"),
        (12.345, "amount_precision"),
        (0.1 + 0.2, "amount_precision"),
        (D("12.345"), "amount_precision"),
        (float("nan"), "amount_invalid"),
        (float("inf"), "amount_invalid"),
        (float("-inf"), "amount_invalid"),
        (D("NaN"), "amount_invalid"),
        (D("sNaN"), "amount_invalid"),
        (D("Infinity"), "amount_invalid"),
        (True, "amount_invalid"),
        (False, "amount_invalid"),
        (-3, "amount_negative"),
        ([12], "amount_invalid"),
        ({"amount": 12}, "amount_invalid"),
    ],
)
def test_values_from_json_and_code(value, expected):
    if isinstance(expected, Decimal):
        assert parse(value) == expected
    else:
        assert refusal(value) == expected


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (D("30000"), "¥30,000.00"),
        (D("-60"), "−¥60.00"),
        (None, "—"),
        ("", "—"),
        (0, "¥0.00"),
        (D("1234567.891"), "¥1,234,567.89"),
        (D("0.005"), "¥0.01"),  # rounded half up, not to even
        (D("0.015"), "¥0.02"),
        (D("2.675"), "¥2.68"),
        (2.675, "¥2.68"),  # a float is read as it is written
        (D("-0.005"), "−¥0.01"),
        (D("-0.001"), "¥0.00"),  # rounds to zero: no minus sign on nothing
        (D("999999999999.99"), "¥999,999,999,999.99"),
        ("1200.5", "¥1,200.50"),
    ],
)
def test_format_yuan(amount, shown):
    assert format_yuan(amount) == shown


def test_format_yuan_empty_text():
    assert format_yuan(None, empty="") == ""


def test_as_amount():
    assert as_amount(None) == D("0.00") and as_amount(D("1.005")) == D("1.01") and as_amount(3) == D("3.00")


AMOUNTS = st.decimals(min_value=-(LIMIT - D("0.01")), max_value=LIMIT - D("0.01"), places=2, allow_nan=False)


@given(AMOUNTS)
def test_what_is_shown_reads_back_as_the_same_amount(x):
    shown = format_yuan(x)
    assert parse_amount(shown.lstrip("¥").replace("−", "-"), field="amount", allow_negative=True) == x
    assert parse_amount(shown, field="amount", allow_negative=True) == x  # with its sign of the currency too


# --- the form and API fields ------------------------------------------------------------------------


class MoneyForm(django_forms.Form):
    amount = FormAmountField(label="amount", positive=True)


class MoneySerializer(serializers.Serializer):
    amount = ApiAmountField(positive=True)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "请输入以元为单位的金额，例如 12000 或 12,000.50。"),
        ("en", "Enter an amount in yuan, e.g. 12000 or 12,000.50."),
    ],
)
def test_a_form_refuses_a_misplaced_comma_with_the_translated_message(language, message):
    with translation.override(language):
        form = MoneyForm({"amount": "12,5"})
        assert not form.is_valid()
        assert form.errors["amount"] == [message]
        assert form.errors.as_data()["amount"][0].code == "amount_invalid"


def test_a_form_reads_what_people_type():
    form = MoneyForm({"amount": "１２，５００．５０"})
    assert form.is_valid() and form.cleaned_data["amount"] == D("12500.50")
    too_long = MoneyForm({"amount": "9" * 41})
    assert not too_long.is_valid() and too_long.errors.as_data()["amount"][0].code == "amount_too_large"
    zero = MoneyForm({"amount": "0"})
    assert not zero.is_valid() and zero.errors.as_data()["amount"][0].code == "amount_zero"
    empty = MoneyForm({"amount": ""})
    assert not empty.is_valid() and empty.errors.as_data()["amount"][0].code == "required"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "请输入以元为单位的金额，例如 12000 或 12,000.50。"),
        ("en", "Enter an amount in yuan, e.g. 12000 or 12,000.50."),
    ],
)
def test_a_serializer_refuses_a_misplaced_comma_with_the_translated_message(language, message):
    with translation.override(language):
        body = MoneySerializer(data={"amount": "12,5"})
        assert not body.is_valid()
        assert [str(e) for e in body.errors["amount"]] == [message]
        assert body.errors["amount"][0].code == "amount_invalid"


@pytest.mark.parametrize(
    ("sent", "amount"),
    [("12,000.50", D("12000.50")), (12000.5, D("12000.50")), (12000, D("12000.00")), ("¥1,200", D("1200.00"))],
)
def test_a_serializer_reads_strings_and_numbers(sent, amount):
    body = MoneySerializer(data={"amount": sent})
    assert body.is_valid(), body.errors
    assert body.validated_data["amount"] == amount
    assert MoneySerializer({"amount": amount}).data == {"amount": f"{amount:.2f}"}


@pytest.mark.parametrize(
    ("sent", "code"),
    [(True, "amount_invalid"), (0, "amount_zero"), (12.345, "amount_precision"), ("1e5", "amount_invalid")],
)
def test_a_serializer_refuses_with_the_code(sent, code):
    body = MoneySerializer(data={"amount": sent})
    assert not body.is_valid() and body.errors["amount"][0].code == code
