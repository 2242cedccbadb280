"""The ballots list and a ballot's page are one rendering for every signed-in reader (civic.pagecache.whole_page):
whether the reader has voted and may vote are marks decided per request from their own facts (one query), so
each reader sees their own vote form or "you have voted" and never another's; the people who prepare votes get
their pages rendered for them; a vote shows at once; a kept page costs three queries however many ballots."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from civic import pagecache
from civic.models import PagePart
from civic.selectors import is_eligible
from deliberation import selectors, services
from deliberation.models import Participation
from tests.factories import UserFactory
from tests.pages import reader_client as _reader
from tests.pages import reader_page as _page
from tests.pages import reader_queries as _queries
from tests.pages import shared_pages as _shared_pages
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
VOTED = "您已投票。"
FORM = "核对我的选票"
RECEIPT = "您的回执码（修改无记名选票时需要）"
ASK = "申请居住核验"


def test_each_reader_sees_their_own_vote_form_on_the_one_shared_page(world, pb):
    voter, neighbour, elsewhere = world["resident"], world["member"], world["resident_elsewhere"]
    url = pb.get_absolute_url()
    a, b, c = _reader(voter), _reader(neighbour), _reader(elsewhere)
    services.vote_cast(user=fresh(voter), box=pb, choices=["3"])
    for _round in range(2):  # the first reading makes the shared page, the second serves it
        page_a, page_b, page_c = _page(a, url), _page(b, url), _page(c, url)
        # the voter: "you have voted", and the form to change a secret ballot with its receipt code
        assert VOTED in page_a and FORM in page_a and RECEIPT in page_a and ASK not in page_a
        # not a resident of the street: told how to become one, no form
        for page in (page_b, page_c):
            assert ASK in page and FORM not in page and VOTED not in page and RECEIPT not in page
        for page in (page_a, page_b, page_c):
            assert "管理本次投票" not in page
    assert _shared_pages() == 1  # one rendering for the three of them
    # a resident who has not voted: the form, without the receipt code
    verify(neighbour, world["c1b"])
    page_b = _page(b, url)
    assert FORM in page_b and VOTED not in page_b and RECEIPT not in page_b and ASK not in page_b


def test_a_ballot_that_cannot_be_changed_shows_no_form_once_cast(world):
    box = services.box_create(
        actor=fresh(world["organiser_here"]),
        area=world["S1"],
        kind="question",
        title="是否加装路灯",
        allow_change=False,
    )
    now = timezone.now()
    box = services.box_schedule(
        actor=fresh(world["organiser_here"]),
        box=box,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    url = box.get_absolute_url()
    voter = world["resident"]
    a = _reader(voter)
    assert FORM in _page(a, url) and VOTED not in _page(a, url)
    services.vote_cast(user=fresh(voter), box=box, choices=["yes"])
    page = _page(a, url)  # at once: the reader's own facts are read on every reading
    assert VOTED in page and FORM not in page


def test_both_ways_give_the_same_page(world, pb, monkeypatch):
    """The shared rendering decided for a reader is the page rendered for them alone (CSRF tokens aside)."""
    services.vote_cast(user=fresh(world["resident"]), box=pb, choices=["1"])
    url = pb.get_absolute_url()
    for person in ("resident", "member", "resident_elsewhere"):
        client = _reader(world[person])
        _page(client, "/")  # their header kept
        shared = CSRF.sub("", _page(client, url))
        with monkeypatch.context() as patched:
            patched.setattr(pagecache, "_whole_signed_in", lambda request: None)  # rendered for them alone
            alone = CSRF.sub("", _page(client, url))
        assert shared == alone, person


def test_the_people_who_prepare_votes_get_their_own_pages(world, pb):
    url = pb.get_absolute_url()
    _page(_reader(world["resident"]), url)
    _page(_reader(world["resident"]), "/ballots/")
    before = _shared_pages()
    for person in ("organiser_here", "official_here", "admin"):
        page = _page(_reader(world[person]), url)
        assert "管理本次投票" in page, person
        assert "发起投票" in _page(_reader(world[person]), "/ballots/"), person
    assert _shared_pages() == before  # nothing of theirs kept for the others
    for person in ("resident", "member"):
        assert "管理本次投票" not in _page(_reader(world[person]), url)
        assert "发起投票" not in _page(_reader(world[person]), "/ballots/")


def test_a_draft_is_never_shared(world):
    box = services.box_create(actor=fresh(world["organiser_here"]), area=world["S1"], kind="question", title="草稿投票")
    organiser = _reader(world["organiser_here"])
    assert "草稿投票" in _page(organiser, box.get_absolute_url())
    assert "草稿投票" in _page(organiser, "/ballots/")
    assert _reader(world["resident"]).get(box.get_absolute_url()).status_code == 404
    assert "草稿投票" not in _page(_reader(world["resident"]), "/ballots/")
    assert _shared_pages() == 0 or "草稿投票" not in "".join(
        PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).values_list("html", flat=True)
    )


def test_a_vote_shows_at_once_to_every_signed_in_reader(world, pb):
    url = pb.get_absolute_url()
    a, b = _reader(world["resident"]), _reader(world["member"])
    assert "<strong>0</strong>" in _page(a, url) and "<strong>0</strong>" in _page(b, url)
    second = _queries(b, url)
    services.vote_cast(user=fresh(world["resident"]), box=pb, choices=["2"])
    assert "<strong>1</strong>" in _page(b, url)
    page_a = _page(a, url)
    assert "<strong>1</strong>" in page_a and VOTED in page_a
    assert len(_queries(b, url)) == len(second)  # kept again after the rendering the vote caused
    # a write elsewhere (another box) leaves this page kept
    other = services.box_create(
        actor=fresh(world["organiser_here"]), area=world["S1"], kind="question", title="另一个投票事项"
    )
    assert other.pk != pb.pk
    assert not any("INSERT INTO civic_pagepart" in q for q in _queries(b, url))


@pytest.mark.parametrize("url", ["/ballots/", "ballot"])
def test_a_kept_page_costs_the_same_few_queries_however_many_ballots(world, pb, url):
    # a box's page: the person; the versions, the shared page, the reader's header and facts in one query
    expected = 2 if url == "ballot" else 3
    url = pb.get_absolute_url() if url == "ballot" else url
    a = _reader(world["resident"])
    _page(a, url)
    few = _queries(a, url)
    for _n in range(6):
        voter = UserFactory()
        verify(voter, world["c1a"])
        services.vote_cast(user=voter, box=pb, choices=["3"])
    _page(a, url)  # rendered afresh after the votes
    many = _queries(a, url)
    assert len(few) == len(many) == expected, "\n".join(q[:160] for q in many)
    assert not any("pagepart" in q.lower() and "insert" in q.lower() for q in many)


def test_the_facts_read_in_one_query_follow_the_models_rules(world, pb):
    services.vote_cast(user=fresh(world["resident"]), box=pb, choices=["1"])
    for role in (
        "resident",
        "member",
        "resident_elsewhere",
        "organiser_here",
        "official_city",
        "admin",
        "moderator_here",
    ):
        person = fresh(world[role])
        facts = selectors.ballot_reader_facts(pb.pk, person)
        # the same facts when read in the page's own query (pagecache.Part's reader_rows)
        _versions, kept = pagecache._load(["ballot:0"], "page", reader=selectors.ballot_reader_query(pb.pk, person.pk))
        together = selectors.ballot_reader_facts(pb.pk, person, kept[pagecache.READER_ROWS])
        assert (together["voted"], together["manages"]) == (facts["voted"], facts["manages"]), role
        for path in (pb.area.path, world["S2"].path):
            assert together["eligible_in"](path) == facts["eligible_in"](path), role
        assert facts["voted"] == Participation.objects.filter(box=pb, user=person).exists(), role
        assert facts["eligible_in"](pb.area.path) == is_eligible(person, pb.area), role
        assert facts["eligible_in"](world["S2"].path) == is_eligible(fresh(person), world["S2"]), role
        assert facts["manages"] == fresh(person).has_perm("deliberation.prepare_box"), role


def test_a_councils_page_is_one_rendering_for_residents_and_its_organisers_get_theirs(world):
    from django.urls import reverse

    from tests.deliberation.session_setup import make_council, make_session

    council = make_council(world)
    make_session(world, council)
    url = reverse("deliberation:council-detail", args=[council.pk])
    agenda = reverse("deliberation:session-agenda", args=[council.sessions.get().pk])
    a, b = _reader(world["resident"]), _reader(world["member"])
    _page(a, url)
    assert _shared_pages() == 1
    _page(b, "/")  # b's header kept (home is shared too)
    shared = _shared_pages()
    assert len(_queries(b, url)) <= 3  # the person, the page with their header; no rendering
    assert _shared_pages() == shared
    for who in ("organiser_here", "admin"):
        assert agenda in _page(_reader(world[who]), url), who
    assert _shared_pages() == shared and agenda not in _page(a, url)
