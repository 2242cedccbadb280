"""The feedback report and the comparison, against figures counted by hand from the record."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from consultations import selectors, services
from consultations.models import Opinion, Source, TextUnit
from tests.consultations.results_fixtures import answered_consultation

pytestmark = pytest.mark.django_db


def final_unit(consultation, anchor):
    return TextUnit.objects.get(version__consultation=consultation, version__kind="final", anchor=anchor)


def test_the_report_counts_by_hand(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    report = selectors.feedback_report(consultation)
    assert report.opinions == 5
    # two people online, fifteen at the symposium, one letter
    assert (report.online_authors, report.symposium_attendance, report.participants) == (2, 15, 18)
    assert [(str(label), n) for label, n in report.by_source] == [
        (str(Source.ONLINE.label), 2),
        (str(Source.SYMPOSIUM.label), 2),
        (str(Source.LETTER.label), 1),
    ]
    assert report.by_classification == {
        "adopted": 1,
        "already_provided": 1,
        "not_adopted": 2,
        "out_of_scope": 1,
    }
    # (adopted + partly adopted) / answered other than outside this consultation; the group counts two
    assert report.adoption_base == 4
    assert report.adoption_rate == pytest.approx(0.25)
    assert report.answered == report.answered_in_time == 5
    assert len(report.adopted) == 1 and report.adopted[0].reason == "已按建议补充依据。"
    group_entries = [e for e in report.not_adopted if e.count == 2]
    assert len(report.not_adopted) == 3 and len(group_entries) == 1
    assert group_entries[0].text == "车位分配" and group_entries[0].reason == "车位分配另行制定办法。"
    per_unit = {label: (n, taken) for label, n, taken in report.by_unit}
    assert per_unit["第二条"] == (2, 0)
    assert per_unit[gettext("the text as a whole")] == (1, 0)
    assert sum(n for n, _ in per_unit.values()) == 5


def test_late_answers_are_counted_as_late(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    consultation.answer_due = consultation.closed_at.date().replace(year=consultation.closed_at.year - 1)
    report = selectors.feedback_report(consultation)
    assert report.answered_in_time == 0 and report.in_time_text.startswith("0")


def test_the_report_costs_the_same_whatever_the_number_of_opinions(world, make_consultation, django_assert_num_queries):
    consultation, _ = answered_consultation(world, make_consultation)
    with django_assert_num_queries(13):
        selectors.feedback_report(consultation)
    now = timezone.now()
    Opinion.objects.bulk_create(
        Opinion(
            consultation=consultation,
            source="letter",
            entered_by=world["organiser_here"],
            received_on=now.date(),
            text=f"来信 {n}",
            classification="partly_adopted" if n % 2 else "not_adopted",
            reason="理由",
            answered_by=world["official_here"],
            answered_at=now,
        )
        for n in range(40)
    )
    with django_assert_num_queries(13):
        report = selectors.feedback_report(consultation)
    assert report.opinions == 45 and len(report.adopted) == 21


def test_the_comparison_shows_changes_additions_and_removals_with_their_causes(world, make_consultation):
    consultation, opinions = answered_consultation(world, make_consultation)
    official = world["official_here"]
    services.final_prepare(actor=official, consultation=consultation)
    services.final_unit_revise(
        actor=official,
        unit=final_unit(consultation, "art1-p1"),
        text="为了维护业主的合法权益，根据《民法典》，制定本规约。",
        opinions=[opinions["wording"].pk],
    )
    services.final_unit_add(
        actor=official,
        consultation=consultation,
        after=final_unit(consultation, "art2-p1-i2"),
        kind="item",
        number="（三）",
        text="按规则分配车位。",
    )
    services.final_unit_remove(actor=official, unit=final_unit(consultation, "art3-p1"))
    rows = selectors.comparison(consultation)
    by_anchor = {r.anchor: r for r in rows}
    changed = by_anchor["art1-p1"]
    assert changed.status == "changed"
    assert changed.diff == "为了维护业主的合法权益，<ins>根据《民法典》，</ins>制定本规约。"
    assert changed.causes == [opinions["wording"]]
    assert by_anchor["art3-p1"].status == "removed"
    added = [r for r in rows if r.status == "added"]
    assert len(added) == 1 and added[0].final.text == "按规则分配车位。"
    order = [r.anchor for r in rows]
    assert order.index(added[0].anchor) == order.index("art2-p1-i2") + 1
    assert order.index("art3-p1") == order.index("art3") + 1  # a removed unit stays where it stood
    assert sum(1 for r in rows if r.status == "same") == len(rows) - 3
    assert selectors.feedback_report(consultation).changed_units == 3


def test_the_diff_escapes_what_people_typed(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    services.final_prepare(actor=world["official_here"], consultation=consultation)
    services.final_unit_revise(
        actor=world["official_here"], unit=final_unit(consultation, "art1-p1"), text="<script>alert(1)</script>"
    )
    row = next(r for r in selectors.comparison(consultation) if r.anchor == "art1-p1")
    assert "<script>" not in row.diff and "&lt;script&gt;" in row.diff


def test_result_decisions_are_concluded_consultations_without_a_notice(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    assert list(selectors.result_decisions(consultation.area_path)) == []
    services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    assert list(selectors.result_decisions(consultation.area_path)) == []  # published with its notice
    found = list(selectors.result_decisions(consultation.area_path, unpublished=False))
    assert [d.source_key for d in found] == [f"consult:{consultation.pk}"]


def test_the_report_cites_the_parts_as_the_site_does(world, make_consultation):
    """A paragraph is 第一条第一款 in the report too, not the start of its text."""
    consultation, _ = answered_consultation(world, make_consultation)
    with translation.override("zh-hans"):
        report = selectors.feedback_report(consultation)
        per_unit = [label for label, _, _ in report.by_unit]
        assert per_unit == ["整体意见", "第一条第一款", "第二条", "第三条第一款"]
        assert [e.unit for e in report.adopted] == ["第一条第一款"]
