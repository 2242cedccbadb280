"""GET /api/proposals/ID/comments/: paginated like every list, its count exact right after each write that
changes the discussion and not counted again on a read that follows none, its cost the same however long
the discussion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.services import content_report, moderation_decide
from proposals import services
from proposals.models import Comment

pytestmark = pytest.mark.django_db


def _read(api_client, proposal, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/proposals/{proposal.pk}/comments/", params)
    assert response.status_code == 200, response.content
    counted = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT COUNT(*) AS "__count"')]
    return response.json(), len(queries), counted


def _comment(pworld, proposal, i, author="member"):
    return services.comment_add(author=pworld[author], proposal=proposal, body=f"第 {i} 条意见", stance="for")


def test_the_discussion_is_a_page_oldest_first(api_client, make_proposal, pworld):
    proposal = make_proposal()
    for i in range(23):
        _comment(pworld, proposal, i)
    data, _, _ = _read(api_client, proposal)
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 23 and len(data["results"]) == 20 and data["previous"] is None
    assert data["next"].endswith("?page=2")
    assert [c["body"] for c in data["results"][:2]] == ["第 0 条意见", "第 1 条意见"]
    shown = {"id", "parent", "author", "organisation", "stance", "body", "created_at", "edited_at"}
    assert set(data["results"][0]) == shown
    assert data["results"][0]["author"] == {"id": pworld["member"].pk, "name": pworld["member"].public_name}
    last, _, _ = _read(api_client, proposal, page=2)
    assert [c["body"] for c in last["results"]] == ["第 20 条意见", "第 21 条意见", "第 22 条意见"]
    assert last["next"] is None


def test_the_count_is_exact_after_each_write_and_kept_between(api_client, make_proposal, pworld):
    proposal = make_proposal()
    other = make_proposal(title="小区路灯不亮")
    first = _comment(pworld, proposal, 1)
    data, _, counted = _read(api_client, proposal)
    assert data["count"] == 1 and len(counted) == 1  # counted once…
    data, _, counted = _read(api_client, proposal)
    assert data["count"] == 1 and counted == []  # …then kept
    _comment(pworld, other, 1)  # another proposal's discussion: still kept
    data, _, counted = _read(api_client, proposal)
    assert data["count"] == 1 and counted == []

    second = _comment(pworld, proposal, 2, author="resident")  # added
    assert _read(api_client, proposal)[0]["count"] == 2
    reply = services.comment_add(author=pworld["resident"], proposal=proposal, body="同意", stance="for", parent=first)
    assert _read(api_client, proposal)[0]["count"] == 3

    case = content_report(reporter=pworld["member"], obj=second, reason="spam", text="广告").case
    moderation_decide(actor=pworld["moderator_here"], case=case, hide=True, reason="广告内容")  # hidden
    data = _read(api_client, proposal)[0]
    assert data["count"] == 2 and second.pk not in [c["id"] for c in data["results"]]
    moderation_decide(actor=pworld["moderator_here"], case=case, hide=False, reason="误判")  # shown again
    assert _read(api_client, proposal)[0]["count"] == 3

    Comment.objects.get(pk=reply.pk).delete()  # deleted
    assert _read(api_client, proposal)[0]["count"] == 2
    assert _read(api_client, proposal)[0]["count"] == Comment.objects.filter(proposal=proposal, is_hidden=False).count()


def test_a_page_costs_the_same_queries_however_long_the_discussion(api_client, make_proposal, pworld, monkeypatch):
    monkeypatch.setattr("civic.pagination.DEEP_FROM", 0)  # every page past the first read by id
    proposal = make_proposal()
    for i in range(3):
        _comment(pworld, proposal, i)
    _read(api_client, proposal)
    _, few, _ = _read(api_client, proposal)
    for i in range(3, 65):
        _comment(pworld, proposal, i)
    _read(api_client, proposal)
    _, many, _ = _read(api_client, proposal)
    _, deep, _ = _read(api_client, proposal, page=3)
    assert many == few == deep


def test_a_deep_page_is_one_query_for_its_rows(api_client, make_proposal, pworld, monkeypatch):
    monkeypatch.setattr("civic.pagination.DEEP_FROM", 0)
    proposal = make_proposal()
    for i in range(45):
        _comment(pworld, proposal, i)
    _read(api_client, proposal)
    with CaptureQueriesContext(connection) as queries:
        data = api_client.get(f"/api/proposals/{proposal.pk}/comments/", {"page": 2}).json()
    rows = [q["sql"] for q in queries.captured_queries if 'FROM "proposals_comment"' in q["sql"]]
    assert len(rows) == 1 and "IN (SELECT" in rows[0]  # the page's ids picked inside the one query
    assert [c["body"] for c in data["results"]] == [f"第 {i} 条意见" for i in range(20, 40)]


def test_the_co_sponsors_are_a_page_counted_exactly_after_each_write(api_client, make_proposal, pworld):
    from proposals.models import CoSponsor
    from tests.factories import UserFactory
    from tests.world import verify

    proposal = make_proposal()
    url = f"/api/proposals/{proposal.pk}/cosponsors/"
    assert api_client.get(url).json() == {"count": 0, "next": None, "previous": None, "results": []}
    people = []
    for i in range(3):
        person = UserFactory(display_name=f"邻居{i}")
        verify(person, pworld["c1a"])
        people.append(services.cosponsor_join(user=person, proposal=proposal, pledge_kind="none"))
    data = api_client.get(url).json()
    assert data["count"] == 3 and [c["person"]["name"] for c in data["results"]] == ["邻居0", "邻居1", "邻居2"]
    CoSponsor.objects.get(pk=people[0].pk).delete()
    assert api_client.get(url).json()["count"] == 2
