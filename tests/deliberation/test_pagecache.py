"""The deliberation pages on the exact page cache (civic.pagecache, deliberation.pages): the ballot list, a
ballot's page and results, the sessions list, a council's page and published minutes show every write at
once, are kept while nothing they show changes, change with the clock where a box opens or closes, never
serve a draft or unpublished thing to someone who may not see it, and cost the same queries however many
rows there are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civic import pagecache
from deliberation import services
from deliberation.models import BallotBox
from tests.deliberation.rules.boxes import box_in
from tests.deliberation.session_setup import make_council, make_session, run
from tests.factories import UserFactory
from tests.pages import page_queries, page_text
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db

BALLOTS = reverse("deliberation:ballot-list")
SESSIONS = reverse("deliberation:session-list")


def _voter(world):
    person = UserFactory()
    verify(person, world["c1a"])
    return person


def _announced(world, title, *, opens_in=timedelta(minutes=-1), closes_in=timedelta(days=7)):
    box = services.box_create(actor=fresh(world["organiser_here"]), area=world["S1"], kind="question", title=title)
    now = timezone.now()
    BallotBox.objects.filter(pk=box.pk).update(opens_at=now + opens_in, closes_at=now + closes_in, state="scheduled")
    pagecache.bump(f"ballot:{box.pk}", "ballots:*", "ballots:7701001")  # stands for a box scheduled so
    return BallotBox.objects.get(pk=box.pk)


def test_each_page_read_twice_without_a_write_is_kept(client, world, pb):
    council = make_council(world)
    session = make_session(world, council)
    chair = fresh(world["organiser_here"])
    run(session, chair, "check_in")
    run(session, chair, "record_not_held")
    services.minutes_publish(actor=chair, session=session, summary="会议因不足法定人数未举行。")
    for url in [
        BALLOTS,
        reverse("deliberation:ballot-detail", args=[pb.pk]),
        reverse("deliberation:ballot-results", args=[pb.pk]),
        SESSIONS,
        reverse("deliberation:session-minutes", args=[session.pk]),
    ]:
        first = page_queries(client, url)
        assert page_queries(client, url) < first, url
        assert page_queries(client, url) == 1, url  # a visitor's kept page: one query for versions and page
    client.force_login(world["resident"])
    url = reverse("deliberation:council-detail", args=[council.pk])
    first = page_queries(client, url)
    assert page_queries(client, url) < first


def test_a_ballot_page_shows_each_ballot_at_once_and_the_lists_stay_kept(client, world, pb):
    page = reverse("deliberation:ballot-detail", args=[pb.pk])
    assert "<strong>0</strong>" in page_text(client, page)
    page_text(client, BALLOTS)
    kept_list = page_queries(client, BALLOTS)
    services.vote_cast(user=_voter(world), box=pb, choices=["1"])
    assert "<strong>1</strong>" in page_text(client, page)
    services.vote_cast(user=_voter(world), box=pb, choices=["2", "3"])
    assert "<strong>2</strong>" in page_text(client, page)
    # The list shows no running count of an open vote: an online ballot leaves it kept.
    assert page_queries(client, BALLOTS) == kept_list


def test_a_signed_in_voter_gets_the_shared_head_and_their_own_form(client, world, pb):
    page = reverse("deliberation:ballot-detail", args=[pb.pk])
    page_text(client, page)  # a visitor's reading keeps the page
    client.force_login(world["resident"])
    body = page_text(client, page)
    assert "一街道微项目预算" in body and "csrfmiddlewaretoken" in body and 'name="choice"' in body
    services.vote_cast(user=fresh(world["resident"]), box=pb, choices=["1"])
    body = page_text(client, page)
    assert "<strong>1</strong>" in body and "您已投票" in body
    client.logout()
    body = page_text(client, page)
    assert "<strong>1</strong>" in body and "您已投票" not in body and 'name="choice"' not in body


def test_the_list_shows_an_announced_box_a_count_and_paper_ballots_at_once(client, world, pb):
    assert "准备中的表决" not in page_text(client, BALLOTS)
    box = services.box_create(
        actor=fresh(world["organiser_here"]), area=world["S1"], kind="question", title="准备中的表决"
    )
    assert "准备中的表决" not in page_text(client, BALLOTS)  # a draft: not for visitors
    assert client.get(box.get_absolute_url()).status_code == 404
    now = timezone.now()
    services.box_schedule(
        actor=fresh(world["organiser_here"]), box=box, opens_at=now, closes_at=now + timedelta(days=1)
    )
    assert "准备中的表决" in page_text(client, BALLOTS)
    assert "准备中的表决" in page_text(client, BALLOTS, area=world["S1"].code)  # an area's list: its own version
    assert "准备中的表决" not in page_text(client, BALLOTS, area=world["S2"].code)

    services.vote_cast(user=_voter(world), box=pb, choices=["1"])
    services.paper_batch_enter(
        actor=fresh(world["organiser_here"]), box=pb, label="一号点", voters=[_voter(world)], ballots=[["2"]]
    )
    results = reverse("deliberation:ballot-results", args=[pb.pk])
    assert "<strong>2</strong>" in page_text(client, results)  # pending: the number cast so far
    services.box_close_now(actor=fresh(world["organiser_here"]), box=pb)
    body = page_text(client, BALLOTS)
    assert "2 张选票" in body  # a closed vote's card counts its ballots
    assert "乙项目" in page_text(client, results) and "计票" in page_text(client, results)


def test_a_manager_sees_drafts_in_the_list_and_a_visitor_never_gets_their_list(client, world):
    draft = box_in(world["S1"], state="draft")
    draft.title = "准备中的投票"
    draft.save(update_fields=["title"])
    client.force_login(world["organiser_here"])
    assert "准备中的投票" in page_text(client, BALLOTS)
    assert "准备中的投票" in page_text(client, BALLOTS)  # read twice: their list is their own, never kept
    client.logout()
    assert "准备中的投票" not in page_text(client, BALLOTS)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("deliberation:ballot-results", args=[draft.pk])).status_code == 404


def test_a_box_opening_and_closing_at_its_time_is_shown_without_a_write(client, world, monkeypatch):
    box = _announced(world, "是否同意夜间开放球场", opens_in=timedelta(seconds=30), closes_in=timedelta(seconds=90))
    page = box.get_absolute_url()
    assert "phase-upcoming" in page_text(client, page) and "phase-upcoming" in page_text(client, BALLOTS)
    assert page_queries(client, page) == 1  # kept until it opens
    opened = timezone.now() + timedelta(seconds=31)
    monkeypatch.setattr(timezone, "now", lambda: opened)
    monkeypatch.setattr(pagecache.time, "time", lambda: opened.timestamp())
    assert "phase-open" in page_text(client, page) and "phase-open" in page_text(client, BALLOTS)
    closed = opened + timedelta(seconds=60)
    monkeypatch.setattr(timezone, "now", lambda: closed)
    monkeypatch.setattr(pagecache.time, "time", lambda: closed.timestamp())
    assert "phase-closed" in page_text(client, page) and "phase-closed" in page_text(client, BALLOTS)


def test_the_ballot_list_costs_the_same_queries_whatever_the_number_of_boxes(client, world):
    def rendered():
        pagecache.bump("ballots:*")  # a rendering, not the kept page
        return page_queries(client, BALLOTS)

    _announced(world, "第一次表决")
    few = rendered()
    for i in range(30):
        _announced(world, f"第{i}号表决")
    assert rendered() == few
    assert "第29号表决" in page_text(client, BALLOTS) and "下一页" in page_text(client, BALLOTS)


def test_the_sessions_list_shows_a_new_session_a_phase_and_minutes_at_once(client, world):
    council = make_council(world)
    assert "十二月议事会" not in page_text(client, SESSIONS)
    session = make_session(world, council)
    assert "十二月议事会" in page_text(client, SESSIONS)
    kept = page_queries(client, SESSIONS)
    chair = fresh(world["organiser_here"])
    run(session, chair, "check_in")  # a step of the live meeting: nothing the list shows
    assert page_queries(client, SESSIONS) == kept
    run(session, chair, "record_not_held")
    body = page_text(client, SESSIONS)
    assert "未召开（未达法定人数）" in body and "data-minutes-pending" in body
    services.minutes_publish(actor=chair, session=session, summary="会议因不足法定人数未举行。")
    body = page_text(client, SESSIONS)
    assert "data-minutes-pending" not in body and reverse("deliberation:session-minutes", args=[session.pk]) in body


def test_a_session_closed_to_the_public_is_not_on_the_list(client, world):
    council = make_council(world)
    make_session(world, council, public=False)
    assert "十二月议事会" not in page_text(client, SESSIONS)


def test_minutes_are_kept_only_once_published_and_show_a_new_name(client, world):
    council = make_council(world)
    session = make_session(world, council)
    chair = fresh(world["organiser_here"])
    run(session, chair, "check_in")
    run(session, chair, "record_not_held")
    url = reverse("deliberation:session-minutes", args=[session.pk])
    assert client.get(url).status_code == 404  # a draft: the chair's and organisers' only
    client.force_login(chair)
    assert "尚未公布" in page_text(client, url)
    client.logout()
    assert client.get(url).status_code == 404  # the chair's reading kept nothing for visitors
    services.minutes_publish(actor=chair, session=session, summary="会议因不足法定人数未举行。")
    assert "会议因不足法定人数未举行。" in page_text(client, url)
    chair.display_name = "改名后的主持人"
    chair.save()
    assert "改名后的主持人" in page_text(client, url)


def test_a_council_page_shows_a_new_member_and_a_new_session_at_once(client, world):
    council = make_council(world)
    url = reverse("deliberation:council-detail", args=[council.pk])
    client.force_login(world["resident"])
    assert "新来的委员" not in page_text(client, url)
    person = UserFactory(display_name="新来的委员")
    verify(person, world["c1a"])
    services.council_member_add(actor=fresh(world["organiser_here"]), council=council, user=person)
    assert "新来的委员" in page_text(client, url)
    make_session(world, council)
    assert "十二月议事会" in page_text(client, url)
    # the organiser's own list links each session's agenda: never the residents' kept one
    client.force_login(world["organiser_here"])
    assert reverse("deliberation:session-agenda", args=[council.sessions.get().pk]) in page_text(client, url)
    client.force_login(world["resident"])
    assert "议程顺序" not in page_text(client, url) and "session-agenda" not in page_text(client, url)


def test_the_sessions_list_costs_the_same_queries_whatever_the_number_of_sessions(client, world):
    council = make_council(world)

    def rendered():
        pagecache.bump("sessions")  # a rendering, not the kept page
        return page_queries(client, SESSIONS)

    make_session(world, council)
    few = rendered()
    for _ in range(35):
        make_session(world, council)
    assert rendered() == few
    assert "下一页" in page_text(client, SESSIONS)
