"""Timeline lines keep codes of fixed vocabularies and are worded in the reader's language when shown;
lines written before (words of one language) are turned into codes by a data migration."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import override

from civic.models import TimelineEntry
from civic.selectors.timeline import render_timeline_entry


def _line(verb, **params):
    return TimelineEntry(verb=verb, params=params)


@pytest.mark.parametrize(
    ("line", "chinese", "english"),
    [
        (
            _line("project.commitment", funder="居民众筹", amount="¥2,000.00", source="residents"),
            "居民自筹",
            "residents' self-raised money",
        ),
        (_line("award.advance_paid", amount="¥1,350.00", condition="start"), "开工时", "at the start of work"),
        (_line("award.objection_answered", outcome="rejected"), "异议不成立", "rejected"),
        (
            _line("proposal.adopted", by="session", where="十二月议事会"),
            "（议事会议“十二月议事会”）",
            "(council session “十二月议事会”)",
        ),
        (
            _line("proposal.not_adopted", by="vote", where="预算投票"),
            "（社区投票“预算投票”）",
            "(community vote “预算投票”)",
        ),
        (
            _line("proposal.unscheduled", not_held="十月会议"),
            "会议“十月会议”因未达法定人数未能召开",
            "the session “十月会议” was not held",
        ),
    ],
)
def test_codes_are_worded_in_the_readers_language(line, chinese, english):
    with override("zh-hans"):
        assert chinese in render_timeline_entry(line)
    with override("en"):
        assert english in render_timeline_entry(line)


def test_free_text_of_older_lines_is_shown_as_it_was():
    assert "（柳岸社区议事会表决通过）" in render_timeline_entry(
        _line("proposal.adopted", how="（柳岸社区议事会表决通过）")
    )


@pytest.mark.django_db
def test_older_lines_are_turned_into_codes(django_user_model):
    subject = ContentType.objects.get_for_model(django_user_model)
    rows = [
        ("project.commitment", {"source": "居民自筹", "funder": "众筹"}, {"source": "residents", "funder": "众筹"}),
        ("award.advance_paid", {"condition": "at the start of work"}, {"condition": "start"}),
        ("award.objection_answered", {"outcome": "异议不成立"}, {"outcome": "rejected"}),
        ("proposal.adopted", {"how": "（议事会议“十二月会议”）"}, {"by": "session", "where": "十二月会议"}),
        ("proposal.not_adopted", {"how": "(community vote “预算”)"}, {"by": "vote", "where": "预算"}),
        ("proposal.unscheduled", {"why": "会议“十月会议”因未达法定人数未能召开"}, {"not_held": "十月会议"}),
        ("proposal.adopted", {"how": "（柳岸社区议事会表决通过）"}, {"how": "（柳岸社区议事会表决通过）"}),
    ]
    entries = [TimelineEntry.objects.create(subject_type=subject, subject_id=1, verb=v, params=p) for v, p, _ in rows]
    importlib.import_module("funding.migrations.0009_timeline_codes").to_codes(apps, None)
    importlib.import_module("proposals.migrations.0007_timeline_decision_codes").to_codes(apps, None)
    for entry, (_verb, _before, after) in zip(entries, rows, strict=True):
        entry.refresh_from_db()
        assert entry.params == after
