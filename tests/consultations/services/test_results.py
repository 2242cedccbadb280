"""The result: the final text written from the draft, changes linked to adopted opinions, publication as an
outcome notice, and each refusal on the way (nothing half-written)."""

import pytest

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import Notification, OutcomeNotice
from consultations import services
from consultations.models import Consultation, TextUnit, TextVersion
from tests.consultations.results_fixtures import answered_consultation
from tests.world import fresh

pytestmark = pytest.mark.django_db


def final_unit(consultation, anchor):
    return TextUnit.objects.get(version__consultation=consultation, version__kind="final", anchor=anchor)


def test_the_final_text_starts_as_a_copy_of_the_draft_with_the_same_anchors(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    final = services.final_prepare(actor=world["official_here"], consultation=consultation)
    draft = list(TextUnit.objects.filter(version__consultation=consultation, version__kind="draft"))
    copies = list(TextUnit.objects.filter(version=final).select_related("replaces", "parent"))
    assert [u.anchor for u in copies] == [u.anchor for u in draft]
    assert all(c.replaces.anchor == c.anchor and c.text == c.replaces.text for c in copies)
    assert final_unit(consultation, "art2-p1-i1").parent == final_unit(consultation, "art2-p1")
    # a second start gives the same final text, not a second copy
    assert services.final_prepare(actor=world["official_here"], consultation=consultation) == final
    assert TextVersion.objects.filter(consultation=consultation).count() == 2


def test_only_drafters_write_the_final_text_and_only_after_the_window(world, make_consultation, open_consultation):
    with pytest.raises(Conflict) as refused:
        services.final_prepare(actor=world["official_here"], consultation=open_consultation)
    assert refused.value.code == "final_not_editable"
    consultation, _ = answered_consultation(world, make_consultation)
    for person in ("resident", "organiser_here", "official_elsewhere"):
        with pytest.raises(NotAllowed):
            services.final_prepare(actor=world[person], consultation=consultation)
    assert not TextVersion.objects.filter(consultation=consultation, kind="final").exists()


def test_a_change_names_adopted_opinions_only(world, make_consultation):
    consultation, opinions = answered_consultation(world, make_consultation)
    official = world["official_here"]
    services.final_prepare(actor=official, consultation=consultation)
    unit = final_unit(consultation, "art1-p1")
    new_text = "为了维护业主的合法权益，根据《民法典》，制定本规约。"
    with pytest.raises(InvalidInput) as refused:
        services.final_unit_revise(actor=official, unit=unit, text=new_text, opinions=[opinions["plain"].pk])
    assert refused.value.code == "opinion_not_adopted"
    unit.refresh_from_db()
    assert unit.text != new_text  # nothing half-written
    other = make_consultation(title="另一个")
    with pytest.raises(InvalidInput) as refused:
        services.final_unit_revise(actor=official, unit=unit, text=new_text, opinions=[999999])
    assert refused.value.code == "opinion_unknown"
    assert other.pk  # the other consultation's opinions are unknown here too
    services.final_unit_revise(actor=official, unit=unit, text=new_text, opinions=[opinions["wording"].pk])
    unit.refresh_from_db()
    assert unit.text == new_text
    assert list(unit.changed_by.all()) == [opinions["wording"]]
    with pytest.raises(InvalidInput) as refused:
        services.final_unit_revise(actor=official, unit=unit.replaces, text="x")
    assert refused.value.code == "unit_not_final"


def test_adding_and_removing_units_keeps_the_order(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    official = world["official_here"]
    services.final_prepare(actor=official, consultation=consultation)
    after = final_unit(consultation, "art2-p1-i2")
    added = services.final_unit_add(
        actor=official, consultation=consultation, after=after, kind="item", number="（三）", text="分配车位。"
    )
    order = list(
        TextUnit.objects.filter(version__consultation=consultation, version__kind="final")
        .order_by("position")
        .values_list("anchor", flat=True)
    )
    assert order.index(added.anchor) == order.index("art2-p1-i2") + 1
    assert added.replaces is None and added.parent == after.parent
    with pytest.raises(InvalidInput) as refused:
        services.final_unit_add(actor=official, consultation=consultation, kind="item", text="  ")
    assert refused.value.code == "required"
    services.final_unit_remove(actor=official, unit=final_unit(consultation, "ch2"))
    remaining = set(
        TextUnit.objects.filter(version__consultation=consultation, version__kind="final").values_list(
            "anchor", flat=True
        )
    )
    assert not {"ch2", "art3", "art3-p1"} & remaining  # the chapter with what is inside it


def test_publishing_the_result_needs_every_answer(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation, finish=False)
    with pytest.raises(Conflict) as refused:
        services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    assert refused.value.code == "opinions_unanswered"
    assert not OutcomeNotice.objects.exists()


def test_publishing_the_result_publishes_the_notice_and_tells_people(world, make_consultation):
    services.area_subscribe(user=world["resident_elsewhere"], area=world["D1"])
    consultation, opinions = answered_consultation(world, make_consultation)
    official = world["official_here"]
    services.consultation_follow(user=world["member"], consultation=consultation)
    services.final_prepare(actor=official, consultation=consultation)
    services.final_unit_revise(
        actor=official,
        unit=final_unit(consultation, "art1-p1"),
        text="为了维护业主的合法权益，根据《民法典》，制定本规约。",
        opinions=[opinions["wording"].pk],
    )
    services.consultation_conclude(actor=official, consultation=consultation)
    consultation = Consultation.objects.get(pk=consultation.pk)
    assert consultation.state == "concluded" and consultation.concluded_at is not None
    assert TextVersion.objects.get(consultation=consultation, kind="final").published_at == consultation.concluded_at
    notice = OutcomeNotice.objects.get()
    assert notice.kind == "consult" and notice.source_key == f"consult:{consultation.pk}"
    assert notice.area == consultation.area
    assert "5" in notice.body and "1" in notice.body  # five opinions, one adopted
    assert notice.source_url.endswith(f"/consultations/{consultation.pk}/report/")
    told = Notification.objects.filter(url__endswith=f"/consultations/{consultation.pk}/report/")
    assert set(told.values_list("recipient__display_name", flat=True)) >= {"member", "resident_elsewhere"}
    with pytest.raises(Conflict):
        services.consultation_conclude(actor=official, consultation=consultation)
    with pytest.raises(Conflict) as refused:
        services.final_unit_revise(actor=official, unit=final_unit(consultation, "art1-p1"), text="再改")
    assert refused.value.code == "final_not_editable"


def test_a_legislatures_draft_needs_the_summary_for_upstream(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation, originator="七七市人大常委会法制工作委员会")
    with pytest.raises(InvalidInput) as refused:
        services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    assert refused.value.code == "summary_missing"
    consultation.refresh_from_db()
    assert consultation.state == "answered" and not OutcomeNotice.objects.exists()
    services.consultation_conclude(actor=world["official_here"], consultation=consultation, summary="共五条意见。")
    consultation.refresh_from_db()
    assert consultation.result_summary == "共五条意见。"


def test_a_named_drafter_who_is_not_an_official_cannot_publish_the_notice(world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    consultation.drafters.add(world["organiser_here"])
    organiser = fresh(world["organiser_here"])
    services.final_prepare(actor=organiser, consultation=consultation)  # may write the text
    with pytest.raises(NotAllowed):
        services.consultation_conclude(actor=organiser, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.state == "answered"
