"""Every string the site shows has a natural Chinese translation that keeps its placeholders."""

import re
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _entries(lang):
    return [e for e in polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po")) if not e.obsolete]


def test_every_string_has_a_chinese_translation():
    missing = [e.msgid for e in _entries("zh_Hans") if "fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0))]
    assert missing == []


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_translations_keep_placeholders(lang):
    for entry in _entries(lang):
        for translated in [entry.msgstr, *entry.msgstr_plural.values()]:
            if translated:
                assert sorted(set(PLACEHOLDER.findall(translated))) == sorted(set(PLACEHOLDER.findall(entry.msgid))), (
                    entry.msgid
                )


def test_catalogues_compile_without_gettext(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    target = tmp_path / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.po").write_bytes((LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_bytes())
    call_command("compiletranslations", verbosity=0)
    mo = polib.mofile(str(target / "django.mo"))
    assert mo.find("Neighbourhood Co-governance").msgstr == "邻里共治"
