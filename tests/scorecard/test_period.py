"""The period of a scorecard: parsed from a query string, with clear errors for bad input."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.utils import translation

from civic.errors import InvalidInput
from scorecard.period import parse_period

TODAY = date(2026, 11, 17)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse(query: str):
    return parse_period(QueryDict(query), today=TODAY)


def test_without_parameters_it_is_this_year():
    period = parse("")
    assert (period.kind, period.start, period.end) == ("year", date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("query", "kind", "start", "end"),
    [
        ("period=month", "month", date(2026, 11, 1), date(2026, 11, 30)),
        ("period=month&year=2024&month=2", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("period=month&year=2025&month=12", "month", date(2025, 12, 1), date(2025, 12, 31)),
        ("period=quarter", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("period=quarter&year=2025&quarter=1", "quarter", date(2025, 1, 1), date(2025, 3, 31)),
        ("period=quarter&year=2025&quarter=3", "quarter", date(2025, 7, 1), date(2025, 9, 30)),
        ("period=year&year=2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
        ("period=custom&start=2026-01-05&end=2026-03-31", "custom", date(2026, 1, 5), date(2026, 3, 31)),
        ("period=custom&start=2026-01-05&end=2026-01-05", "custom", date(2026, 1, 5), date(2026, 1, 5)),
    ],
)
def test_each_kind_of_period(query, kind, start, end):
    period = parse(query)
    assert (period.kind, period.start, period.end) == (kind, start, end)


def test_a_plain_dict_works_too():
    period = parse_period({"period": "month", "year": "2026", "month": "3"}, today=TODAY)
    assert (period.start, period.end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_bounds_are_shanghai_midnights_from_the_first_day_to_the_day_after_the_last():
    start, end = parse("period=month&year=2026&month=2").bounds()
    assert start == datetime(2026, 2, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 3, 1, tzinfo=SHANGHAI)
    assert start.utcoffset().total_seconds() == 8 * 3600


def test_labels_in_english():
    with translation.override("en"):
        assert parse("period=month&year=2026&month=11").label == "November 2026"
        assert parse("period=quarter&year=2026&quarter=4").label == "Q4 2026"
        assert parse("period=year&year=2026").label == "2026"
        assert parse("period=custom&start=2026-01-05&end=2026-03-31").label == "2026-01-05 to 2026-03-31"


def test_month_label_in_chinese_uses_the_locale_format():
    with translation.override("zh-hans"):
        assert parse("period=month&year=2026&month=11").label == "2026年11月"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=week", "period"),
        ("period=month&month=13", "month"),
        ("period=month&month=0", "month"),
        ("period=month&month=x", "month"),
        ("period=quarter&quarter=5", "quarter"),
        ("period=year&year=abc", "year"),
        ("period=year&year=1999", "year"),
        ("period=year&year=2101", "year"),
        ("period=year&year=20261", "year"),
        ("period=custom&end=2026-03-31", "start"),
        ("period=custom&start=2026-01-05", "end"),
        ("period=custom&start=2026-02-30&end=2026-03-31", "start"),
        ("period=custom&start=05/01/2026&end=2026-03-31", "start"),
        ("period=custom&start=2026-03-31&end=2026-01-05", "end"),
        ("period=custom&start=2000-01-01&end=2026-01-01", "end"),
    ],
)
def test_bad_input_names_the_field(query, field):
    with pytest.raises(InvalidInput) as caught:
        parse(query)
    assert caught.value.field == field
    assert str(caught.value)


def test_bad_input_message_is_translated():
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        parse("period=month&month=13")
    assert str(caught.value) == "Choose a month from 1 to 12."
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        parse("period=custom&start=2026-03-31&end=2026-01-05")
    assert str(caught.value) == "The last day cannot come before the first day."
