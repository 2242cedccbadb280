"""An election imported from pabulib open data is shown as what it is: its source, its country in words and
its own voting days, apart from the city's own votes (never a one-minute vote of the city)."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import override

from deliberation import pabulib, services
from deliberation.models import BallotBox
from deliberation.selectors import imported_source
from tests.factories import make_area_tree

WIELICZKA = Path(__file__).resolve().parents[2] / "data" / "pabulib" / "poland_wieliczka_2023.pb"

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(db):
    return services.pb_import(data=WIELICZKA.read_bytes(), area=make_area_tree()["city"])


def test_the_voting_days_are_the_files_own(box):
    assert timezone.localtime(box.opens_at).date() == date(2023, 4, 3)
    assert timezone.localtime(box.closes_at).date() == date(2023, 4, 22)  # the whole of 21 April
    assert box.description == ""


def test_where_it_comes_from_in_words():
    assert pabulib.voting_dates({"date_begin": "03.04.2023", "date_end": "2023-04-21"}) == (
        date(2023, 4, 3),
        date(2023, 4, 21),
    )
    assert pabulib.voting_dates({"date_begin": "spring"}) == (None, None)


def test_the_pages_show_open_data_not_a_vote_of_the_city(box, client):
    client.cookies["lang"] = "en"
    source = imported_source(box)
    with override("en"):
        assert str(source["country"]) == "Poland" and source["place"] == "Wieliczka · Green Budget"
    page = client.get(box.get_absolute_url() + "results/").content.decode()
    assert "Imported open data" in page and "It is not one of this city's votes." in page
    assert "2023-04-03 to 2023-04-21" in page and "country:" not in page
    client.cookies["lang"] = "zh-hans"
    listing = client.get("/ballots/").content.decode()
    own, imported = listing.split('id="imported-title"')
    assert box.title not in own and box.title in imported and "波兰" in imported


def test_a_file_without_dates_is_dated_at_its_import(db):
    data = WIELICZKA.read_bytes().replace(b"date_begin;03.04.2023\n", b"").replace(b"date_end;21.04.2023\n", b"")
    box = services.pb_import(data=data, area=make_area_tree()["city"])
    assert box.opens_at == box.closes_at and BallotBox.objects.get(pk=box.pk).imported
