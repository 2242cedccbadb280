"""Public lists with nothing personal but the header (the areas, the sessions, a small-matter board and its
overdue list, an area's notice board, the projects, the ballots) are one rendering for every signed-in reader:
each reader's header is their own and never another's (people with powers get theirs rendered for them), a
write shows at once to everyone, and the second reader costs no rendering."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic import pagecache
from civic.models import PagePart
from civic.services import area_create, area_role_grant, notice_publish
from tests.world import fresh

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


URLS = [
    "/areas/",
    "/sessions/",
    "/areas/7701/casework/",
    "/areas/7701/casework/overdue/",
    "/areas/7701/notices/",
    "/projects/",
    "/areas/7701/projects/",
    "/ballots/",
    "/organisations/",
]


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


def _notice(world, title):
    return notice_publish(
        actor=fresh(world["official_here"]),
        area=world["C1"],
        kind="other",
        title=title,
        body="经社区议事会决定，已更换 3 号楼楼道灯。",
        decided_at=timezone.now() - timedelta(days=1),
    )


def test_a_new_notice_shows_at_once_to_signed_in_readers_of_the_shared_board(pworld):
    a, b = _reader(pworld["resident"]), _reader(pworld["member"])
    url = "/areas/7701/notices/"
    assert "三号楼道灯更换完成公告" not in _page(a, url)
    _page(b, url)
    _notice(pworld, "三号楼道灯更换完成公告")  # in a community under the district: its board shows it
    assert "三号楼道灯更换完成公告" in _page(b, url)
    assert "三号楼道灯更换完成公告" in _page(a, url)
    with CaptureQueriesContext(connection) as queries:
        _page(a, url)
    assert len(queries) <= 3  # kept again


@pytest.mark.parametrize(
    ("url", "button"),
    [("/areas/7701/notices/", "/areas/7701/notices/new/"), ("/projects/", "创建项目"), ("/ballots/", "发起投票")],
)
def test_people_with_powers_get_their_own_rendering_and_nobody_else_sees_it(pworld, url, button):
    resident = _reader(pworld["resident"])
    assert button not in _page(resident, url)
    shared = PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count()
    for who in ("official_here", "admin"):
        assert button in _page(_reader(pworld[who]), url), who
    assert PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count() == shared  # theirs is not kept
    assert button not in _page(resident, url)
    # a role granted now takes the reader off the shared page at once
    member = _reader(pworld["member"])
    assert button not in _page(member, url)
    area_role_grant(actor=fresh(pworld["admin"]), user=pworld["member"], area=pworld["D1"], role="official")
    assert button in _page(member, url)


def test_a_persons_page_is_shared_and_offers_everyone_but_them_to_report_it(pworld):
    person, other = pworld["resident"], pworld["member"]
    url = f"/people/{person.pk}/"
    report = f"/report/civic.user/{person.pk}/"
    theirs, others = _reader(person), _reader(other)
    for _round in range(2):
        mine, seen = _page(theirs, url), _page(others, url)
        assert person.public_name in mine and person.public_name in seen
        assert report not in mine and report in seen
    assert PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count() == 1
