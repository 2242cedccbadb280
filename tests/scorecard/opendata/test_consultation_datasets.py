"""The consultation datasets: every public consultation and opinion with its answer, nothing a page would
not show (hidden opinions, opinions kept to the drafters, drafts)."""

import pytest

from consultations import services
from consultations.models import Opinion
from scorecard import opendata
from tests.consultations.conftest import make_consultation  # noqa: F401 (a fixture)
from tests.consultations.results_fixtures import answered_consultation

pytestmark = pytest.mark.django_db


def test_consultations_and_their_answered_opinions(world, make_consultation):  # noqa: F811
    consultation, opinions = answered_consultation(world, make_consultation)
    make_consultation(publish=False, title="草稿，不公开")
    services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    rows = list(opendata.CONSULTATIONS.rows(world["D1"]))
    assert [(r["id"], r["state"], r["opinions"]) for r in rows] == [(consultation.pk, "concluded", 5)]
    assert rows[0]["url"].endswith(f"/consultations/{consultation.pk}/")
    answers = {r["id"]: r for r in opendata.CONSULTATION_OPINIONS.rows(world["D1"])}
    assert set(answers) == {o.pk for o in opinions.values()}
    wording = answers[opinions["wording"].pk]
    assert (wording["answer"], wording["unit_anchor"], wording["author"]) == ("adopted", "art1-p1", "resident")
    assert wording["proposed_wording"].startswith("为了维护")
    assert answers[opinions["letter"].pk]["unit"] is None and answers[opinions["letter"].pk]["source"] == "letter"
    assert list(opendata.CONSULTATIONS.rows(world["D2"])) == []


def test_hidden_and_private_opinions_stay_out(world, make_consultation):  # noqa: F811
    private = make_consultation(opinions_public=False, title="意见仅起草人可见")
    kept = services.opinion_submit(author=world["resident"], consultation=private, text="只给起草人看")
    public = make_consultation(title="公开意见")
    shown = services.opinion_submit(author=world["resident"], consultation=public, text="公开", as_resident=True)
    hidden = services.opinion_submit(author=world["resident"], consultation=public, text="被隐藏")
    Opinion.objects.filter(pk=hidden.pk).update(is_hidden=True)
    rows = {r["id"]: r for r in opendata.CONSULTATION_OPINIONS.rows(None)}
    assert kept.pk not in rows and hidden.pk not in rows
    assert rows[shown.pk]["author"] == "居民"
