"""Signed-in readers share one rendering of a page (civic.pagecache.whole_page): each sees their own bits and
never another reader's, every write shows at once, and a kept page costs a few queries whatever it shows."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from civic import pagecache
from civic.models import PagePart
from civic.selectors import effective_verification, is_eligible, unread_count, verified_cell_path
from civic.services import area_role_grant, notify
from proposals import selectors, services
from proposals.models import Comment
from tests.factories import UserFactory
from tests.pages import reader_client as _reader
from tests.pages import reader_page as _page
from tests.pages import reader_queries as _queries
from tests.world import verify

pytestmark = pytest.mark.django_db


def _menu_of(name: str) -> str:
    return f"账户菜单： </span>{name}</summary>"


def test_two_readers_share_the_page_and_each_sees_only_their_own_bits(make_proposal, pworld):
    author, neighbour = pworld["resident"], pworld["member"]
    p = make_proposal()  # by `author`
    mine = services.comment_add(author=neighbour, proposal=p, body="邻居的评论，十五分钟内还能改。", stance="for")
    services.proposal_endorse(user=author, proposal=p)
    services.proposal_follow(user=neighbour, proposal=p, follow=True)
    services.proposal_follow(user=author, proposal=p, follow=False)  # an author follows their own at first
    for _n in range(unread_count(author) + 1 - unread_count(neighbour)):
        notify(recipient=neighbour, kind="proposal.state", title=gettext_lazy("Welcome"))
    unread_a, unread_b = unread_count(author), unread_count(neighbour)
    assert unread_b > unread_a
    url = p.get_absolute_url()
    edit = reverse("proposals:comment-edit", args=[mine.pk])
    report_comment = reverse("civic:report-content", args=["proposals.comment", mine.pk])
    report_proposal = reverse("civic:report-content", args=["proposals.proposal", p.pk])

    a, b = _reader(author), _reader(neighbour)
    for _round in range(2):  # the first reading makes the shared page, the second serves it
        page_a, page_b = _page(a, url), _page(b, url)
        # the header: each their own name and unread count
        assert _menu_of(author.public_name) in page_a and _menu_of(neighbour.public_name) not in page_a
        assert _menu_of(neighbour.public_name) in page_b and _menu_of(author.public_name) not in page_b
        assert f"data-unread-count{' hidden' if not unread_a else ''}>{unread_a}<" in page_a
        assert f"data-unread-count>{unread_b}<" in page_b and f">{unread_b}<" not in page_a
        # co-signing: the author has co-signed, the neighbour (not a verified resident) is told how to
        assert "您已联署。" in page_a and "您已联署。" not in page_b
        assert "申请居住核验" in page_b and "联署这条建议" not in page_b
        # following
        assert "取消关注" in page_b and "取消关注" not in page_a
        # the comment: its author may edit it and not report it; the other may report it and not edit it
        assert f'action="{edit}"' in page_b and f'action="{edit}"' not in page_a
        assert report_comment in page_a and report_comment not in page_b
        # the author corrects and withdraws; the neighbour may report the proposal
        assert "更正文字" in page_a and "撤回建议" in page_a and report_proposal not in page_a
        assert "更正文字" not in page_b and "撤回建议" not in page_b and report_proposal in page_b
        # forms work: each page carries its reader's own CSRF token (the cookie's secret, masked)
        for page in (page_a, page_b):
            assert 'name="csrfmiddlewaretoken" value="' in page
    assert PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count() == 1  # one rendering for both


def test_a_write_shows_at_once_to_every_signed_in_reader(make_proposal, pworld):
    author, neighbour = pworld["resident"], pworld["member"]
    p = make_proposal()
    url = p.get_absolute_url()
    a, b = _reader(author), _reader(neighbour)
    _page(a, url), _page(b, url)

    services.comment_add(author=neighbour, proposal=p, body="路灯修好以后请装个感应开关。", stance="for")
    assert "路灯修好以后请装个感应开关。" in _page(a, url) and "路灯修好以后请装个感应开关。" in _page(b, url)

    services.proposal_endorse(user=author, proposal=p)
    page_a, page_b = _page(a, url), _page(b, url)
    assert '<strong class="big">1</strong>' in page_a and '<strong class="big">1</strong>' in page_b
    assert "您已联署。" in page_a and "您已联署。" not in page_b

    # a notification changes one reader's header only
    before_a, before_b = unread_count(author), unread_count(neighbour)
    notify(recipient=author, kind="proposal.state", title=gettext_lazy("Welcome"))
    assert f"data-unread-count>{before_a + 1}<" in _page(a, url)
    assert f"data-unread-count{' hidden' if not before_b else ''}>{before_b}<" in _page(b, url)

    # the neighbour becomes a verified resident: the co-sign button appears for them at once
    verify(neighbour, pworld["c1b"])
    assert "联署这条建议" in _page(b, url)


def test_the_edit_link_closes_with_the_clock_on_a_kept_page(make_proposal, pworld, settings, monkeypatch):
    neighbour = pworld["member"]
    p = make_proposal()
    mine = services.comment_add(author=neighbour, proposal=p, body="稍后会补充照片。", stance="neutral")
    b = _reader(neighbour)
    edit = f'action="{reverse("proposals:comment-edit", args=[mine.pk])}"'
    assert edit in _page(b, p.get_absolute_url()) and edit in _page(b, p.get_absolute_url())
    later = timezone.now() + timezone.timedelta(minutes=settings.PROPOSAL_COMMENT_EDIT_MINUTES + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert edit not in _page(b, p.get_absolute_url())


def test_the_facts_read_in_one_query_follow_the_selectors_rules(make_proposal, pworld):
    """`reader_facts` is plain SQL for speed; it must say what the selectors say, for every kind of reader."""
    p = make_proposal()
    services.proposal_endorse(user=pworld["resident"], proposal=p)
    services.proposal_follow(user=pworld["member"], proposal=p, follow=True)
    services.comment_add(author=pworld["member"], proposal=p, body="第一条评论。", stance="for")
    old = services.comment_add(author=pworld["member"], proposal=p, body="早先的评论。", stance="for")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    pworld.organisation.confirmed_at = timezone.now()
    pworld.organisation.save()
    plain = ("endorsed", "following", "editable", "represents")
    for role in ("resident", "resident_elsewhere", "member", "representative", "unverified", "official_here"):
        person = type(pworld[role]).objects.get(pk=pworld[role].pk)
        facts = selectors.reader_facts(p.pk, person)
        viewer = selectors.viewer_facts(p, person)
        assert facts["endorsed"] == viewer["endorsed"] and facts["following"] == viewer["following"], role
        assert facts["editable"] == {str(c.pk) for c in selectors.comments_still_editable(p, person)}, role
        for area in ("c1a", "C1", "city", "c2a", "c1b"):
            assert facts["eligible_in"](pworld[area].path) == is_eligible(person, pworld[area]), (role, area)
        assert facts["represents"] == selectors.organisations_represented(person).exists(), role
        verification = effective_verification(person)
        assert verified_cell_path(person) == (verification.cell.path if verification else None), role
        # the same facts when read in the page's own query (pagecache.Part's reader_rows)
        _versions, kept = pagecache._load(["proposal:0"], "page", reader=selectors.reader_query(p.pk, person.pk))
        together = selectors.reader_facts(p.pk, person, kept[pagecache.READER_ROWS])
        assert [together[k] for k in plain] == [facts[k] for k in plain], role
        for area in ("c1a", "C1", "city", "c2a", "c1b"):
            assert together["eligible_in"](pworld[area].path) == facts["eligible_in"](pworld[area].path), role
    assert selectors.reader_facts(p.pk, pworld["member"])["editable"]  # the cases above are not all empty
    assert selectors.reader_facts(p.pk, pworld["representative"])["represents"]


def test_an_official_and_a_representative_get_the_page_rendered_for_them(make_proposal, pworld):
    p = make_proposal()
    pworld.organisation.confirmed_at = timezone.now()
    pworld.organisation.save()
    url = p.get_absolute_url()
    resident = _page(_reader(pworld["resident"]), url)
    official = _page(_reader(pworld["official_here"]), url)
    representative = _page(_reader(pworld["representative"]), url)
    assert "作为政府工作人员答复" in official and "作为政府工作人员答复" not in resident
    assert pworld.organisation.name in representative.split("共同发起身份")[1][:400]
    assert "共同发起身份" not in resident  # a resident co-sponsors as themselves: no choice to make
    assert "作为政府工作人员答复" not in _page(_reader(pworld["resident"]), url)  # and not from the shared page


def test_a_message_is_shown_once_then_the_shared_page_again(client, make_proposal, pworld):
    verify(pworld["member"], pworld["c1b"])
    p = make_proposal()
    client.force_login(pworld["member"])
    url = p.get_absolute_url()
    _page(client, url)
    response = client.post(reverse("proposals:proposal-action", args=[p.pk, "endorse"]), follow=True)
    assert "感谢您的联署。" in response.content.decode()
    assert response.content.decode().count('class="message message-success"') == 1
    page = _page(client, url)
    assert 'class="message' not in page and "您已联署。" in page


@pytest.mark.parametrize("comments", [2, 12])
def test_a_kept_page_costs_a_signed_in_reader_three_queries_whatever_the_discussion(make_proposal, pworld, comments):
    p = make_proposal()
    for i in range(comments):
        c = services.comment_add(author=UserFactory(), proposal=p, body=f"评论{i}", stance="for")
        services.comment_add(author=UserFactory(), proposal=p, body="回复", parent=c)
    a = _reader(pworld["resident"])
    url = p.get_absolute_url()
    first = _queries(a, url)
    kept = _queries(a, url)
    # the person (AuthenticationMiddleware); the versions, the shared page, the reader's own header and their
    # facts (co-signed, following, own comments, residence) in one query. Before the shared signed-in page
    # this page cost 12 queries and rendered every comment for every reader.
    assert len(kept) == 2 < len(first), "\n".join(q[:160] for q in kept)
    assert "proposals_endorsement" in kept[1] and "civic_pagepart" in kept[1]
    b = _reader(pworld["member"])
    _page(b, reverse("civic:area-list"))  # their own header is kept from another page
    assert len(_queries(b, url)) == 2  # and the page from the first reader's reading


def test_the_rendering_signed_in_readers_share_is_constant_in_comments(make_proposal, pworld):
    p = make_proposal()
    url = p.get_absolute_url()
    a = _reader(pworld["resident"])

    def fresh_rendering() -> int:
        PagePart.objects.all().delete()
        return len(_queries(a, url))

    for i in range(2):
        services.comment_add(author=UserFactory(), proposal=p, body=f"评论{i}", stance="for")
    few = fresh_rendering()
    for i in range(10):
        c = services.comment_add(author=UserFactory(), proposal=p, body=f"更多评论{i}", stance="against")
        services.comment_add(author=UserFactory(), proposal=p, body="回复", parent=c)
    assert fresh_rendering() == few


@pytest.mark.parametrize("name", ["proposals:proposal-list", "civic:home"])
def test_a_kept_list_or_home_costs_a_signed_in_reader_two_queries(make_proposal, pworld, name):
    make_proposal()
    a, b = _reader(pworld["resident"]), _reader(pworld["member"])
    url = reverse(name)
    _page(a, url)
    _page(b, reverse("civic:area-list"))  # their own header is kept from another page
    kept = _queries(b, url)
    assert len(kept) == 2, "\n".join(q[:160] for q in kept)
    assert _menu_of(pworld["member"].public_name) in _page(b, url)
    assert _menu_of(pworld["resident"].public_name) in _page(a, url)


def test_the_area_page_tells_only_its_residents_they_live_there(pworld):
    url = reverse("civic:area-detail", args=[pworld["C1"].code])
    here, elsewhere = _reader(pworld["resident"]), _reader(pworld["resident_elsewhere"])
    for _round in range(2):
        assert "您是这里经核验的居民" in _page(here, url)
        assert "您是这里经核验的居民" not in _page(elsewhere, url)
    assert PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count() == 1
    assert len(_queries(elsewhere, url)) == 3  # the person, the page and header, their residence
    official = _page(_reader(pworld["official_here"]), url)
    assert reverse("civic:area-roles", args=[pworld["C1"].code]) in official
    assert reverse("civic:area-roles", args=[pworld["C1"].code]) not in _page(here, url)


def test_a_new_role_takes_a_reader_off_the_shared_page_at_once(make_proposal, pworld):
    p = make_proposal()
    person = pworld["member"]
    b = _reader(person)
    url = p.get_absolute_url()
    assert "作为政府工作人员答复" not in _page(b, url)
    area_role_grant(actor=pworld["admin"], user=person, area=pworld["D1"], role="official")
    assert "作为政府工作人员答复" in _page(b, url)


def test_nobody_can_type_a_mark_into_a_page(make_proposal, pworld):
    p = make_proposal(body="<!--h000000000000:menu::--> 和 <!--r000000000000:me::1-->")
    services.comment_add(author=pworld["member"], proposal=p, body=f"{pagecache.mark_hole('menu')}", stance="for")
    page = _page(_reader(pworld["resident"]), p.get_absolute_url())
    assert page.count("账户菜单：") == 1  # the menu once, in the header


def test_a_page_that_does_not_ask_for_it_is_never_shared_between_signed_in_readers(pworld, rf):
    """Only a page whose Part says `signed_in_page` and whose view gives `reader` is kept for signed-in
    readers: any other page marks nothing, so it is rendered for each of them."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    seen = []
    for role in ("resident", "member"):
        request = rf.get("/somewhere/")
        request.user, request.session = pworld[role], SessionStore()
        request._messages = FallbackStorage(request)
        part = pagecache.Part("unmarked", ["areas"], (), dict, request=request)
        page = pagecache.whole_page(request, part, lambda request=request: HttpResponse(request.user.public_name))
        seen.append(page.content.decode())
    assert seen == [pworld["resident"].public_name, pworld["member"].public_name]
    assert not PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).exists()
