"""Who reads which opinions, the counts on the text, how units are cited, the answering progress."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations import selectors, services
from consultations.models import Opinion
from tests.consultations.conftest import close

pytestmark = pytest.mark.django_db


def test_opinions_kept_to_the_drafters_until_answered(world, make_consultation):
    consultation = make_consultation(participation="signed_in", opinions_public=False)
    mine = services.opinion_submit(author=world["resident"], consultation=consultation, unit="art1-p1", text="甲")
    services.opinion_submit(author=world["resident_elsewhere"], consultation=consultation, unit="art1-p1", text="乙")
    assert list(selectors.visible_opinions(world["resident"], consultation)) == [mine]
    assert selectors.visible_opinions(AnonymousUser(), consultation).count() == 0
    assert selectors.visible_opinions(world["official_here"], consultation).count() == 2
    counted = {
        u.anchor: u.opinion_total
        for u in selectors.units(selectors.version_of(consultation), counted_for=world["resident"])
    }
    assert counted["art1-p1"] == 1
    close(consultation)
    for opinion in Opinion.objects.all():
        services.opinion_answer(
            actor=world["official_here"], opinion=opinion, classification="not_adopted", reason="理由"
        )
    services.consultation_finish_answering(actor=world["official_here"], consultation=consultation)
    consultation.refresh_from_db()
    assert selectors.visible_opinions(AnonymousUser(), consultation).count() == 2


def test_hidden_opinions_are_out_of_the_public_list(world, open_consultation):
    opinion = services.opinion_submit(author=world["resident"], consultation=open_consultation, text="甲")
    Opinion.objects.filter(pk=opinion.pk).update(is_hidden=True)
    assert selectors.opinions(AnonymousUser(), open_consultation).count() == 0
    assert selectors.opinions(world["resident"], open_consultation).count() == 1
    assert selectors.opinions(world["official_here"], open_consultation).count() == 1


def test_units_are_cited_as_law_cites_them(world, open_consultation):
    unit_list = selectors.units(selectors.version_of(open_consultation))
    by_pk = selectors.unit_labels(unit_list)
    labels = {u.anchor: by_pk[u.pk] for u in unit_list}
    assert labels["art2"] == "第二条"
    assert labels["art2-p1"] == "第二条第一款"
    assert labels["art2-p1-i2"] == "第二条第一款第（二）项"


def test_the_author_as_shown(world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    named = services.opinion_submit(author=world["resident"], consultation=consultation, text="甲")
    unnamed = services.opinion_submit(author=world["member"], consultation=consultation, text="乙", as_resident=True)
    assert selectors.author_label(named) == world["resident"].public_name
    assert selectors.author_label(unnamed) == "居民"


def test_answer_progress_in_one_query(world, open_consultation, django_assert_num_queries):
    for text in ("甲", "乙", "丙"):
        services.opinion_submit(author=world["resident"], consultation=open_consultation, text=text)
    close(open_consultation)
    services.opinion_answer(
        actor=world["official_here"], opinion=Opinion.objects.first(), classification="adopted", reason="采纳"
    )
    with django_assert_num_queries(1):
        progress = selectors.answer_progress(open_consultation)
    assert (progress["total"], progress["answered"], progress["unanswered"], progress["adopted"]) == (3, 1, 2, 1)
