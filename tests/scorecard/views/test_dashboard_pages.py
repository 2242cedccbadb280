"""The scorecard pages as a visitor sees them: the dashboard of the city and of an area, the period
selector and its errors, the comparison of the areas below, the yearly report; bounded queries."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from civic.models import Area
from scorecard import selectors
from scorecard.period import year_period
from tests.factories import make_area_tree

pytestmark = pytest.mark.django_db

FIGURE_KEYS = {
    "precise": [
        "median_answer_days",
        "answered_in_time_share",
        "overdue_now",
        "casework_response_rate",
        "casework_resolution_rate",
        "casework_median_days",
    ],
    "rule_based": [
        "quorum_share",
        "minutes_share",
        "points_of_order_raised",
        "points_of_order_upheld",
        "consultations_held",
        "consultation_participants",
        "consultation_opinions",
        "consultation_adoption_rate",
        "consultation_answered_in_time_share",
    ],
    "digital": ["participation_share", "online_share", "casework_online_share"],
    "shared": ["enterprise_social_proposal_share", "enterprise_social_cofunding_share", "organisations_taking_part"],
    "trust": [
        "satisfaction_rate",
        "average_score",
        "casework_satisfaction_rate",
        "notices_on_time_share",
        "objections_on_time_share",
    ],
}


def text_of(response) -> str:
    """The page as words: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet_logins=True)
    return Area.objects.get(code="990102")  # 东湖区, where the demo's projects are


# --- with the real figures, on the demo city ----------------------------------------------------------------


def test_the_city_scorecard_shows_the_five_governances_with_their_figures_and_definitions(
    client, demo, django_assert_max_num_queries
):
    response = client.get("/scorecard/")
    assert response.status_code == 200
    html = response.content.decode()
    year = timezone.localdate().year
    card = selectors.scorecard(None, year_period(year))
    for governance in card["governances"]:
        assert f'id="gov-{governance["key"]}"' in html
        for figure in governance["figures"]:
            assert escape(str(figure["label"])) in html
            assert escape(str(figure["definition"])) in html  # inside its "how this is computed" disclosure
    assert html.count('<details class="sc-how">') == sum(len(keys) for keys in FIGURE_KEYS.values()) + 1
    # every chart is an image with a text alternative, inside a figure
    assert html.count('role="img"') == html.count("<title id=") == html.count("<desc id=")
    assert html.count('role="img"') >= 5 + 1 + 2  # governance cards, funnel, the two share bars
    # the funnel table carries the same counts as the selector
    words = text_of(response)
    for step in card["funnel"]:
        assert f"{step['label']} {step['count']}" in words
    # links: the yearly report and the open data, and each district's scorecard in the comparison
    assert f'href="/report/{year}/"' in html
    assert 'href="/open-data/"' in html
    for district in Area.objects.filter(level="district"):
        assert f'href="/areas/{district.code}/scorecard/' in html

    # (the demo takes long to seed: the same test goes on with the query bound and a grid cell)
    # bounded: the figures are aggregates (and until when they hold), the page then kept until a record it
    # counts changes (scorecard.pages): the kept page and its versions are one query
    with django_assert_max_num_queries(70):
        assert client.get("/scorecard/?period=month").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/scorecard/?period=month").status_code == 200

    # a grid cell has no areas below: no comparison
    cell = Area.objects.filter(level="grid").first()
    response = client.get(f"/areas/{cell.code}/scorecard/")
    assert response.status_code == 200
    assert "sc-compare" not in response.content.decode()


def test_a_district_scorecard_and_its_yearly_report(client, demo, django_assert_max_num_queries):
    response = client.get("/areas/990102/scorecard/?period=quarter")
    assert response.status_code == 200
    html = response.content.decode()
    words = text_of(response)
    assert "东湖区" in words
    # breadcrumb up the tree: the whole city, then the city area
    crumbs = re.search(r'<nav aria-label="[^"]+" class="breadcrumb[^"]*">(.*?)</nav>', html, re.S).group(1)
    assert 'href="/scorecard/"' in crumbs and 'href="/areas/990100/scorecard/"' in crumbs
    assert 'aria-current="page">东湖区' in crumbs
    # one comparison row per subdistrict, each linking to its own scorecard for the same period
    table = re.search(r'<table class="table sc-compare">(.*?)</table>', html, re.S).group(1)
    for sub in Area.objects.filter(parent=demo):
        assert f'href="/areas/{sub.code}/scorecard/?period=quarter">{sub.name}</a>' in table
    assert table.count("<tr>") == 1 + Area.objects.filter(parent=demo).count()
    # small multiples: one bar chart per key figure, one bar row per subdistrict
    assert html.count('class="sc-svg sc-bars"') >= 3
    assert 'href="/areas/990102/open-data/"' in html
    assert f'href="/areas/990102/report/{timezone.localdate().year}/"' in html
    assert 'aria-current="true">' in html  # "this quarter" is marked as the period shown

    # the yearly report: the projects built, with cost, award, paid and satisfaction
    year = timezone.localdate().year
    report = selectors.yearly_report(demo, year)
    assert report["projects"], "the demo builds projects in 东湖区"
    with django_assert_max_num_queries(64):
        response = client.get(f"/areas/990102/report/{year}/")
    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r'<table class="table stack sc-projects">(.*?)</table>', html, re.S).group(1)
    for row in report["projects"]:
        assert f'href="/projects/{row["project"].pk}/">{row["title"]}</a>' in table
        assert f"¥{row['award']:,.2f}" in table and f"¥{row['paid']:,.2f}" in table
    total_paid = sum(row["paid"] for row in report["projects"])
    assert f"¥{total_paid:,.2f}" in table  # the footer adds up the listed projects
    assert f"¥{report['money']['paid']:,.2f}" in html
    # printable: its own stylesheet with the print rules, and the print button from a script file
    assert "/static/css/scorecard.css" in html and "/static/js/scorecard.js" in html
    assert "data-print hidden" in html
    assert "<script>" not in html  # the CSP forbids inline scripts
    assert client.get(f"/report/{year}/").status_code == 200


def test_an_unknown_area_is_404(client, db):
    assert client.get("/areas/nowhere/scorecard/").status_code == 404
    assert client.get("/areas/nowhere/report/2026/").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=weekly", "Choose a month, a quarter, a year or your own dates."),
        ("period=custom&start=2026-13-01&end=2026-12-31", "Enter the first day as a date like 2026-01-05."),
        ("period=custom&start=2026-03-01&end=2026-01-01", "The last day cannot come before the first day."),
        ("period=month&year=2026&month=13", "Choose a month from 1 to 12."),
        ("period=year&year=abc", "Enter a year between 2000 and 2100."),
    ],
)
def test_a_bad_period_shows_the_error_on_the_form_and_the_page_with_this_year(client, settings, query, message):
    settings.LANGUAGE_CODE = "en"
    make_area_tree()
    response = client.get(f"/scorecard/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="message message-error" role="alert"' in html
    assert '<details class="sc-choose" open>' in html  # the form is open where the error is
    year = timezone.localdate().year
    assert f"Period: {year}" in text_of(response)
    assert f"From {year}-01-01 to {year}-12-31" in text_of(response)


def test_a_custom_period_is_shown_with_its_dates_and_keeps_the_form_filled(client, settings):
    settings.LANGUAGE_CODE = "en"
    make_area_tree()
    response = client.get("/scorecard/?period=custom&start=2026-01-05&end=2026-03-31")
    words = text_of(response)
    assert "From 2026-01-05 to 2026-03-31" in words
    html = response.content.decode()
    assert 'value="2026-01-05"' in html and 'value="2026-03-31"' in html


def test_a_report_for_a_year_out_of_range_is_404(client, db):
    make_area_tree()
    assert client.get("/report/1999/").status_code == 404
    assert client.get("/report/2101/").status_code == 404


# --- with made-up figures: what the page does with empty and odd numbers ---------------------------------------


def fake_card(area, period, value=None, count=0):
    governances = [
        {
            "key": key,
            "label": f"治理 {key}",
            "figures": [
                {
                    "key": fkey,
                    "label": f"指标 {fkey}",
                    "value": value if fkey.endswith(("share", "rate")) else None,
                    "unit": "share" if fkey.endswith(("share", "rate")) else "count",
                    "numerator": None if value is None else 3,
                    "denominator": None if value is None else 4,
                    "definition": f"定义 {fkey}",
                }
                for fkey in keys
            ],
        }
        for key, keys in FIGURE_KEYS.items()
    ]
    steps = ["proposed", "qualified", "decided", "adopted", "built", "accepted", "paid"]
    return {
        "area": area,
        "period": period,
        "governances": governances,
        "funnel": [{"key": k, "label": f"步骤 {k}", "count": count} for k in steps],
        "shared": {
            "proposals_by_actor": [{"kind": "resident", "label": "居民", "count": 0, "share": None}],
            "cofunding_by_source": [
                {"source": "residents", "label": "居民自筹", "amount": Decimal("0"), "share": None}
            ],
            "organisations": 0,
        },
    }


def test_a_scorecard_with_nothing_to_count_renders_dashes_not_errors(client, settings, monkeypatch):
    settings.LANGUAGE_CODE = "en"
    make_area_tree()
    monkeypatch.setattr(selectors, "scorecard", fake_card)
    monkeypatch.setattr(selectors, "compare_children", lambda area, period: [])
    response = client.get("/scorecard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<strong>—</strong>") == sum(len(keys) for keys in FIGURE_KEYS.values())
    assert html.count("nothing to count in this period") >= 10
    assert "sc-compare" not in html  # no areas below: no comparison
    # the share bars say there is nothing, and the funnel of zeros draws no bar
    assert html.count("No records in this period.") >= 2
    funnel = re.search(r"<svg[^>]*sc-funnel.*?</svg>", html, re.S).group(0)
    assert 'class="sc-bar"' not in funnel


def test_shares_are_shown_in_per_cent_rounded_half_up(client, monkeypatch):
    tree = make_area_tree()
    monkeypatch.setattr(selectors, "scorecard", lambda area, period: fake_card(area, period, Decimal("0.7345"), 8))
    monkeypatch.setattr(
        selectors,
        "compare_children",
        lambda area, period: [
            {"area": tree["subdistrict"], "figures": {"answered_in_time_share": Decimal("0.125")}, "funnel": {}}
        ],
    )
    response = client.get(f"/areas/{tree['district'].code}/scorecard/?period=year&year=2025")
    html = response.content.decode()
    assert "<strong>73.5</strong>" in html  # 73.45 % → 73.5 %, half up
    assert "12.5%" in html  # the subdistrict in the comparison
    assert response.context["period"] == year_period(2025)
    assert response.context["period"].start == date(2025, 1, 1)


def test_the_words_under_a_figure_count_what_its_definition_counts():
    from django.utils import translation

    from funding.models import SatisfactionLevel
    from scorecard.templatetags.scorecard import figure_words

    with translation.override("en"):
        # level 3 counts as satisfied: the words name it, as the definition does
        rated = figure_words({"key": "satisfaction_rate", "numerator": 2, "denominator": 3})
        assert f"{SatisfactionLevel.FAIRLY_SATISFIED.label} or better" in rated
        # the denominator holds proposals still unanswered past their deadline, not only answers
        in_time = figure_words({"key": "answered_in_time_share", "numerator": 2, "denominator": 3})
        assert "2 of 3 proposals" in in_time
        # the median is over proposals published in the period, whenever their answer came
        median = figure_words({"key": "median_answer_days", "numerator": None, "denominator": 3})
        assert "published in the period" in median and "given in the period" not in median


def test_amounts_are_written_the_one_way_of_the_platform():
    from civic.money import format_yuan
    from scorecard.templatetags.scorecard import figure_number, figure_words

    assert figure_number({"value": Decimal("-60"), "unit": "yuan"}) == format_yuan(Decimal("-60")) == "−¥60.00"
    words = figure_words(
        {
            "key": "enterprise_social_cofunding_share",
            "numerator": Decimal("30000"),
            "denominator": Decimal("120000.5"),
        }
    )
    assert "¥30,000.00" in words and "¥120,000.50" in words


def test_the_period_menus_are_in_the_readers_language(client, db):
    """The quarter and month menus are labelled per request, not once when the module was imported."""
    make_area_tree()
    client.cookies["lang"] = "zh-hans"
    chinese = client.get("/scorecard/").content.decode()
    assert ">第2季度</option>" in chinese and ">11月</option>" in chinese
    client.cookies["lang"] = "en"
    english = client.get("/scorecard/").content.decode()
    assert ">Q2</option>" in english and ">Month 11</option>" in english
    assert "季度" not in english and "11月" not in english
