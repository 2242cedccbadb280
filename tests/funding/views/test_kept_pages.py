"""The funding pages kept exactly (funding.pages): the project lists, a project's page and an area's ledger
show every write as soon as it has committed, are served kept while nothing they show changes (also after a
write elsewhere), and cost the same number of queries however many projects and entries there are."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from funding import services
from funding.models import LedgerEntry
from tests.funding.conftest import plan
from tests.funding.selectors.test_ledger_check import build_ledger, make_project

pytestmark = pytest.mark.django_db

D = Decimal


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _kept(client, url) -> int:
    """Read twice; the second reading's query count (the page kept)."""
    first = _queries(client, url)
    second = _queries(client, url)
    assert second < first, url
    return second


LISTS = ["/projects/", "/areas/7701001001/projects/", "/areas/7701/projects/", "/areas/77/projects/"]


def test_the_lists_and_the_project_page_are_kept_when_read_twice(client, project):
    for url in [*LISTS, f"/projects/{project.pk}/"]:
        assert _kept(client, url) == 1, url  # the kept page and its versions: one query


def test_the_ledger_pages_are_kept_when_read_twice(client, world):
    build_ledger(world)
    for url in ["/areas/7701/ledger/", "/areas/7701001001/ledger/", "/areas/7701/ledger/?year=2025"]:
        assert _kept(client, url) == 1, url  # the area's path, which names the scopes, is remembered


@pytest.mark.parametrize("pk", ["999999999", "99999999999999999999"])
def test_a_project_that_is_not_there_is_not_found_for_a_visitor_and_a_reader(client, pk):
    """However large the number in the address (beyond any key the database could hold, too)."""
    from tests.factories import UserFactory

    assert client.get(f"/projects/{pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/projects/{pk}/").status_code == 404


def test_a_remembered_fact_that_is_wrong_names_no_kept_page(client, world):
    """The area's path and the project's proposal are remembered to name a visitor's kept page; were they
    wrong (an area moved, another database), the page is read and kept afresh, never served from them."""
    from civic import pagecache

    project = build_ledger(world).a
    ledger, page = "/areas/7701001001/ledger/", f"/projects/{project.pk}/"
    right = {url: _get(client, url) for url in (ledger, page)}
    area = world["C1"]
    for key, wrong in [
        (("ledger-area", area.code), (area.pk, "/77/7702/")),
        (("project-proposal", project.pk), (project.proposal_id or 0) + 1000),
    ]:
        pagecache._FACTS[key] = wrong
    assert _queries(client, ledger) > 1 and _queries(client, page) > 1  # read afresh
    assert {url: _get(client, url) for url in (ledger, page)} == right
    assert _queries(client, ledger) == 1 and _queries(client, page) == 1  # and remembered right


def test_a_rendering_that_read_a_fact_moved_since_is_not_kept(client, world, monkeypatch):
    """The area moves between its path read (naming the page's scopes) and the page rendered: what is
    rendered is served, but not kept under the scopes of the path it no longer has."""
    from civic import pagecache
    from civic.models import Area, PagePart
    from funding import pages
    from funding.views import ledger

    build_ledger(world)
    area = world["C1"]
    url = f"/areas/{area.code}/ledger/"
    moves = ["/77/7702/" + area.code + "/"]
    scopes = pages.ledger_scopes

    def moving(area_named):
        if moves:  # once, right after the path was read
            Area.objects.filter(pk=area.pk).update(path=moves.pop())
        return scopes(area_named)

    monkeypatch.setattr(ledger.pages, "ledger_scopes", moving)
    monkeypatch.setattr(pagecache, "_FACTS", {})  # nothing remembered: the path is read, then the area moves
    kept = PagePart.objects.filter(sub="page").count()
    _get(client, url)
    assert PagePart.objects.filter(sub="page").count() == kept  # not kept
    _get(client, url)  # rendered with the path it has now, and kept
    assert PagePart.objects.filter(sub="page").count() == kept + 1
    assert _queries(client, url) == 1


def test_the_lists_show_a_new_project_and_its_state_at_once_and_stay_kept_for_another_district(
    client, project, fworld, adopted
):
    for url in LISTS:
        assert project.title in _get(client, url)
    elsewhere = _kept(client, "/areas/7702/projects/")

    other = services.project_create(
        actor=fworld["official_here"], area=fworld["C1"], implementer=fworld.organisation, **plan(title="二号楼雨棚")
    )
    for url in LISTS:
        assert "二号楼雨棚" in _get(client, url), url
    assert _queries(client, "/areas/7702/projects/") == elsewhere  # another district's list: still kept

    services.project_start(actor=fworld["official_here"], project=other)
    html = _get(client, "/areas/7701001001/projects/?state=in_progress")
    assert "二号楼雨棚" in html and project.title not in html
    assert _queries(client, "/areas/7702/projects/") == elsewhere


def test_a_list_counts_overdue_milestones_until_midnight_only(client, project):
    html = _get(client, "/projects/")
    assert project.title in html
    from civic.models import PagePart

    until = PagePart.objects.filter(until__isnull=False).values_list("until", flat=True).first()
    local = timezone.localtime()
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert until == midnight.timestamp()  # rendered afresh when a milestone may fall overdue


def test_the_project_page_shows_each_write_at_once(client, project, fworld):
    url = f"/projects/{project.pk}/"
    official = fworld["official_here"]
    _kept(client, url)

    commitment = services.commitment_add(
        actor=official, project=project, source="enterprise", funder="一号物业公司", amount=D("20000")
    )
    assert "一号物业公司" in _get(client, url)

    services.receipt_record(actor=official, commitment=commitment, amount=D("7500"))
    assert "¥7,500.00" in _get(client, url)

    services.milestone_add(
        actor=official, project=project, title="验收准备", due_on=timezone.localdate() + timedelta(days=40)
    )
    assert "验收准备" in _get(client, url)

    services.project_start(actor=official, project=project)
    html = _get(client, url)
    assert 'id="project-state">实施中<' in html

    services.progress_report(
        actor=official, project=project, text="灯具已经全部到货，开始安装。", spend_to_date=D("30000")
    )
    assert "灯具已经全部到货" in _get(client, url)
    kept = _queries(client, url)

    make_project(fworld, "别处的项目", area="C2")  # another project: this page stays kept
    assert _queries(client, url) == kept


def test_the_project_page_for_a_signed_in_official_is_not_the_kept_one(client, project, fworld):
    url = f"/projects/{project.pk}/"
    _kept(client, url)
    client.force_login(fworld["official_here"])
    assert 'id="form-start"' in _get(client, url)  # their own forms, not the visitors' page


def test_the_ledger_shows_a_new_entry_and_the_new_chain_head_at_once(client, world):
    fworld = world
    books = build_ledger(world)
    url = "/areas/7701001001/ledger/"
    kept = _kept(client, url)
    entry = books.entry(books.a, "advance", "1234.56", condition="start", award=books.awards.get("a_provisional"))
    assert entry.entry_hash in _get(client, url)  # the head printed on the page is the new entry
    # every ledger page prints the chain's head: an entry anywhere renders them afresh
    other = make_project(fworld, "二区项目", area="C2")
    head = books.entry(other, "commitment", "10.00", area=fworld["D2"])
    assert head.entry_hash in _get(client, url)
    # a write the ledger does not show leaves it kept
    _get(client, url)
    services.milestone_add(actor=fworld["official_here"], project=books.a, title="补充", due_on=date(2025, 5, 1))
    assert _queries(client, url) == kept


def test_the_ledger_page_shows_a_new_entry_of_its_area(client, world):
    books = build_ledger(world)
    url = "/areas/7701/ledger/?year=2025"
    before = _get(client, url)
    assert "¥4,321.00" not in before
    books.entry(books.b, "recovery", "4321")
    assert "¥4,321.00" in _get(client, url)


def _miss(client, url) -> int:
    from civic.models import PagePart

    PagePart.objects.all().delete()  # nothing kept: the page is rendered
    return _queries(client, url)


def test_rendering_the_pages_costs_the_same_queries_for_few_or_many_projects_and_entries(client, world):
    fworld = world
    books = build_ledger(world)
    urls = ["/projects/", "/areas/7701/projects/", "/areas/7701/ledger/", f"/projects/{books.a.pk}/"]
    for url in urls:  # what a process looks up once (content types) is not what a rendering costs
        _get(client, url)
    few = {url: _miss(client, url) for url in urls}
    for i in range(30):
        p = make_project(fworld, f"加项{i}")
        award = books.award(p, "provisional", "300")
        books.entry(p, "award", "300", award=award)
        books.entry(p, "advance", "90", condition="start", award=award)
    assert LedgerEntry.objects.count() > 60
    many = {url: _miss(client, url) for url in urls}
    assert many == few
