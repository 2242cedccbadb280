"""The proposal list's `count` (API and page): exact after every kind of write, kept between writes (no
COUNT on a read that follows no write of a proposal, not even after a co-signature), and deep pages read
their ids first, in the list's order."""

import random
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic import pagecache, pagination
from civic.services import content_report, moderation_decide
from proposals import selectors, services
from proposals.models import Proposal, ProposalState
from tests.world import verify

pytestmark = pytest.mark.django_db

_WORLD: dict = {}


@pytest.fixture(autouse=True)
def _areas(pworld):
    _WORLD["areas"] = pworld.areas


FILTERS = [
    {},
    {"area": "S1"},
    {"area": "C2"},
    {"state": "collecting"},
    {"state": "published"},
    {"state": "withdrawn"},
    {"state": "expired"},
    {"sort": "closest"},
    {"area": "D1", "state": "collecting"},
]


def _api(api_client, **params):
    if "area" in params:  # a key of the test world
        params["area"] = _WORLD["areas"][params["area"]].code
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/proposals/", params)
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries]


def _counted(sqls):
    return [sql for sql in sqls if "COUNT(" in sql.upper() and "proposals_proposal" in sql]


def _truth(pworld, **params):
    area = pworld[params["area"]] if "area" in params else None
    return selectors.proposal_list(area=area, state=params.get("state"), sort=params.get("sort", "newest")).count()


def _all_counts_exact(api_client, pworld):
    for params in FILTERS:
        body, _sqls = _api(api_client, **params)
        assert body["count"] == _truth(pworld, **params), params


def test_the_count_is_exact_after_each_kind_of_write(api_client, make_proposal, pworld):
    assert _api(api_client)[0]["count"] == 0
    first = make_proposal()  # create and publish
    assert _api(api_client)[0]["count"] == 1
    assert _api(api_client, area="S1")[0]["count"] == 1 and _api(api_client, area="C2")[0]["count"] == 0
    make_proposal(publish=False)  # a draft is not listed
    assert _api(api_client)[0]["count"] == 1
    second = make_proposal(title="柳岸小区电梯加装", author="resident_elsewhere", area="C2")
    assert _api(api_client)[0]["count"] == 2 and _api(api_client, area="C2")[0]["count"] == 1
    assert _api(api_client, state="collecting")[0]["count"] == 2

    services.proposal_withdraw(actor=pworld["resident"], proposal=first, reason="已由物业修好")  # leaves a filter
    assert _api(api_client, state="collecting")[0]["count"] == 1
    assert _api(api_client, state="withdrawn")[0]["count"] == 1
    assert _api(api_client)[0]["count"] == 2

    case = content_report(reporter=pworld["member"], obj=second, reason="spam", text="广告").case
    moderation_decide(actor=pworld["moderator_elsewhere"], case=case, hide=True, reason="广告内容")  # hidden
    assert _api(api_client)[0]["count"] == 1 and _api(api_client, area="C2")[0]["count"] == 0
    assert _api(api_client, state="collecting")[0]["count"] == 0

    Proposal.objects.get(pk=first.pk).delete()  # deleted
    assert _api(api_client)[0]["count"] == 0
    _all_counts_exact(api_client, pworld)


def test_a_read_after_no_write_of_a_proposal_counts_nothing_even_after_a_co_signature(
    api_client, make_proposal, pworld
):
    proposal = make_proposal()
    body, sqls = _api(api_client)
    assert body["count"] == 1 and len(_counted(sqls)) == 1  # counted once…
    body, sqls = _api(api_client)
    assert body["count"] == 1 and _counted(sqls) == []  # …then kept
    verify(pworld["member"], pworld["c1a"])
    services.proposal_endorse(user=pworld["member"], proposal=proposal)
    body, sqls = _api(api_client)
    assert body["count"] == 1 and body["results"][0]["endorsement_count"] == 1
    assert _counted(sqls) == []  # a co-signature changes the card, not the set: no count again
    make_proposal(title="柳岸小区电梯加装")
    body, sqls = _api(api_client)
    assert body["count"] == 2 and len(_counted(sqls)) == 1


def test_a_count_that_depends_on_the_clock_holds_until_the_next_deadline(
    api_client, make_proposal, pworld, monkeypatch
):
    make_proposal()
    later = make_proposal(title="柳岸小区电梯加装")
    Proposal.objects.filter(pk=later.pk).update(collection_deadline=timezone.now() + timedelta(days=60))
    assert _api(api_client, state="collecting")[0]["count"] == 2
    assert _api(api_client, state="expired")[0]["count"] == 0
    body, sqls = _api(api_client, state="collecting")
    assert body["count"] == 2 and _counted(sqls) == []  # kept until the first deadline
    # 31 days later, no write has happened: the first window has closed by the clock alone
    moment = timezone.now() + timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(pagecache, "time", SimpleNamespace(time=moment.timestamp))
    assert _api(api_client, state="collecting")[0]["count"] == 1
    assert _api(api_client, state="expired")[0]["count"] == 1
    assert _api(api_client, sort="closest")[0]["count"] == 1
    assert _api(api_client)[0]["count"] == 2


def test_the_count_equals_a_real_count_after_random_operations(api_client, make_proposal, pworld):
    rng = random.Random(20261206)
    verify(pworld["member"], pworld["c1a"])
    live: list[Proposal] = []
    for step in range(30):
        action = rng.choice(["create", "create", "draft", "withdraw", "hide", "delete", "endorse", "expire"])
        if action in ("create", "draft") or not live:
            here = rng.random() < 0.6
            p = make_proposal(
                title=f"建议 {step}",
                author="resident" if here else "resident_elsewhere",
                area="C1" if here else "C2",
                publish=action != "draft",
            )
            if p.state == ProposalState.PUBLISHED:
                live.append(p)
        else:
            p = live.pop(rng.randrange(len(live)))
            p = Proposal.objects.get(pk=p.pk)
            here = p.area_id == pworld["C1"].pk
            if action == "withdraw" and p.state == ProposalState.PUBLISHED:
                services.proposal_withdraw(actor=pworld["resident" if here else "resident_elsewhere"], proposal=p)
            elif action == "hide":
                case = content_report(reporter=pworld["member"], obj=p, reason="spam", text="广告").case
                moderator = pworld["moderator_here" if here else "moderator_elsewhere"]
                moderation_decide(actor=moderator, case=case, hide=True, reason="广告内容")
            elif action == "delete":
                p.delete()
            elif action == "endorse" and p.state == ProposalState.PUBLISHED and here:
                if not p.endorsements.filter(user=pworld["member"]).exists():
                    services.proposal_endorse(user=pworld["member"], proposal=p)
                live.append(p)
            elif action == "expire":
                Proposal.objects.filter(pk=p.pk).update(collection_deadline=timezone.now() - timedelta(seconds=1))
                live.append(p)
            else:
                live.append(p)
        if step % 3 == 0:
            _all_counts_exact(api_client, pworld)
    _all_counts_exact(api_client, pworld)


def test_the_page_list_counts_like_the_api(client, make_proposal, pworld):
    make_proposal()
    p = make_proposal(title="柳岸小区电梯加装")
    assert selectors.proposal_page(number=1).paginator.count == 2
    services.proposal_withdraw(actor=pworld["resident"], proposal=p)
    assert selectors.proposal_page(number=1).paginator.count == 2
    assert selectors.proposal_page(number=1, state="collecting").paginator.count == 1
    with CaptureQueriesContext(connection) as queries:
        assert selectors.proposal_page(number=1, state="collecting").paginator.count == 1
    assert _counted([q["sql"] for q in queries.captured_queries]) == []


def _inner(sql: str) -> str:
    """The inner query of a deep page's query: `… IN (SELECT U0."id" … LIMIT n [OFFSET k])`."""
    start = sql.index('IN (SELECT U0."id"') + len("IN (")
    depth, end = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        end += 1
    return sql[start : end - 1]


def _make_many(pworld, n):
    """`n` published proposals in C1 with distinct publication moments (bulk: the services are tested above)."""
    now = timezone.now()
    Proposal.objects.bulk_create(
        [
            Proposal(
                title=f"建议 {i}",
                body="内容",
                category=pworld.category,
                area=pworld["C1"],
                area_path=pworld["C1"].path,
                author=pworld["resident"],
                state=ProposalState.PUBLISHED,
                published_at=now - timedelta(minutes=i % 7),  # ties: the id decides
                collection_deadline=now + timedelta(days=30),
                endorsement_count=i % 5,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("sort", ["newest", "endorsed", "closest"])
def test_deep_pages_pick_ids_first_and_hold_exactly_the_rows_of_a_plain_offset(api_client, pworld, monkeypatch, sort):
    monkeypatch.setattr(pagination, "DEEP_FROM", 20)
    _make_many(pworld, 95)
    expected = list(selectors.proposal_list(sort=sort).values_list("pk", flat=True))
    seen = []
    costs = []
    for page in range(1, 6):
        body, sqls = _api(api_client, sort=sort, page=page)
        assert body["count"] == 95
        seen += [row["id"] for row in body["results"]]
        costs.append(len(sqls))
        rows = [sql for sql in sqls if '"proposals_proposal"."title"' in sql]
        assert len(rows) == 1  # one query per page, deep or not
        if page > 1:  # the rows of the ids picked by the inner query, which steps over ids only
            inner = _inner(rows[0])
            assert inner.startswith('SELECT U0."id" AS "pk" FROM "proposals_proposal" U0 ') and "LIMIT" in inner
            assert '"title"' not in inner and "JOIN" not in inner
    assert seen == expected  # the back half walks from the end: the same rows, in the same order
    assert len(set(costs[1:])) == 1  # once the list is counted (page 1), every page costs the same queries


def test_the_deepest_page_steps_over_at_most_half_the_list(api_client, pworld, monkeypatch):
    monkeypatch.setattr(pagination, "DEEP_FROM", 20)
    _make_many(pworld, 95)
    body, sqls = _api(api_client, page=5)
    assert [row["id"] for row in body["results"]] == list(selectors.proposal_list().values_list("pk", flat=True)[80:95])
    inner = _inner(next(sql for sql in sqls if '"proposals_proposal"."title"' in sql))
    assert '"published_at" ASC' in inner and "LIMIT 15" in inner and "OFFSET" not in inner  # from the end


@pytest.mark.postgres
@pytest.mark.parametrize(("sort", "index"), [("newest", "prop_list_newest"), ("endorsed", "prop_list_endorsed")])
def test_a_deep_page_s_ids_are_an_index_walk_without_a_sort(api_client, pworld, monkeypatch, sort, index):
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    monkeypatch.setattr(pagination, "DEEP_FROM", 20)
    _make_many(pworld, 95)
    _body, sqls = _api(api_client, sort=sort, page=2)
    rows = next(sql for sql in sqls if '"proposals_proposal"."title"' in sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")
        # a tiny table is cheapest read whole: ask whether an index gives the order without a sort
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + _inner(rows))
        inner = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + rows)
        plan = [row[0] for row in cursor.fetchall()]
    assert index in inner and "Sort" not in inner, inner
    sorts = [line for line in plan if "Sort  (" in line]
    assert sorts == [] or sorts == [plan[0]], "\n".join(plan)  # at most the page's own rows are sorted


def test_the_kept_json_of_a_page_shows_every_write_at_once(api_client, make_proposal, pworld):
    proposal = make_proposal()
    first, _sqls = _api(api_client)
    kept, sqls = _api(api_client)
    assert kept == first and len(sqls) == 1  # the versions and the kept JSON, in one query
    verify(pworld["member"], pworld["c1a"])
    services.proposal_endorse(user=pworld["member"], proposal=proposal)
    assert _api(api_client)[0]["results"][0]["endorsement_count"] == 1
    services.comment_add(author=pworld["member"], proposal=proposal, body="楼道太黑，老人上下楼很危险。", stance="for")
    assert _api(api_client)[0]["results"][0]["comment_count"] == 1
    assert _api(api_client, area="C2")[0]["count"] == 0
    make_proposal(title="柳岸小区电梯加装", author="resident_elsewhere", area="C2")
    body, _sqls = _api(api_client, area="C2")
    assert body["count"] == 1 and body["results"][0]["title"] == "柳岸小区电梯加装"
    services.proposal_withdraw(actor=pworld["resident"], proposal=proposal)
    assert _api(api_client)[0]["results"][-1]["state"] == "withdrawn"
    assert api_client.get("/api/proposals/", {"page": 9}).status_code == 404  # refusals are not kept
    assert api_client.get("/api/proposals/", {"sort": "nonsense"}).status_code == 400
