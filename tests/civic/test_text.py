"""civic.text.clean_text, the one way texts people type are cleaned before they are stored."""

import time

import pytest
from django.utils import translation

from civic.errors import InvalidInput
from civic.text import clean_text, has_forbidden_characters


def clean(value, **options):
    return clean_text(value, field="title", **{"limit": 20, **options})


def refusal(value, **options) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        clean(value, **options)
    assert caught.value.field == "title"
    return caught.value


CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
@pytest.mark.parametrize("single_line", [False, True])
def test_control_characters_are_refused(control, single_line):
    error = refusal(f"前{control}后", single_line=single_line)
    assert error.code == "text_invalid"
    assert has_forbidden_characters(control)


def test_nul_is_refused_with_a_translated_message():
    with translation.override("zh-hans"):
        assert str(refusal("a\x00b").message) == "文字中含有无法保存的字符（控制字符）。"
    with translation.override("en"):
        message = "The text contains characters that cannot be stored (control characters)."
        assert str(refusal("a\x00b").message) == message


@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "\udc00", "a\ud83d", "\ud83d\ude00"])
def test_lone_surrogates_are_refused(surrogate):
    assert refusal(surrogate).code == "text_invalid"


def test_what_people_type_is_kept():
    assert clean("社区议事 😀 café") == "社区议事 😀 café"  # an emoji is one code point, not a surrogate
    assert clean("a\tb") == "a\tb"  # a tab is no control character to refuse
    assert clean("  两端空格  ") == "两端空格"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("一\r\n二", "一\n二"), ("一\r二", "一\n二"), ("一\n\r\n二\r\n", "一\n\n二"), ("\r\n\r\n一", "一")],
)
def test_windows_and_old_mac_line_ends_become_line_feeds(typed, stored):
    assert clean(typed, limit=100) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  社区\n  议事\t会 ", "社区 议事 会"),
        ("a\r\nb", "a b"),
        ("a\u3000\u3000b", "a b"),  # ideographic spaces fold too
        ("a\u2028b", "a b"),
    ],
)
def test_a_single_line_text_folds_white_space(typed, stored):
    assert clean(typed, single_line=True) == stored


def test_the_limit_counts_characters_after_cleaning():
    assert clean("字" * 20) == "字" * 20
    assert clean("  " + "字" * 20 + "\n") == "字" * 20
    assert clean("字 " * 10, single_line=True) == "字 " * 9 + "字"
    error = refusal("字" * 21)
    assert error.code == "too_long"
    with translation.override("zh-hans"):
        assert str(refusal("字" * 21).message) == "最多 20 个字。"
    with translation.override("en"):
        assert str(clean_text_error("x" * 1001, limit=1000).message) == "At most 1,000 characters."


def clean_text_error(value, **options) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        clean_text(value, field="body", **options)
    return caught.value


@pytest.mark.parametrize("typed", [None, "", "   ", "\n\r\n\t", "\u3000"])
def test_required(typed):
    assert clean(typed) == ""
    assert refusal(typed, required=True).code == "required"
    assert str(refusal(typed, required=True, message="请填写标题。").message) == "请填写标题。"


@pytest.mark.parametrize("typed", ["\u200b", "\ufeff", " \u200b\u2060 ", "\u200c\u200d"])
def test_invisible_characters_alone_are_no_text(typed):
    assert clean(typed, single_line=True) == "" and clean(typed) == ""
    assert refusal(typed, required=True).code == "required"


def test_invisible_characters_at_the_ends_are_trimmed():
    assert clean("\ufeff标题\u200b ", single_line=True) == "标题"
    assert clean("👨\u200d👩", single_line=True) == "👨\u200d👩"  # a joiner inside an emoji stays


@pytest.mark.parametrize("value", [12, b"bytes", ["a"], {"a": 1}])
def test_only_text_is_text(value):
    assert refusal(value).code == "text_invalid"


def test_long_runs_of_white_space_are_cleaned_quickly():
    started = time.perf_counter()
    typed = " x" + " " * 200_000 + "\u200by" + "\n" * 200_000 + "z"
    assert refusal(typed).code == "too_long"
    assert clean(typed, single_line=True) == "x \u200by z"
    assert time.perf_counter() - started < 1


def test_localized_name_follows_the_page_language_and_falls_back_to_chinese():
    from django.utils import translation

    from civic.text import localized

    with translation.override("en"):
        assert localized("路灯照明", "Street lighting") == "Street lighting"
        assert localized("路灯照明", "") == "路灯照明"
    with translation.override("zh-hans"):
        assert localized("路灯照明", "Street lighting") == "路灯照明"
