"""Category names officials enter: Chinese, and optionally English, shown in the reader's language (falling
back to Chinese) through civic.text.localized."""

import pytest
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Category
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_the_english_name_on_english_pages_and_chinese_otherwise(pworld, make_proposal, client):
    services.category_save(
        actor=fresh(pworld["official_city"]), category=pworld.category, name="照明品质提升", name_en="Better lighting"
    )
    proposal = make_proposal()
    client.cookies["lang"] = "en"
    assert '<span class="badge">Better lighting</span>' in client.get(proposal.get_absolute_url()).content.decode()
    listing = client.get("/proposals/").content.decode()
    assert "<span>Better lighting</span>" in listing and "<span>照明品质提升</span>" not in listing
    client.cookies["lang"] = "zh-hans"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert '<span class="badge">照明品质提升</span>' in page
    categories = APIClient().get("/api/categories/").json()
    rows = categories["results"] if isinstance(categories, dict) else categories
    assert {"name": "照明品质提升", "name_en": "Better lighting"}.items() <= rows[0].items()


def test_without_an_english_name_english_pages_show_the_chinese_one(pworld, make_proposal, client):
    proposal = make_proposal()
    assert Category.objects.get(pk=pworld.category.pk).name_en == ""
    client.cookies["lang"] = "en"
    assert '<span class="badge">照明品质提升</span>' in client.get(proposal.get_absolute_url()).content.decode()
