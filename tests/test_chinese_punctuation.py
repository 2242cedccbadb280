"""Chinese sentences end in Chinese punctuation: no ASCII full stop after Chinese text (a receipt sentence
once ended in one)."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK_THEN_ASCII_STOP = re.compile(r"[\u4e00-\u9fff）”》]\s*\.(?:\s|$)")


def test_no_chinese_sentence_ends_with_an_ascii_full_stop():
    wrong = [
        (entry.msgid, text)
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if CJK_THEN_ASCII_STOP.search(text)
    ]
    assert wrong == []
