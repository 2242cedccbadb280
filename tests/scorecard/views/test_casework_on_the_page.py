"""The scorecard page shows the small-matter figures with their definitions, and the hot spots, in Chinese
and in English; organisers of the area get the link to turn recurring problems into proposals."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils.html import escape

from casework.models import ReportState
from tests.casework.factories import make_category, make_report

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = "?period=month&year=2025&month=3"


@pytest.fixture
def reports(world):
    cache.clear()
    lamp = make_category(world["D1"])
    for level in (5, 4, 1):
        make_report(world["c1a"], lamp, state=ReportState.CLOSED, rating=level,
                    submitted_at=datetime(2025, 3, 3, 10, tzinfo=SHANGHAI))  # fmt: skip
    return world


@pytest.mark.parametrize(
    "language, words",
    [
        (
            "zh-hans",
            ["关键小事响应率", "关键小事解决率", "关键小事办理时长中位数", "网上反映的关键小事", "关键小事满意率",
             "关键小事热点", "本期提交的关键小事诉求（不含被合并、撤回或驳回的）",
             "3 件已评价诉求中，2 件基本满意及以上"],
        ),
        (
            "en",
            ["Small matters accepted in time (响应率)", "Small matters resolved (解决率)",
             "Median handling time of small matters", "Small matters reported online",
             "Satisfaction with handled small matters (满意率)", "Hot spots of small matters",
             "leaving out those merged into another report, withdrawn or rejected",
             "2 of 3 rated reports were fairly satisfied or better"],
        ),
    ],
)  # fmt: skip
def test_the_figures_their_definitions_and_the_hot_spots_in_both_languages(client, reports, language, words):
    from django.urls import reverse

    client.post(reverse("set_language"), {"language": language, "next": "/"})  # the site's language switch
    html = client.get(f"/areas/{reports['D1'].code}/scorecard/{MARCH}")
    assert html.status_code == 200
    text = html.content.decode()
    for word in words:
        assert escape(word) in text, word
    assert "一网格" in text  # the hot spot's cell
    assert "/proposals/from-reports/" not in text  # visitors get no link


def test_organisers_get_the_link_to_the_suggestions(client, reports):
    from django.urls import reverse

    client.force_login(reports["organiser_here"])
    url = reverse("scorecard:scorecard-area", args=[reports["S1"].code]) + MARCH
    assert f"/proposals/from-reports/{reports['S1'].code}/" in client.get(url).content.decode()
