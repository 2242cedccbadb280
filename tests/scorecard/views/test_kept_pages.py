"""The scorecard pages kept exactly (scorecard.pages): after a write, an area's scorecard (and those above
it) is what a fresh computation renders, while another district's, and a closed year's, stay kept."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.models import PagePart
from funding import services as funding_services
from proposals import services
from tests.factories import UserFactory
from tests.funding.selectors.test_ledger_check import make_project
from tests.world import verify

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
D1, CITY, D2 = "/areas/7701/scorecard/", "/scorecard/", "/areas/7702/scorecard/"


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # the report says when it was computed; everything else must be the same kept or fresh
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", response.content.decode())
    return re.sub(r"computed from the public records on [^<]*|于 [0-9: -]+（北京时间）", "", html)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, url)
    return len(queries)


def _fresh(client, url) -> str:
    """The page as a computation from scratch renders it (nothing kept)."""
    PagePart.objects.all().delete()
    return _page(client, url)


def _kept(client, url) -> int:
    _page(client, url)
    count = _queries(client, url)
    assert count == 1, url  # the kept page with its versions, in one query (the area is read only on a miss)
    return count


def _assert_fresh_and_changed(client, url, before: str) -> None:
    shown = _page(client, url)
    assert shown != before, url  # the write is visible …
    assert shown == _fresh(client, url), url  # … and the page is what a fresh computation shows


def test_each_write_shows_on_the_scorecards_of_its_area_and_above_and_leaves_another_district_kept(
    client, make_proposal, pworld
):
    before = {url: _page(client, url) for url in (D1, CITY)}
    elsewhere = _kept(client, D2)
    quiet = _page(client, D2)

    proposal = make_proposal()  # published online in community C1, district D1
    assert _queries(client, D2) == elsewhere and _page(client, D2) == quiet  # (before anything is dropped)
    for url in (D1, CITY):
        _assert_fresh_and_changed(client, url, before[url])

    # a co-signature counts only as taking part (the resident is verified in C1)
    before = {url: _page(client, url) for url in (D1, CITY)}
    neighbour = UserFactory()
    verify(neighbour, pworld["c1a"])
    elsewhere = _kept(client, D2)
    services.proposal_endorse(user=neighbour, proposal=proposal)
    assert _queries(client, D2) == elsewhere
    for url in (D1, CITY):
        shown = _page(client, url)
        assert shown == _fresh(client, url), url

    # co-funding promised for a project in C1
    before = {url: _page(client, url) for url in (D1, CITY)}
    project = make_project(pworld, "一社区楼道灯")
    elsewhere = _kept(client, D2)
    funding_services.commitment_add(
        actor=pworld["official_here"],
        project=project,
        source="enterprise",
        funder="一号物业公司",
        amount=Decimal("9000"),
    )
    assert _queries(client, D2) == elsewhere
    for url in (D1, CITY):
        _assert_fresh_and_changed(client, url, before[url])


def test_a_counter_on_a_proposal_changes_no_scorecard(client, make_proposal):
    proposal = make_proposal()
    kept = _kept(client, D1)
    proposal.comment_count += 1  # a counter is no figure: saving it bumps nothing here
    proposal.save(update_fields=["comment_count"])
    assert _queries(client, D1) == kept


def test_a_closed_year_stays_kept_while_nothing_dated_in_it_changes(client, make_proposal, pworld):
    dashboard = f"{D1}?period=year&year={LAST_YEAR}"
    report = f"/areas/7701/report/{LAST_YEAR}/"
    kept = {url: _kept(client, url) for url in (dashboard, report)}
    make_proposal()  # dated this year
    for url in (dashboard, report):
        assert _queries(client, url) == kept[url], url
    before = _page(client, report)

    # a project finished last year, recorded now: last year's report shows it
    last_year = timezone.make_aware(datetime(LAST_YEAR, 6, 1, 10, 0))
    project = make_project(pworld, "去年完工的健身角")
    project.created_at = last_year - timedelta(days=60)
    project.started_at = last_year - timedelta(days=30)
    project.completed_at = last_year
    project.state = "completed"
    project.save()
    shown = _page(client, report)
    assert "去年完工的健身角" in shown and "去年完工的健身角" not in before
    assert shown == _fresh(client, report)


def test_a_period_not_begun_is_not_kept(client, pworld):
    url = f"{D1}?period=year&year={THIS_YEAR + 1}"
    first = _queries(client, url)
    assert _queries(client, url) == first > 1


def test_the_scorecard_holds_until_midnight_at_most(client, pworld):
    _page(client, D1)
    local = timezone.localtime()
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    until = set(PagePart.objects.values_list("until", flat=True))
    assert until and all(value is not None and value <= midnight.timestamp() for value in until)


def test_the_open_data_index_is_kept_and_shows_a_counted_budget_at_once(client, pworld):
    from tests.scorecard.opendata.world import add_ballot

    urls = ["/open-data/", "/areas/7701/open-data/", "/areas/7702/open-data/"]
    kept = {url: _kept(client, url) for url in urls}
    box = add_ballot(pworld["C1"], "一社区参与式预算", state="closed")
    for url in urls:  # not counted yet: listed nowhere, every index still kept
        assert _queries(client, url) == kept[url] and "一社区参与式预算" not in _page(client, url)
    box.state, box.tallied_at = "tallied", timezone.now()
    box.save(update_fields=["state", "tallied_at"])
    assert "一社区参与式预算" in _page(client, "/open-data/")
    assert "一社区参与式预算" in _page(client, "/areas/7701/open-data/")
    assert _queries(client, "/areas/7702/open-data/") == kept["/areas/7702/open-data/"]


def _many_reports(world, category, n, *, due):
    from tests.casework.factories import make_report

    for i in range(n):
        make_report(world["c1a" if i % 2 else "c1b"], category, submitted_at=timezone.now() - timedelta(hours=1))
    return make_report(world["c1a"], category, submitted_at=timezone.now() - timedelta(minutes=5), response_due=due)


@pytest.mark.parametrize("n", [1, 6])
def test_a_small_matter_deadline_passing_renders_the_page_from_the_kept_numbers(client, pworld, n):
    """The page holds until the next small-matter time limit; then the page is rendered again from the
    numbers kept for the day, the rates read at this moment from the limits kept with them: no report is
    counted or read again, whatever the number of records."""
    import time

    from tests.casework.factories import make_category

    category = make_category(pworld["D1"])
    _many_reports(pworld, category, n, due=timezone.now() + timedelta(seconds=2))
    first: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: first.append(sql) or execute(sql, *args)):
        before = _page(client, D1)
    assert _queries(client, D1) == 1  # kept until the limit
    time.sleep(2.2)  # the report waiting for acceptance passes its response limit: counted, late
    again: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: again.append(sql) or execute(sql, *args)):
        shown = _page(client, D1)
    assert shown != before  # the response rate counts it now …
    assert shown == _fresh(client, D1)  # … exactly as a computation from scratch
    assert not [sql for sql in again if "casework_report" in sql]  # no count, no limit read (valid_until)
    # the page's versions and parts, the area, the two kept numbers (card, children) with their versions, the
    # areas compared, the parts stored: whatever the number of records
    assert len(again) <= 10 < len(first) // 3


def test_a_step_of_a_live_meeting_leaves_the_scorecards_kept_and_what_they_count_shows_at_once(client, world):
    from deliberation.models import Session
    from tests.deliberation.session_setup import make_council, make_session, run
    from tests.world import fresh

    council = make_council(world)
    session = make_session(world, council)
    chair, (a, b, c, _d, _e) = fresh(world["organiser_here"]), council.people
    for url in (D1, CITY):
        _kept(client, url)
    for person in (chair, a, b, c):  # steps that change no figure: the pages stay kept
        run(session, person, "check_in")
    run(session, c, "check_out")
    assert Session.objects.get(pk=session.pk).seq == 5
    for url in (D1, CITY):
        assert _queries(client, url) == 1, url

    before = {url: _page(client, url) for url in (D1, CITY)}
    run(session, c, "check_in")
    run(session, chair, "open_session")  # the session opened: counted at once
    for url in (D1, CITY):
        _assert_fresh_and_changed(client, url, before[url])

    for url in (D1, CITY):
        _kept(client, url)
    run(session, a, "point_of_order", text="发言超时")  # counted, though the session stays open
    for url in (D1, CITY):
        assert _queries(client, url) > 1, url
        assert _page(client, url) == _fresh(client, url), url
