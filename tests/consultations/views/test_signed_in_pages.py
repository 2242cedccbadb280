"""Signed-in readers share one rendering of a consultation's pages (civic.pagecache.whole_page): the page a
reader is served is the page rendered for them alone, each reader sees their own bits (may they give an
opinion, have they answered, do they follow, agree) and never another's, the drafters, staff and
representatives always get their own, every write shows at once, and a kept page costs a few queries
whatever the number of opinions."""

import re

import pytest
from django.urls import reverse

from civic import pagecache
from civic.models import PagePart
from civic.selectors import organisations_represented
from civic.services import area_role_grant
from consultations import selectors, services
from consultations.models import Opinion, Question
from consultations.views import _common
from tests.consultations.results_fixtures import answered_consultation
from tests.factories import UserFactory
from tests.pages import reader_client as _reader
from tests.pages import reader_page as _page
from tests.pages import reader_queries as _queries
from tests.pages import shared_pages as _shared_pages
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
SEND = "提交意见"  # the opinion form's button
VERIFY = "可以提出意见"  # "Residents verified in … can give opinions."
COMMENTING = '<div class="legal-text commenting">'  # the text whose "Comment" links are shown (one class)


def _with_question(make_consultation, world, **kwargs):
    consultation = make_consultation(publish=False, **kwargs)
    services.question_add(
        actor=world["official_here"],
        consultation=consultation,
        kind="single",
        text="您是否赞同？",
        options=["赞同", "反对"],
    )
    services.question_add(actor=world["official_here"], consultation=consultation, kind="open", text="还有什么建议？")
    services.consultation_publish(actor=world["official_here"], consultation=consultation)
    consultation.refresh_from_db()
    return consultation


def _answer(person, consultation, n=0):
    question = Question.objects.filter(consultation=consultation).order_by("position", "id")[n]
    option = question.options.first()
    services.question_answer(user=person, question=question, options=[option] if option else [], text="好")


@pytest.fixture
def for_one(monkeypatch):
    """Pages rendered for each reader alone, as before the shared rendering (its facts always None)."""

    def switch(on: bool):
        if on:
            monkeypatch.setattr(_common, "reader", lambda request, pk: None)
        else:
            monkeypatch.undo()

    return switch


def _same(a: str, b: str) -> None:
    a, b = CSRF.sub(r"\1\2", a), CSRF.sub(r"\1\2", b)
    assert a == b


@pytest.mark.parametrize("participation", ["residents", "signed_in"])
def test_the_shared_page_is_the_page_rendered_for_the_reader(world, make_consultation, for_one, participation):
    consultation = _with_question(make_consultation, world, participation=participation)
    services.consultation_follow(user=world["resident"], consultation=consultation)
    _answer(world["resident"], consultation)
    mine = services.opinion_submit(author=world["resident"], consultation=consultation, unit="art1", text="很好。")
    neighbour = UserFactory()
    verify(neighbour, world["c1b"])
    theirs = services.opinion_submit(author=neighbour, consultation=consultation, unit="art2", text="再想想。")
    services.opinion_support(user=world["resident"], opinion=theirs)
    urls = [
        consultation.get_absolute_url(),
        reverse("consultations:opinion-list", args=[consultation.pk]),
        f"{reverse('consultations:opinion-list', args=[consultation.pk])}?order=support",
        mine.get_absolute_url(),
        theirs.get_absolute_url(),
    ]
    readers = ["resident", "resident_elsewhere", "unverified", "member"]
    shared = {(role, url): _page(_reader(world[role]), url) for role in readers for url in urls}
    assert _shared_pages() == len(urls)
    # what differs: the resident agrees with the neighbour's opinion, may not agree with their own
    assert "您同意这条意见。" in shared["resident", theirs.get_absolute_url()]
    assert "您同意这条意见。" not in shared["member", theirs.get_absolute_url()]
    assert "同意此意见</button>" not in shared["resident", mine.get_absolute_url()]
    assert "同意此意见</button>" in shared["member", mine.get_absolute_url()] or participation == "residents"
    report = reverse("civic:report-content", args=["consultations.opinion", mine.pk])
    assert report not in shared["resident", mine.get_absolute_url()]
    assert report in shared["member", mine.get_absolute_url()]
    for_one(True)
    for role in readers:
        for url in urls:
            _same(shared[role, url], _page(_reader(world[role]), url))
    assert _shared_pages() == len(urls)  # the renderings for one reader kept nothing whole


def test_two_readers_share_the_page_and_each_sees_only_their_own_bits(world, make_consultation):
    consultation = _with_question(make_consultation, world)
    here, elsewhere = world["resident"], world["resident_elsewhere"]
    services.consultation_follow(user=here, consultation=consultation)
    _answer(here, consultation)
    url = consultation.get_absolute_url()
    a, b = _reader(here), _reader(elsewhere)
    for _round in range(2):  # the first reading makes the shared page, the second serves it
        page_a, page_b = _page(a, url), _page(b, url)
        assert f"账户菜单： </span>{here.display_name}</summary>" in page_a
        assert f"账户菜单： </span>{elsewhere.display_name}</summary>" in page_b
        assert f"账户菜单： </span>{here.display_name}</summary>" not in page_b
        assert f"账户菜单： </span>{elsewhere.display_name}</summary>" not in page_a
        # a resident of the community may give an opinion and comment article by article; the other is told how
        assert SEND in page_a and COMMENTING in page_a and "?unit=art1#give-opinion" in page_a and VERIFY not in page_a
        assert SEND not in page_b and COMMENTING not in page_b and VERIFY in page_b
        # the first question answered by one of them; the second open to the one who may answer
        assert page_a.count("您已回答。") == 1 and "您已回答。" not in page_b
        assert page_a.count('<button type="submit" class="button-small">答复</button>') == 1
        assert '<button type="submit" class="button-small">答复</button>' not in page_b
        assert "取消关注" in page_a and "取消关注" not in page_b
        for page in (page_a, page_b):
            assert 'name="csrfmiddlewaretoken" value="' in page and "<!--csrf-->" not in page
    assert _shared_pages() == 1


@pytest.mark.parametrize("role", ["official_here", "official_elsewhere", "organiser_here", "representative", "admin"])
def test_staff_drafters_and_representatives_get_their_own_page(world, make_consultation, role):
    from django.utils import timezone

    world.organisation.confirmed_at = timezone.now()
    world.organisation.save()
    consultation = make_consultation()
    url = consultation.get_absolute_url()
    resident = _page(_reader(world["resident"]), url)
    person = world[role]
    assert _common.reader(_request_of(person, url), consultation.pk) is None
    own = _page(_reader(person), url)
    assert own != resident
    drafters = "起草人操作"
    if role in ("official_here", "admin"):
        assert drafters in own
    if role == "organiser_here":
        assert reverse("consultations:offline-entry", args=[consultation.pk]) in own
    if role == "representative":
        assert world.organisation.name in own.split('id="give-opinion"')[1]
    assert drafters not in _page(_reader(world["resident"]), url)  # and nothing of theirs in the shared page
    assert reverse("consultations:offline-entry", args=[consultation.pk]) not in _page(_reader(world["member"]), url)


def _request_of(person, url):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get(url)
    request.user, request.session = fresh(person), SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_named_drafter_and_an_author_of_a_hidden_opinion_get_their_own_page(world, make_consultation):
    drafter, author = UserFactory(), world["resident"]
    consultation = make_consultation(drafters=[drafter])
    opinion = services.opinion_submit(author=author, consultation=consultation, unit="art1", text="私下的意见。")
    url = consultation.get_absolute_url()
    assert "私下的意见。" in _page(_reader(world["member"]), url)
    assert _common.reader(_request_of(drafter, url), consultation.pk) is None
    assert _common.reader(_request_of(author, url), consultation.pk) is not None  # a public opinion: shared
    Opinion.objects.filter(pk=opinion.pk).update(is_hidden=True)
    pagecache.bump_for(opinion)
    assert _common.reader(_request_of(author, url), consultation.pk) is None
    assert "私下的意见。" in _page(_reader(author), url)  # their own, hidden from the others
    assert "私下的意见。" not in _page(_reader(world["member"]), url)


def test_opinions_kept_to_the_drafters_never_reach_a_shared_page(world, make_consultation):
    consultation = make_consultation(opinions_public=False)
    services.opinion_submit(author=world["resident"], consultation=consultation, unit="art1", text="只给起草人看。")
    url = consultation.get_absolute_url()
    assert "只给起草人看。" in _page(_reader(world["official_here"]), url)  # the drafters' view
    assert "只给起草人看。" in _page(_reader(world["resident"]), url)  # the author's own, rendered for them
    assert "只给起草人看。" not in _page(_reader(world["member"]), url)  # the shared page
    assert "只给起草人看。" not in _page(_reader(world["resident_elsewhere"]), url)
    for role in ("official_here", "resident"):
        assert "只给起草人看。" in _page(_reader(world[role]), url)
    listing = reverse("consultations:opinion-list", args=[consultation.pk])
    assert "只给起草人看。" in _page(_reader(world["resident"]), listing)
    assert "只给起草人看。" not in _page(_reader(world["member"]), listing)
    assert "只给起草人看。" in _page(_reader(world["official_here"]), listing)
    assert "只给起草人看。" not in _page(_reader(world["resident_elsewhere"]), listing)


def test_every_write_shows_at_once_to_signed_in_readers(world, make_consultation):
    consultation = _with_question(make_consultation, world)
    url = consultation.get_absolute_url()
    here, other = world["resident"], world["unverified"]
    a, b = _reader(here), _reader(other)
    _page(a, url), _page(b, url)
    services.opinion_submit(author=here, consultation=consultation, unit="art2", text="第二条要写清楚。")
    assert "第二条要写清楚。" in _page(a, url) and "第二条要写清楚。" in _page(b, url)
    assert "取消关注" in _page(a, url) and "取消关注" not in _page(b, url)  # an author follows what they spoke on
    services.consultation_follow(user=other, consultation=consultation)
    assert "取消关注" in _page(b, url)
    _answer(here, consultation, 1)
    assert "您已回答。" in _page(a, url) and "您已回答。" not in _page(b, url)
    verify(other, world["c1b"])  # the other becomes a resident of the community: the form appears for them
    assert SEND in _page(b, url)
    kept = _shared_pages()
    services.consultation_create(actor=world["official_elsewhere"], area=world["C2"], title="别处的规约", kind="plan")
    assert SEND in _page(a, url) and _shared_pages() == kept  # a write elsewhere leaves it kept
    area_role_grant(actor=world["admin"], user=other, area=world["D1"], role="official")
    assert "起草人操作" in _page(b, url)  # a new role takes a reader off the shared page at once


def test_the_form_closes_with_the_window_on_a_kept_page(world, make_consultation, monkeypatch):
    import time

    from django.utils import timezone

    consultation = make_consultation()
    url = consultation.get_absolute_url()
    a = _reader(world["resident"])
    assert SEND in _page(a, url) and SEND in _page(a, url)
    later = consultation.closes_at + timezone.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", later.timestamp)
    page = _page(a, url)
    assert SEND not in page and COMMENTING not in page and "?unit=art1#give-opinion" not in page


@pytest.mark.parametrize("opinions", [2, 20])
def test_a_kept_page_costs_a_signed_in_reader_three_queries_whatever_the_opinions(world, make_consultation, opinions):
    consultation = _with_question(make_consultation, world, participation="signed_in")
    for i in range(opinions):
        services.opinion_submit(author=UserFactory(), consultation=consultation, unit="art1", text=f"意见{i}")
    url = consultation.get_absolute_url()
    a, b = _reader(world["resident"]), _reader(world["member"])
    first = _queries(a, url)
    kept = _queries(a, url)
    # the person; the versions, the shared page and the reader's header in one query; the reader's facts
    assert len(kept) == 3 < len(first), "\n".join(q[:160] for q in kept)
    _page(b, reverse("civic:area-list"))  # their own header is kept from another page
    assert len(_queries(b, url)) == 3  # and the page from the first reader's reading


def test_the_shared_rendering_is_constant_in_opinions(world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    url = consultation.get_absolute_url()
    a = _reader(world["resident"])

    def fresh_rendering() -> int:
        PagePart.objects.all().delete()
        return len(_queries(a, url))

    for i in range(2):
        services.opinion_submit(author=UserFactory(), consultation=consultation, unit="art1", text=f"意见{i}")
    few = fresh_rendering()
    for i in range(15):
        services.opinion_submit(author=UserFactory(), consultation=consultation, unit="art2", text=f"更多意见{i}")
    assert fresh_rendering() == few


def test_the_facts_read_in_one_query_follow_the_rules(world, make_consultation):
    """`reader_facts` is plain SQL for speed; it must say what the rules and selectors say, for every role."""
    from civic.services import holds_perm
    from consultations import pages

    drafter, neighbour = UserFactory(), UserFactory()
    verify(neighbour, world["c1b"])
    for participation in ("residents", "signed_in"):
        consultation = _with_question(make_consultation, world, participation=participation, drafters=[drafter])
        services.consultation_follow(user=world["member"], consultation=consultation)
        _answer(world["resident"], consultation)
        mine = services.opinion_submit(author=world["resident"], consultation=consultation, unit="art1", text="甲")
        theirs = services.opinion_submit(author=neighbour, consultation=consultation, unit="art2", text="乙")
        services.opinion_support(user=world["resident"], opinion=theirs)
        Opinion.objects.filter(pk=theirs.pk).update(is_hidden=True)
        people = [fresh(world[role]) for role in world.people if role != "visitor"] + [fresh(drafter), fresh(neighbour)]
        for person in people:
            facts = selectors.reader_facts(consultation.pk, person)
            name = person.display_name
            assert facts["drafter"] == selectors.is_drafter(person, consultation), name
            assert facts["enters_offline"] == holds_perm(person, "consultations.enter_offline", consultation), name
            assert facts["following"] == selectors.follows(person, consultation), name
            answered = {str(q.pk) for q in selectors.questions(consultation, person) if q.answered}
            assert facts["answered"] == answered, name
            assert facts["supported"] == {
                str(pk) for pk in consultation.opinions.filter(supports__user=person).values_list("pk", flat=True)
            }, name
            assert facts["own_private"] == (not facts["drafter"] and pages.view_of(person, consultation) is None), name
            if not facts["represents"]:
                assert facts["may_comment"] == holds_perm(person, "consultations.comment", consultation, personal=True)
            assert facts["represents"] == organisations_represented(person).exists(), name
        assert selectors.reader_facts(consultation.pk, world["resident"])["supported"] == {str(theirs.pk)}
        assert selectors.reader_facts(consultation.pk, neighbour)["own_private"]
        assert mine.pk


def test_result_pages_are_shared_by_signed_in_readers(world, make_consultation):
    consultation, _opinions = answered_consultation(world, make_consultation)
    services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    a, b = _reader(world["resident"]), _reader(world["member"])
    for name in ("consultations:consultation-comparison", "consultations:consultation-report"):
        url = reverse(name, args=[consultation.pk])
        _page(a, url)
        _page(b, reverse("civic:area-list"))
        assert len(_queries(b, url)) == 2  # the person; the page with their header
        menu = f"账户菜单： </span>{world['member'].display_name}</summary>"
        assert menu in _page(b, url) and menu not in _page(a, url)


@pytest.mark.parametrize("query", ["", "?area=7701001001", "?state=open"])
def test_the_list_is_shared_and_each_reader_is_offered_their_own_community(world, make_consultation, for_one, query):
    make_consultation()
    services.area_subscribe(user=world["resident_elsewhere"], area=world["C2"])
    url = reverse("consultations:consultation-list") + query
    readers = ["resident", "resident_elsewhere", "unverified", "member"]
    shared = {role: _page(_reader(world[role]), url) for role in readers}
    assert _shared_pages() == 1
    here, elsewhere = shared["resident"], shared["resident_elsewhere"]
    subscribe = reverse("consultations:area-subscription", args=[world["C1"].code])
    if query.startswith("?area"):  # the area chosen is offered to everyone signed in
        assert all(subscribe in page for page in shared.values())
    else:  # a resident is offered their own community
        assert subscribe in here and subscribe not in elsewhere and subscribe not in shared["unverified"]
        assert reverse("consultations:area-subscription", args=[world["C2"].code]) in elsewhere
        assert "不再通知我二社区的征求意见" in elsewhere and "不再通知我" not in here
    for page in shared.values():
        assert "<!--csrf-->" not in page and "发起征求意见" not in page
    for_one(True)
    for role in readers:
        _same(shared[role], _page(_reader(world[role]), url))
    official = _page(_reader(world["official_elsewhere"]), url)
    assert reverse("consultations:consultation-new") in official
    assert reverse("consultations:consultation-new") not in _page(_reader(world["resident"]), url)


def test_a_subscription_shows_at_once_on_the_kept_list(world, make_consultation):
    make_consultation()
    url = reverse("consultations:consultation-list")
    a, b = _reader(world["resident"]), _reader(world["member"])
    _page(b, reverse("civic:area-list"))
    _page(a, url)
    kept = _queries(b, url)
    assert len(kept) == 3, "\n".join(q[:160] for q in kept)  # the person; the page and header; the offer
    shared = _shared_pages()
    services.area_subscribe(user=world["resident"], area=world["C1"])
    assert "不再通知我一社区的征求意见" in _page(a, url)
    assert "不再通知我" not in _page(b, url)
    assert _shared_pages() == shared  # the reader's own: the shared list is kept


def test_the_offer_read_in_one_query_follows_the_verification(world):
    from civic.selectors import effective_verification

    services.area_subscribe(user=world["resident_elsewhere"], area=world["C2"])
    for role in ("resident", "resident_elsewhere", "unverified", "official_here"):
        person = fresh(world[role])
        verification = effective_verification(person)
        offered, subscribed = selectors.subscription_offer(person, None)
        assert (offered.pk if offered else None) == (verification.cell.parent_id if verification else None), role
        assert subscribed == (role == "resident_elsewhere"), role
        assert selectors.subscription_offer(person, world["C2"]) == (world["C2"], role == "resident_elsewhere")


def test_a_reader_with_an_opinion_on_a_unit_and_one_without_get_their_own_bits_of_the_shared_page(
    world, make_consultation, for_one
):
    consultation = make_consultation()
    author, neighbour, elsewhere = world["resident"], UserFactory(), world["resident_elsewhere"]
    verify(neighbour, world["c1b"])
    services.opinion_submit(author=author, consultation=consultation, unit="art2", text="第二条要写清楚。")
    url = consultation.get_absolute_url()
    readers = (author, neighbour, elsewhere)
    for _round in range(2):  # the first reading makes the shared page, the second serves it
        pages = [_page(_reader(person), url) for person in readers]
        for page in pages:  # the text, its counts and the choice of its units are everyone's
            assert 'href="opinions/?unit=art2"' in page and 'href="opinions/?unit=art1"' not in page
        for page in pages[:2]:  # both may comment: the links and the form, its units each as cited
            assert COMMENTING in page and SEND in page and VERIFY not in page
            assert '<option value="art2">　第二条</option>' in page
            assert '<option value="art2-p1-i1">　　　第二条第一款第（一）项</option>' in page
        assert COMMENTING not in pages[2] and SEND not in pages[2] and VERIFY in pages[2]
        # the author follows what they spoke on; the others are offered to follow
        assert "取消关注" in pages[0] and "取消关注" not in pages[1] and "取消关注" not in pages[2]
    assert _shared_pages() == 1
    for_one(True)
    for person, page in zip(readers, pages, strict=True):
        _same(page, _page(_reader(person), url))


def test_the_shared_page_marks_the_text_once_whatever_its_units(world, make_consultation):
    """The "Comment" links of the units are shown by one mark on the text, not one each: filling a page for a
    reader costs the same whatever the length of the draft."""
    from consultations.models import TextUnit

    key = pagecache._mark_key()

    def marks(consultation) -> int:
        PagePart.objects.all().delete()
        _page(_reader(world["resident"]), consultation.get_absolute_url())
        shared = PagePart.objects.get(sub=pagecache.SIGNED_IN_PAGE).html
        return shared.count(f"<!--r{key}:")

    short = make_consultation()
    longer = make_consultation(publish=False)
    articles = "\n".join(f"第{n}条 第{n}条的内容。" for n in range(4, 40))
    services.consultation_import_text(
        actor=world["official_here"], consultation=longer, source=f"第一章 总则\n第一条 内容。\n{articles}\n"
    )
    services.consultation_publish(actor=world["official_here"], consultation=longer)
    assert TextUnit.objects.filter(version__consultation=longer).count() > 30
    assert marks(longer) == marks(short)
