import pytest
from django.urls import reverse

from civic.models import AreaLevel
from civic.services import area_create
from tests.factories import make_area_tree

pytestmark = pytest.mark.django_db


def test_home_speaks_chinese_even_to_an_english_browser(client, tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "邻里事，大家议" in html
    assert tree["district"].name in html


def test_language_switch_turns_pages_english_and_back(client, tree):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/areas/"})
    assert response.status_code == 302 and response["Location"] == "/areas/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Neighbourhood affairs, decided together" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "邻里事，大家议" in client.get("/").content.decode()


def test_header_shows_account_actions(client, user):
    html = client.get("/").content.decode()
    assert reverse("account_login") in html and reverse("account_signup") in html
    client.force_login(user)
    html = client.get("/").content.decode()
    assert user.display_name in html
    assert reverse("account_logout") in html


def test_area_pages_show_the_tree(client, tree):
    html = client.get(reverse("civic:area-list")).content.decode()
    assert tree["city"].name in html
    community = tree["cells"][0].parent
    html = client.get(reverse("civic:area-detail", args=[community.code])).content.decode()
    for ancestor in (tree["city"], tree["district"], tree["subdistrict"]):
        assert f'href="/areas/{ancestor.code}/"' in html
    assert "网格1" in html and "网格2" in html


def test_unknown_area_is_a_translated_404(client, db):
    response = client.get("/areas/nope/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def _add_community(sub, n):
    community = area_create(code=f"{sub.code}9{n:02d}", name=f"新社区{n}", level=AreaLevel.COMMUNITY, parent=sub)
    for g in range(3):
        area_create(code=f"{community.code}{g}", name=f"格{g}", level=AreaLevel.GRID, parent=community)


@pytest.mark.parametrize("url_name", ["civic:home", "civic:area-list", "civic:area-detail"])
def test_page_queries_do_not_grow_with_areas(client, url_name, django_assert_max_num_queries):
    tree = make_area_tree()
    sub = tree["subdistrict"]
    url = reverse(url_name, args=[sub.code]) if url_name == "civic:area-detail" else reverse(url_name)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(10):
        _add_community(sub, n)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_security_headers_and_csp(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_static_files_are_served(client, db):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)
