"""The consultation figures (法治: 开门立法) on a consultation counted by hand: held, participants,
opinions, the adoption rate and answers by the deadline; the area and period they cover."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultations.models import Opinion
from scorecard.period import custom_period
from scorecard.selectors import scorecard
from tests.consultations.conftest import make_consultation  # noqa: F401 (a fixture)
from tests.consultations.results_fixtures import answered_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _figures(area, period) -> dict:
    card = scorecard(area, period)
    return {f["key"]: f for g in card["governances"] for f in g["figures"] if f["key"].startswith("consultation")}


def _period():
    today = timezone.localdate()
    return custom_period(today - timedelta(days=30), today + timedelta(days=1))


def test_the_consultation_figures_by_hand(world, make_consultation):  # noqa: F811
    answered_consultation(world, make_consultation)
    figures = _figures(world["D1"], _period())
    assert figures["consultations_held"]["value"] == 1
    # two people online, fifteen at the symposium, one letter
    assert figures["consultation_participants"]["value"] == 18
    assert figures["consultation_opinions"]["value"] == 5
    # one adopted of four answered inside the consultation's scope (the group counts two)
    rate = figures["consultation_adoption_rate"]
    assert (rate["numerator"], rate["denominator"], float(rate["value"])) == (1, 4, 0.25)
    in_time = figures["consultation_answered_in_time_share"]
    assert (in_time["numerator"], in_time["denominator"]) == (5, 5)


def test_late_and_unanswered_opinions_count_against(world, make_consultation):  # noqa: F811
    consultation, opinions = answered_consultation(world, make_consultation)
    # the deadline moved before the answers: every answer is late
    type(consultation).objects.filter(pk=consultation.pk).update(answer_due=timezone.localdate() - timedelta(days=1))
    Opinion.objects.filter(pk=opinions["letter"].pk).update(
        answered_at=None, classification="", reason="", answered_by=None
    )
    in_time = _figures(world["D1"], _period())["consultation_answered_in_time_share"]
    assert (in_time["numerator"], in_time["denominator"]) == (0, 5)


def test_other_areas_and_periods_do_not_count_it(world, make_consultation):  # noqa: F811
    answered_consultation(world, make_consultation)
    assert _figures(world["D2"], _period())["consultations_held"]["value"] == 0
    today = timezone.localdate()
    earlier = custom_period(today - timedelta(days=400), today - timedelta(days=300))
    assert _figures(world["D1"], earlier)["consultation_opinions"]["value"] == 0
    assert _figures(world["D1"], earlier)["consultation_adoption_rate"]["value"] is None
