"""Public lists with nothing personal but the header (the areas, the sessions, a small-matter board and its
overdue list) are one rendering for every signed-in reader: each reader's header is their own and never
another's, a write shows at once to everyone, and the second reader costs no rendering."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civic import pagecache
from civic.models import PagePart
from civic.services import area_create

pytestmark = pytest.mark.django_db


def _reader(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _menu_of(name: str) -> str:
    return f"账户菜单： </span>{name}</summary>"


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


URLS = ["/areas/", "/sessions/", "/areas/7701/casework/", "/areas/7701/casework/overdue/"]


@pytest.mark.parametrize("url", URLS)
def test_two_signed_in_readers_share_one_rendering_with_their_own_headers(pworld, url):
    first, second = pworld["resident"], pworld["member"]
    a, b = _reader(first), _reader(second)
    seen_by_a = _page(a, url)
    assert _menu_of(first.display_name) in seen_by_a and _menu_of(second.display_name) not in seen_by_a
    shared = PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count()
    assert shared >= 1
    _page(b, "/")  # b's own header values, kept once (computed on their first page)
    shared = PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count()
    with CaptureQueriesContext(connection) as queries:
        seen_by_b = _page(b, url)
    assert _menu_of(second.display_name) in seen_by_b and _menu_of(first.display_name) not in seen_by_b
    assert PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count() == shared  # b reused a's rendering
    assert not any("INSERT INTO civic_pagepart" in q["sql"] and "signed-in-page" in q["sql"] for q in queries)
    assert len(queries) <= 3  # the person, the page with their header, nothing rendered


def test_a_new_area_shows_at_once_to_signed_in_readers_of_the_shared_list(pworld):
    a, b = _reader(pworld["resident"]), _reader(pworld["member"])
    assert "新设的八八市" not in _page(a, "/areas/")
    area_create(name="新设的八八市", code="78", level="city")  # a new top of the tree: the list shows it
    assert "新设的八八市" in _page(b, "/areas/")
    assert "新设的八八市" in _page(a, "/areas/")
