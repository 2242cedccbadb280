"""The consultations' pages on the exact page cache (civic.pagecache): every write a page shows is on it at the
next read; a page read again without a write is served from the cache; a write elsewhere leaves it kept;
what only the drafters may read never reaches anyone else; the cost of a page does not grow with the number
of opinions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civic import pagecache
from civic.models import PagePart
from civic.services import content_report, moderation_decide
from consultations import services
from consultations.models import Opinion, TextUnit
from tests.consultations.conftest import close
from tests.consultations.results_fixtures import answered_consultation
from tests.factories import UserFactory
from tests.world import verify

pytestmark = pytest.mark.django_db


def _get(client, url, status=200, **params):
    client.cookies["lang"] = "en"  # the page in English (the language is part of what a kept page is kept under)
    response = client.get(url, params)
    assert response.status_code == status, url
    return response.content.decode()


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, url, **params)
    return len(queries)


def _urls(consultation, opinion=None) -> list[str]:
    urls = [
        reverse("consultations:consultation-list"),
        f"{reverse('consultations:consultation-list')}?area={consultation.area.code}",
        consultation.get_absolute_url(),
        reverse("consultations:opinion-list", args=[consultation.pk]),
    ]
    return urls + ([opinion.get_absolute_url()] if opinion else [])


def _opinion(world, consultation, text="楼道里不许停电动车，这条很好。", unit="art1"):
    return services.opinion_submit(author=world["resident"], consultation=consultation, unit=unit, text=text)


def test_each_page_read_twice_without_a_write_is_served_from_the_cache(client, world, make_consultation):
    consultation, _opinions = answered_consultation(world, make_consultation)
    services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    opinion = Opinion.objects.filter(consultation=consultation, source="online").first()
    urls = [
        *_urls(consultation, opinion),
        reverse("consultations:consultation-comparison", args=[consultation.pk]),
        reverse("consultations:consultation-report", args=[consultation.pk]),
    ]
    for url in urls:
        first, second = _queries(client, url), _queries(client, url)
        assert second < first and second <= 2, url  # the kept whole page: the versions and the page, one query
    client.force_login(world["resident_elsewhere"])  # signed in: the shared parts are kept
    pagecache.bump(f"consultation:{consultation.pk}", f"opinions:{consultation.pk}", "consultations:*", "areas")
    for url in urls:
        first, second = _queries(client, url), _queries(client, url)
        assert second < first, url


def test_a_new_opinion_is_on_the_list_the_page_and_the_opinion_list_at_once(client, world, open_consultation):
    c = open_consultation
    for url in _urls(c):
        _get(client, url)
    assert "1 opinion" not in _get(client, _urls(c)[0])
    _opinion(world, c, text="建议写明电动车充电的地点。")
    assert "1 opinion" in _get(client, _urls(c)[0])  # the list's card counts it
    assert "1 opinion" in _get(client, _urls(c)[1])  # and the list of the community
    page = _get(client, c.get_absolute_url())
    assert "建议写明电动车充电的地点。" in page  # the latest opinions
    assert '?unit=art1">1 opinion</a>' in page  # the count on its article
    assert "建议写明电动车充电的地点。" in _get(client, _urls(c)[3])
    services.opinion_enter_offline(
        staff=world["organiser_here"],
        consultation=c,
        source="letter",
        received_on=timezone.localdate(),
        text="来信：希望增加议事规则。",
    )
    assert "2 opinions" in _get(client, _urls(c)[0])
    assert "来信：希望增加议事规则。" in _get(client, c.get_absolute_url())
    assert "来信：希望增加议事规则。" in _get(client, _urls(c)[3], source="letter")


def test_a_support_is_counted_on_the_opinion_and_the_lists_at_once(client, world, open_consultation):
    c = open_consultation
    opinion = _opinion(world, c)
    for url in _urls(c, opinion):
        assert "1 agree" not in _get(client, url)
    services.opinion_support(user=_neighbour(world), opinion=opinion)
    assert "1 person agrees" in _get(client, opinion.get_absolute_url())
    assert "1 agrees" in _get(client, _urls(c)[3])
    assert "1 agrees" in _get(client, c.get_absolute_url())
    services.opinion_unsupport(user=_neighbour(world), opinion=opinion)
    assert "0 people agree" in _get(client, opinion.get_absolute_url())
    assert "0 agree" in _get(client, _urls(c)[3])


def _neighbour(world):
    from civic.models import User

    found = User.objects.filter(display_name="neighbour").first()
    if found is None:
        found = UserFactory(display_name="neighbour")
        verify(found, world["c1b"])
    return found


def test_answers_alone_and_in_a_group_are_shown_at_once(client, world, open_consultation):
    c = open_consultation
    alone = _opinion(world, c, text="第一条应写明依据。")
    grouped = [
        services.opinion_submit(author=_neighbour(world), consultation=c, unit="art2", text="车位怎么分？"),
        services.opinion_enter_offline(
            staff=world["organiser_here"],
            consultation=c,
            source="hotline",
            received_on=timezone.localdate(),
            text="热线：车位分配要写清楚。",
        ),
    ]
    close(c)
    pages = [*_urls(c), alone.get_absolute_url(), grouped[0].get_absolute_url(), grouped[1].get_absolute_url()]
    for url in pages:
        _get(client, url)
    services.opinion_answer(
        actor=world["official_here"], opinion=alone, classification="adopted", reason="已补充依据。"
    )
    assert "已补充依据。" in _get(client, alone.get_absolute_url())
    assert "已补充依据。" in _get(client, _urls(c)[3])
    assert "answer-adopted" in _get(client, c.get_absolute_url())  # the tally of the answers
    group = services.group_create(actor=world["official_here"], consultation=c, title="车位分配", opinions=grouped)
    assert f"group={group.pk}" not in _get(client, _urls(c)[3])  # (a filter by group is the drafters')
    assert len(_get(client, _urls(c)[3], group=group.pk).split('class="comment opinion"')) == 3
    services.group_answer(
        actor=world["official_here"], group=group, classification="not_adopted", reason="车位分配另行制定办法。"
    )
    for opinion in grouped:
        page = _get(client, opinion.get_absolute_url())
        assert "车位分配另行制定办法。" in page and "车位分配" in page
    assert _get(client, _urls(c)[3]).count("车位分配另行制定办法。") == 2


def test_an_extension_and_the_window_closed_by_the_tick_are_shown_at_once(client, world, open_consultation):
    c = open_consultation
    login = reverse("account_login") + "?next="
    page = _get(client, c.get_absolute_url())
    assert login in page  # open: a visitor is asked to sign in to give an opinion
    # the kept page holds until the window closes, not longer
    until = PagePart.objects.filter(until__isnull=False).values_list("until", flat=True)
    assert until and {round(u) for u in until} == {round(c.closes_at.timestamp())}
    later = c.closes_at + timedelta(days=5)
    services.consultation_extend(
        actor=world["official_here"], consultation=c, closes_at=later, reason="征求更多居民意见。"
    )
    page = _get(client, c.get_absolute_url())
    assert "征求更多居民意见。" in page and timezone.localtime(later).strftime("%Y-%m-%d %H:%M") in page
    c.refresh_from_db()
    list_page = _get(client, _urls(c)[0])
    assert timezone.localtime(later).strftime("%Y-%m-%d %H:%M") in list_page
    services.close_due_consultations(now=later + timedelta(minutes=1))
    page = _get(client, c.get_absolute_url())
    assert login not in page and "not taking opinions now" in page
    assert "closed, opinions being answered" in _get(client, _urls(c)[0])


def test_the_published_result_is_on_the_page_and_the_list_at_once(client, world, make_consultation):
    c, _opinions = answered_consultation(world, make_consultation)
    report = reverse("consultations:consultation-report", args=[c.pk])
    assert report not in _get(client, c.get_absolute_url())
    _get(client, report, status=403)
    _get(client, _urls(c)[0])
    services.consultation_conclude(actor=world["official_here"], consultation=c)
    assert report in _get(client, c.get_absolute_url())
    assert "result published" in _get(client, _urls(c)[0])
    assert "已按建议补充依据。" in _get(client, report)
    assert "comparison-row" in _get(client, reverse("consultations:consultation-comparison", args=[c.pk]))


def test_an_opinion_hidden_by_moderation_leaves_every_page_at_once(client, world, open_consultation):
    c = open_consultation
    opinion = _opinion(world, c, text="这是一条广告：低价装修。")
    _get(client, opinion.get_absolute_url())
    for url in _urls(c):
        _get(client, url)
    assert "这是一条广告" in _get(client, c.get_absolute_url())
    case = content_report(reporter=world["member"], obj=opinion, reason="spam", text="广告").case
    moderation_decide(actor=world["moderator_here"], case=case, hide=True, reason="广告内容")
    assert "这是一条广告" not in _get(client, c.get_absolute_url())
    assert '?unit=art1">1 opinion' not in _get(client, c.get_absolute_url())
    assert "这是一条广告" not in _get(client, _urls(c)[3])
    _get(client, opinion.get_absolute_url(), status=404)
    client.force_login(world["official_here"])  # the drafters still read (and answer) it, marked
    page = _get(client, c.get_absolute_url())
    assert "这是一条广告" in page and "hidden by moderation" in page


def test_a_unit_corrected_in_the_draft_is_shown_at_once(client, world, make_consultation):
    c = make_consultation(publish=False)
    client.force_login(world["official_here"])
    assert "为了维护业主的合法权益" in _get(client, c.get_absolute_url())
    unit = TextUnit.objects.get(version__consultation=c, anchor="art1-p1")
    services.consultation_unit_correct(
        actor=world["official_here"],
        unit=unit,
        kind="paragraph",
        number="",
        text="为了保护业主的合法权益，制定本规约。",
    )
    assert "为了保护业主的合法权益" in _get(client, c.get_absolute_url())


def test_a_write_in_another_consultation_leaves_the_pages_kept(client, world, make_consultation):
    c = make_consultation()
    other = make_consultation(area="S1", title="一街道规约")
    opinion = _opinion(world, c)
    urls = [c.get_absolute_url(), _urls(c)[3], opinion.get_absolute_url(), _urls(c)[1]]
    kept = {}
    for url in urls:
        _get(client, url)
        kept[url] = _queries(client, url)
    services.opinion_submit(author=world["resident"], consultation=other, text="一街道的意见。")
    for url in urls:
        assert _queries(client, url) == kept[url], url


@pytest.mark.parametrize("public", [True, False])
def test_what_only_the_drafters_and_the_author_read_never_reaches_anyone_else(client, world, make_consultation, public):
    c = make_consultation(opinions_public=public, participation="signed_in")
    secret = _opinion(world, c, text="只给起草人看的意见。")
    hidden = services.opinion_submit(author=_neighbour(world), consultation=c, unit="art2", text="被隐藏的意见。")
    case = content_report(reporter=world["member"], obj=hidden, reason="spam").case
    moderation_decide(actor=world["moderator_here"], case=case, hide=True, reason="广告内容")
    urls = [*_urls(c), f"{_urls(c)[3]}?order=newest", f"{_urls(c)[3]}?unit=art1"]

    def seen(person) -> str:
        client.logout()
        if person is not None:
            client.force_login(person)
        return "".join(_get(client, url) for url in urls)

    # The drafters read everything first (their renderings are kept), then the author, then everyone else.
    drafter = seen(world["official_here"])
    assert "只给起草人看的意见。" in drafter and "被隐藏的意见。" in drafter
    author = seen(world["resident"])
    assert "只给起草人看的意见。" in author and "被隐藏的意见。" not in author
    assert "被隐藏的意见。" in seen(_neighbour(world))  # the author of the hidden one sees their own
    for person in (None, world["resident_elsewhere"], world["unverified"]):
        page = seen(person)
        assert "被隐藏的意见。" not in page
        assert ("只给起草人看的意见。" in page) == public
    client.logout()
    _get(client, secret.get_absolute_url(), status=200 if public else 404)
    _get(client, hidden.get_absolute_url(), status=404)
    # and read in the other order: what a visitor was shown is not what the drafters get
    pagecache.bump(f"opinions:{c.pk}")
    seen(None)
    assert "被隐藏的意见。" in seen(world["official_here"])


def _render_cost(client, url, scope) -> int:
    pagecache.bump(scope)  # a write (bulk inserts send no signal): the next read renders the page
    return _queries(client, url)


def test_the_cost_of_each_page_does_not_grow_with_the_number_of_opinions(client, world, open_consultation):
    c = open_consultation
    unit = TextUnit.objects.get(version__consultation=c, anchor="art1")

    def add(n):
        Opinion.objects.bulk_create(
            Opinion(
                consultation=c, unit=unit if i % 3 else None, author=world["resident"], text=f"意见{i}", wording="新"
            )
            for i in range(n)
        )

    add(5)
    urls = [c.get_absolute_url(), _urls(c)[3], f"{_urls(c)[3]}?page=2&order=support", _urls(c)[0]]
    client.force_login(world["resident_elsewhere"])
    for url in urls:
        _get(client, url)
    few = {url: _render_cost(client, url, f"opinions:{c.pk}") for url in urls}
    add(300)
    for url in urls:
        assert _render_cost(client, url, f"opinions:{c.pk}") <= few[url], url
    client.logout()
    for url in urls:
        _get(client, url)  # a visitor's first reading keeps their page (the list is not one the write changes)
        assert _render_cost(client, url, f"opinions:{c.pk}") <= few[url], url
