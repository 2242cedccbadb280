"""The exact page cache (civic.pagecache): every cached page shows a write as soon as it has committed, with
the cache reachable, unreachable, and back after an outage during which the write was made."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civic import pagecache
from civic.models import AreaLevel, PageChange, PagePart, PageVersion
from civic.services import area_create, area_role_grant, content_report, moderation_decide
from proposals import services
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, url, **params)
    return len(queries)


def test_a_page_read_twice_without_a_write_is_served_from_the_cache(client, make_proposal):
    """The cache is used at all: the second reading of each page does less work than the first."""
    p = make_proposal()
    for url, params in [
        (reverse("proposals:proposal-list"), {}),
        (reverse("proposals:proposal-list"), {"area": "7701001001"}),
        (p.get_absolute_url(), {}),
        (reverse("civic:area-detail", args=["7701001001"]), {}),
        (reverse("civic:home"), {}),
    ]:
        first = _queries(client, url, **params)
        second = _queries(client, url, **params)
        assert second < first, url


def test_the_list_shows_a_co_signature_a_comment_and_a_new_proposal_at_once(client, make_proposal, pworld):
    p = make_proposal()
    url = reverse("proposals:proposal-list")
    assert "<strong>0</strong>/3" in _get(client, url) and "<strong>0</strong>/3" in _get(
        client, url, area=pworld["C1"].code
    )

    services.proposal_endorse(user=pworld["resident"], proposal=p)
    assert "<strong>1</strong>/3" in _get(client, url)
    assert "<strong>1</strong>/3" in _get(client, url, area=pworld["C1"].code)  # an area's list: its own version
    assert "<strong>1</strong>/3" in _get(client, url, area=pworld["S1"].code)  # and every area above

    services.comment_add(author=pworld["resident"], proposal=p, body="我也遇到过这个问题，支持尽快修好。", stance="for")
    assert "1 条评论" in _get(client, url) or "1 comment" in _get(client, url)

    make_proposal(title="望湖苑垃圾分类点搬迁")
    assert "望湖苑垃圾分类点搬迁" in _get(client, url)
    assert "望湖苑垃圾分类点搬迁" in _get(client, url, area=pworld["C1"].code)


def test_a_write_elsewhere_leaves_an_areas_list_cached(client, make_proposal, pworld):
    make_proposal()
    other = make_proposal(author="resident_elsewhere", area="C2", title="另一个社区的路灯")
    url = reverse("proposals:proposal-list")
    _get(client, url, area=pworld["C1"].code)
    cached = _queries(client, url, area=pworld["C1"].code)
    services.proposal_endorse(user=pworld["resident_elsewhere"], proposal=other)
    assert (
        _queries(client, url, area=pworld["C1"].code) == cached
    )  # another community's co-signature changes not C1's list


def test_the_list_shows_a_state_change_and_a_hidden_proposal_disappears(client, make_proposal, pworld):
    p = make_proposal()
    url = reverse("proposals:proposal-list")
    assert "楼道灯长期不亮" in _get(client, url)
    services.proposal_withdraw(actor=pworld["resident"], proposal=p, reason="已由物业修好")
    assert "state-withdrawn" in _get(client, url)

    q = make_proposal(title="柳岸小区电梯加装")
    assert "柳岸小区电梯加装" in _get(client, url)
    case = content_report(reporter=pworld["member"], obj=q, reason="spam", text="广告").case
    moderation_decide(actor=pworld["moderator_here"], case=case, hide=True, reason="广告内容")
    assert "柳岸小区电梯加装" not in _get(client, url)


def test_the_proposal_page_shows_each_write_at_once(client, make_proposal, pworld):
    p = make_proposal()
    url = p.get_absolute_url()
    assert "暂无评论。" in _get(client, url)

    services.comment_add(author=pworld["resident"], proposal=p, body="楼道太黑，老人上下楼很危险。", stance="for")
    assert "楼道太黑，老人上下楼很危险。" in _get(client, url)

    services.proposal_endorse(user=pworld["resident"], proposal=p)
    assert '<strong class="big">1</strong>' in _get(client, url)

    services.proposal_answer(official=pworld["official_here"], proposal=p, status="accepted", reason="本月内更换。")
    assert "本月内更换。" in _get(client, url)

    pworld["resident"].display_name = "改名后的居民"
    pworld["resident"].save()
    assert "改名后的居民" in _get(client, url)


def test_a_signed_in_reader_gets_the_shared_parts_and_their_own_bits(client, make_proposal, pworld):
    p = make_proposal()
    services.comment_add(author=pworld["member"], proposal=p, body="同意，希望尽快更换。", stance="for")
    url = p.get_absolute_url()
    _get(client, url)  # an anonymous reading fills the shared parts
    client.force_login(pworld["resident"])
    page = _get(client, url)
    assert "同意，希望尽快更换。" in page and "csrfmiddlewaretoken" in page
    assert reverse("civic:report-content", args=["proposals.comment", p.comments.get().pk]) in page
    services.proposal_endorse(user=pworld["resident"], proposal=p)
    assert '<strong class="big">1</strong>' in _get(client, url)


def test_the_area_page_and_home_show_writes_at_once(client, make_proposal, pworld):
    area_url = reverse("civic:area-detail", args=[pworld["C1"].code])
    _get(client, area_url)
    make_proposal(title="望湖苑路面坑洼修补")
    assert "望湖苑路面坑洼修补" in _get(client, area_url)  # the timeline of the area

    area_role_grant(actor=pworld["admin"], user=pworld["member"], area=pworld["C1"], role="organiser")
    assert pworld["member"].public_name in _get(client, area_url)

    home = reverse("civic:home")
    _get(client, home)
    area_create(code="78", name="七八市", level=AreaLevel.CITY)
    assert "七八市" in _get(client, home)


def test_a_deadline_passing_is_shown_without_a_write(client, make_proposal, monkeypatch):
    p = make_proposal()
    soon = timezone.now() + timedelta(seconds=30)
    Proposal.objects.filter(pk=p.pk).update(collection_deadline=soon)
    pagecache.bump("proposals:*")  # the line above stands for a proposal published with 30 seconds left
    url = reverse("proposals:proposal-list")
    assert "state-published" in _get(client, url)
    assert "state-published" in _get(client, url)  # kept
    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(pagecache.time, "time", lambda: later.timestamp())
    # No write (the tick job has not run yet), yet the page was kept only until the deadline.
    assert "state-expired" in _get(client, url)


def test_a_part_kept_at_older_versions_is_never_served(client, make_proposal, pworld):
    """A bump made in any way (here: while nothing read the page) moves the version the kept part is
    compared with; the part, still stored, is rendered afresh and kept again."""
    p = make_proposal()
    url = reverse("proposals:proposal-list")
    _get(client, url)
    kept = PagePart.objects.count()
    services.proposal_endorse(user=pworld["resident"], proposal=p)
    assert PagePart.objects.count() == kept  # the old rendering is still stored…
    assert "<strong>1</strong>/3" in _get(client, url)  # …and not served


def test_a_page_kept_by_an_earlier_release_is_never_served(client, make_proposal, settings):
    """After a deploy that changes a template, nothing the old one rendered is served, though no write
    moved a version: a kept part names the release that rendered it."""
    make_proposal()
    url = reverse("proposals:proposal-list")
    settings.PAGECACHE_RELEASE = "release-1"
    first = _queries(client, url)
    assert _queries(client, url) < first  # kept under this release
    settings.PAGECACHE_RELEASE = "release-2"
    assert _queries(client, url) == first  # rendered afresh under the next
    assert _queries(client, url) < first


def test_the_release_is_a_digest_of_what_renders_pages_when_none_is_named(settings, tmp_path):
    """A template, code or translation changed: another release. A test, a virtualenv or a file
    collected into var/ changed: the same one."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "list.html").write_text("<ul></ul>")
    (tmp_path / "app.py").write_text("X = 1")
    for folder in ("tests", ".venv", "var"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t.py").write_text("")
    settings.BASE_DIR = tmp_path
    settings.PAGECACHE_RELEASE = ""

    def digest():
        pagecache._source_digest.cache_clear()
        return pagecache.release()

    try:
        first = digest()
        for folder in ("tests", ".venv", "var"):
            (tmp_path / folder / "t.py").write_text("changed")
        assert digest() == first
        (tmp_path / "templates" / "list.html").write_text("<ol></ol>")
        second = digest()
        assert second != first
        (tmp_path / "app.py").write_text("X = 2")
        assert digest() not in (first, second)
        settings.PAGECACHE_RELEASE = "v2.3.1"
        assert pagecache.release() == "v2.3.1"
    finally:
        pagecache._source_digest.cache_clear()


def test_versions_are_read_the_same_after_compaction():
    pagecache.bump("a", "b")
    pagecache.bump("a")
    before = pagecache.versions(["a", "b", "c"])
    assert [n for n, _last in before] == [2, 1, 0]
    assert pagecache.compact() == 3
    assert not PageChange.objects.exists() and PageVersion.objects.count() == 2
    assert pagecache.versions(["a", "b", "c"]) == before
    pagecache.bump("b")
    assert pagecache.versions(["b"])[0][0] == 2


def test_the_header_shows_a_new_notification_a_read_and_a_new_role_at_once(client, pworld):
    from django.utils.translation import gettext_lazy

    from civic.services import notification_mark_read, notify

    person = pworld["member"]
    client.force_login(person)
    url = reverse("proposals:proposal-list")
    page = _get(client, url)
    assert "data-unread-count hidden>0<" in page and reverse("civic:moderation-queue") not in page
    cached = _queries(client, url)

    notify(recipient=person, kind="proposal.state", title=gettext_lazy("Welcome"))
    assert "data-unread-count>1<" in _get(client, url)
    notification_mark_read(user=person)
    assert "data-unread-count hidden>0<" in _get(client, url)

    area_role_grant(actor=pworld["admin"], user=person, area=pworld["S1"], role="moderator")
    assert reverse("civic:moderation-queue") in _get(client, url)
    assert _queries(client, url) == cached  # kept again until the next change


def test_a_session_is_read_from_the_database_only_when_the_cache_has_none(client, pworld):
    from civic import sessions

    client.force_login(pworld["member"])
    url = reverse("proposals:proposal-list")
    _get(client, url)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
    key = sessions.SessionStore.cache_key_prefix + client.cookies["sessionid"].value
    sessions._RedisOnly(sessions.caches["default"]).delete(key)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)  # still signed in: read from the database
    assert any("django_session" in q["sql"] for q in queries.captured_queries)
    assert reverse("account_logout") in _get(client, url)


@pytest.mark.parametrize("prepare", [True, False])
def test_the_kept_pages_query_is_prepared_once_per_connection_on_postgresql(
    client, make_proposal, pworld, settings, prepare
):
    """On PostgreSQL with prepared reads on (connections kept), the one query of a kept page is parsed and
    planned once per connection and then only executed: the same page, still one query counted."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings.CIVIC_DB_PREPARE = prepare
    p = make_proposal()
    url = p.get_absolute_url()
    first = _get(client, url)
    _get(client, url)

    def prepared() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements "
                "WHERE NOT from_sql AND statement LIKE '%%civic_pagepart%%'"
            )
            return dict(cursor.fetchall())

    before = prepared()
    with CaptureQueriesContext(connection) as queries:
        kept = [_get(client, url) for _reading in range(3)]
    assert kept == [first] * 3 and len(queries) == 3
    after = prepared()
    if prepare:  # the same statement, executed three more times, none prepared anew
        assert set(after) == set(before) and sum(after.values()) == sum(before.values()) + 3
    else:
        assert before == after == {}
    services.proposal_endorse(user=pworld["resident"], proposal=p)  # a write: the prepared read sees it
    assert '<strong class="big">1</strong>' in _get(client, url) and '<strong class="big">1</strong>' not in first


def test_a_signed_in_readers_facts_are_prepared_once_per_connection_on_postgresql(
    client, make_proposal, pworld, settings
):
    """The reader's facts (asked on every signed-in reading of a proposal) and the person's row go through
    the same prepared reads as the page's query: after the first reading, later ones prepare nothing anew,
    and a co-signature made meanwhile shows at once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings.CIVIC_DB_PREPARE = True
    p = make_proposal()
    url = p.get_absolute_url()
    client.force_login(pworld["resident"])
    first = _tokenless(_get(client, url))
    assert _tokenless(_get(client, url)) == first

    def prepared() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements "
                "WHERE NOT from_sql AND statement LIKE '%%proposals_endorsement%%'"
            )
            return dict(cursor.fetchall())

    before = prepared()
    assert len(before) == 1
    with CaptureQueriesContext(connection) as queries:
        kept = [_tokenless(_get(client, url)) for _reading in range(3)]
    assert kept == [first] * 3
    assert sum("proposals_endorsement" in q["sql"] for q in queries.captured_queries) == 3  # still counted
    after = prepared()
    assert set(after) == set(before) and sum(after.values()) == sum(before.values()) + 3
    services.proposal_endorse(user=pworld["resident"], proposal=p)
    assert _tokenless(_get(client, url)) != first  # the reader's own co-signature, read afresh


def _tokenless(page: str) -> str:
    """The page without its CSRF tokens (masked afresh on every request)."""
    return pagecache.csrf_hole(page)


def test_a_part_as_bytes_is_the_part_encoded_kept_or_not_and_moves_with_a_write():
    """`render_bytes` (a work queue's lists sent as kept) gives what `render` gives, encoded: when built,
    when kept, and built afresh after a write to its scope."""
    built = []

    def part():
        return pagecache.Part("bytes-test", ["bytes-test:1"], (1,), lambda: {})

    def build():
        built.append(1)
        return f"<p>工单 {len(built)}</p>"

    first = part().render_bytes("lists", build)
    assert first == "<p>工单 1</p>".encode() and len(built) == 1
    assert part().render_bytes("lists", build) == first and part().render("lists", build) == first.decode()
    assert len(built) == 1  # kept
    pagecache.bump("bytes-test:1")
    assert part().render_bytes("lists", build) == "<p>工单 2</p>".encode()


def test_bumps_made_together_are_one_insert_sent_when_the_block_ends():
    """A write whose parts bump separately (a ballot: its participation, the box's page) tells the pages in
    one statement; each scope moves once however often it was named, and only when the block ends."""
    before = dict(zip(["a", "b"], pagecache.versions(["test:a", "test:b"]), strict=True))
    with CaptureQueriesContext(connection) as queries, pagecache.bumps_together():
        pagecache.bump("test:a")
        with pagecache.bumps_together():  # inside another: the outer one sends
            pagecache.bump("test:b", "test:a")
        assert not PageChange.objects.filter(scope__startswith="test:").exists()
        sent_inside = len(queries)
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1 and sent_inside == 1  # the check above was the one query inside
    after = dict(zip(["a", "b"], pagecache.versions(["test:a", "test:b"]), strict=True))
    assert after["a"][0] == before["a"][0] + 1 and after["b"][0] == before["b"][0] + 1


def test_bumps_made_together_are_dropped_when_the_block_raises():
    """A write that fails tells nothing (its transaction rolls back; nothing is left pending either)."""
    with pytest.raises(ValueError), pagecache.bumps_together():
        pagecache.bump("test:c")
        raise ValueError
    assert not PageChange.objects.filter(scope="test:c").exists()
    pagecache.bump("test:d")  # and a bump outside any block is sent at once again
    assert PageChange.objects.filter(scope="test:d").count() == 1


def test_the_tick_folds_a_backlog_of_several_batches_and_versions_read_the_same():
    """A busy vote leaves more change rows than one batch between ticks: the tick folds them all."""
    for n in range(7):
        pagecache.bump("busy", f"other:{n % 2}")
    before = pagecache.versions(["busy", "other:0", "other:1"])
    assert pagecache.compact_backlog(batch=3) == 14
    assert not PageChange.objects.exists()
    assert pagecache.versions(["busy", "other:0", "other:1"]) == before
