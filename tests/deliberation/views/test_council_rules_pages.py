"""The council's rules of order on its settings page and in the admin, the agenda's order on its page and
when a session is called, and the minutes in Chinese and English."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from deliberation import procedure
from deliberation.models import MotionKind, Session, VoteThreshold
from proposals.models import Proposal
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after(settings):
    """A page asked for in English leaves English active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def council(world):
    return make_council(world)


def _rules_form(**changes):
    data = {
        "preset": "nantang",
        "chair_mode": "casting",
        "quorum_kind": "majority",
        "quorum_value": "",
        "speech_seconds": "120",
        "speeches_per_member": "2",
        "amendment_depth": "2",
        "alternate_sides": "on",
        "first_time_first": "on",
        "seconds_required": "on",
        **{f"threshold_{kind}": "majority_cast" for kind in MotionKind.values},
        "threshold_previous_question": "two_thirds_cast",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_labels_name_every_code_of_the_engine():
    assert set(VoteThreshold.values) == set(procedure.Threshold)
    assert set(MotionKind.values) == set(procedure.MotionKind)


def test_the_organiser_sets_the_councils_rules_on_its_settings_page(client, world, council):
    url = reverse("deliberation:council-rules", args=[council.pk])
    client.force_login(council.people[0])
    assert client.get(url).status_code == 403
    client.force_login(world["organiser_here"])
    page = client.get(url).content.decode()
    assert "议事规则" in page and "非成员：不计入法定人数，不参加表决" in page
    assert "赞成票过全体成员的半数" in page  # every threshold offered, in words

    refused = client.post(url, _rules_form(quorum_kind="share", quorum_value="3/2"))
    assert refused.status_code == 400
    assert "按比例计的法定人数须是大于 0、不超过 1 的分数，例如 2/3。" in refused.content.decode()
    client.cookies["lang"] = "en"
    refused = client.post(url, _rules_form(speech_seconds="5"))
    client.cookies["lang"] = "zh-hans"
    assert "the length of a speech must be a whole number from 10 to 3600." in refused.content.decode()
    council.refresh_from_db()
    assert council.overrides == {}

    done = client.post(
        url,
        _rules_form(
            chair_mode="outside",
            quorum_kind="share",
            quorum_value="2/3",
            threshold_main="two_thirds_present",
            secret_votes="on",
        ),
    )
    assert done.status_code == 302
    council.refresh_from_db()
    rules = procedure.rules_from_preset(council.preset, council.overrides)
    assert rules.chair_mode == "outside" and rules.quorum(6) == 4 and rules.secret_votes
    assert rules.threshold("main") == "two_thirds_present" and rules.threshold("previous_question") == "two_thirds_cast"
    again = client.get(url).content.decode()  # the page shows what was saved
    assert re.search(r'value="outside"[^>]*checked', again) and 'value="2/3"' in again


def test_councils_adjust_their_rules_in_the_admin_through_the_same_check(client, world, council):
    client.force_login(world["admin"])
    url = f"/admin/deliberation/council/{council.pk}/change/"
    data = {"name": council.name, "area": council.area.pk, "preset": "nantang"}
    bad = client.post(url, {**data, "overrides": '{"speech_minutes": 3}'})
    assert "未知的设置：speech_minutes。" in bad.content.decode()
    bad = client.post(url, {**data, "overrides": '{"thresholds": {"main": "most"}}'})
    assert "未知的通过标准：most。" in bad.content.decode()
    council.refresh_from_db()
    assert council.overrides == {}
    client.post(
        url,
        {
            **data,
            "overrides": '{"speech_seconds": 180, "quorum_kind": "share", "quorum_value": "2/3", '
            '"chair_mode": "member", "thresholds": {"adjourn": "majority_members"}}',
        },
    )
    council.refresh_from_db()
    rules = procedure.rules_from_preset(council.preset, council.overrides)
    assert rules.speech_seconds == 180 and rules.quorum(6) == 4
    assert rules.chair_mode == "member" and rules.threshold("adjourn") == "majority_members"


def test_the_organiser_numbers_the_proposals_when_calling_a_session(client, world, council, make_proposal):
    first = make_proposal(title="先发表的建议")
    second = make_proposal(title="后发表的建议")
    Proposal.objects.filter(pk__in=[first.pk, second.pk]).update(state="qualified")
    client.force_login(world["organiser_here"])
    detail = reverse("deliberation:council-detail", args=[council.pk])
    page = client.get(detail).content.decode()
    assert f'name="place_{first.pk}"' in page and 'type="number"' in page
    done = client.post(
        detail,
        {
            "form": "session",
            "title": "一月议事会",
            "starts_at": "2031-01-05T19:30",
            "proposal": [first.pk, second.pk],
            f"place_{first.pk}": "2",
            f"place_{second.pk}": "1",
            "free_items": "其他事项",
        },
    )
    assert done.status_code == 302
    session = Session.objects.get()
    assert [i.title for i in session.items.order_by("position")] == ["后发表的建议", "先发表的建议", "其他事项"]
    assert procedure.state_from_json(session.state).items == ("后发表的建议", "先发表的建议", "其他事项")


def test_the_organiser_reorders_the_agenda_with_numbers_until_the_session_opens(client, world, council):
    session = make_session(world, council)
    from deliberation import services

    services.session_agenda_order(actor=fresh(world["organiser_here"]), session=session, order=[session.items.get().pk])
    item = session.items.get()
    more = session.items.create(position=1, title="第二项", planned_minutes=10)
    Session.objects.filter(pk=session.pk).update(
        state={**session.state, "items": [item.title, more.title]}  # a second item, as if scheduled with two
    )
    url = reverse("deliberation:session-agenda", args=[session.pk])
    client.force_login(council.people[0])
    assert client.get(url).status_code == 403
    client.force_login(world["organiser_here"])
    page = client.get(url).content.decode()
    assert f'name="place_{item.pk}"' in page and 'type="number"' in page
    assert client.post(url, {f"place_{item.pk}": "", f"place_{more.pk}": "1"}).status_code == 400
    done = client.post(url, {f"place_{item.pk}": "2", f"place_{more.pk}": "1"})
    assert done.status_code == 302
    assert [i.title for i in session.items.order_by("position")] == ["第二项", "其他事项"]
    live = client.get(reverse("api:session-state", args=[session.pk])).json()  # what the live screens draw
    assert live["items"] == ["第二项", "其他事项"]
    chair = fresh(world["organiser_here"])
    for person in (chair, *council.people[:3]):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    fixed = client.post(url, {f"place_{item.pk}": "1", f"place_{more.pk}": "2"})
    assert fixed.status_code == 409 and "会议已经开始，议程不能再调整。" in fixed.content.decode()


class Clock:
    """The server's clock for the services, set by the test."""

    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now


def _held_session(world, council, monkeypatch):
    """A session with a check-out and a return, an interrupted speech, and two votes."""
    clock = Clock()
    monkeypatch.setattr("deliberation.services.sessions.time", clock)
    chair, (a, b, c, d, e) = fresh(world["organiser_here"]), council.people
    session = make_session(world, council)
    for person in (chair, a, b, c, d, e):
        run(session, person, "check_in")
    run(session, e, "check_out")
    run(session, e, "check_in")
    run(session, d, "check_out")
    run(session, d, "check_in")
    run(session, d, "check_out")
    run(session, chair, "open_session")
    run(session, a, "make_motion", kind="main", text="同意加装电梯")
    run(session, b, "second")
    run(session, c, "request_floor", side="against")
    run(session, chair, "grant_floor")
    clock.now += 30
    run(session, a, "point_of_order", text="发言偏离议题")
    run(session, chair, "grant_floor")
    clock.now += 10
    run(session, chair, "rule_on_point", upheld=False)
    clock.now += 61
    run(session, c, "yield_floor")
    run(session, b, "make_motion", kind="refer")
    run(session, a, "second")
    run(session, chair, "open_vote")
    for person in (a, b, c):
        run(session, person, "cast_vote", choice="no")
    run(session, chair, "close_vote")
    run(session, chair, "announce")
    run(session, chair, "open_vote")
    for person, choice in ((a, "yes"), (b, "yes"), (c, "abstain"), (e, "no")):
        run(session, person, "cast_vote", choice=choice)
    run(session, chair, "close_vote")
    run(session, chair, "announce")
    run(session, chair, "close_session")
    return session


def test_the_minutes_count_each_person_once_and_name_sides_kinds_and_thresholds(client, world, council, monkeypatch):
    session = _held_session(world, council, monkeypatch)
    client.force_login(world["organiser_here"])
    url = reverse("deliberation:session-minutes", args=[session.pk])
    zh = client.get(url).content.decode()
    # six members (five seats and the chair); six came, d left for good: five at the end
    assert "6 名成员中有 6 人出席，散会时 5 人在场。" in zh
    assert zh.count("委员3") == 1 and '<li>委员3 <span class="muted">（中途离场）</span></li>' in zh
    assert "（反对）" in zh and "against" not in zh and ">main<" not in zh
    assert '<span class="badge">动议</span>' in zh and '<span class="badge">交付研究</span>' in zh
    assert "通过标准：赞成票过投票数的半数（弃权不计）（出席成员 5 人）" in zh
    assert "委员2 发言（反对），1 分 31 秒 （因程序问题中断后继续）" in zh  # 30 s, the point, then 61 s: one speech
    assert zh.count("发言（反对）") == 1
    client.cookies["lang"] = "en"
    en = client.get(url).content.decode()
    assert "6 of 6 members attended; 5 were present at the end." in en
    assert "(left before the end)" in en and "委员2 spoke (against), 1 min 31 s" in en
    assert "needed: a majority of the votes cast (abstentions not counted) (5 members present)" in en
    assert '<span class="badge">refer</span>' in en
