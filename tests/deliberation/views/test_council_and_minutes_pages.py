"""The council, session and minutes pages: forms through civic.forms.submit, refusals shown on the page."""

import pytest
from django.urls import reverse

from deliberation.models import Council, Minutes, Session
from tests.deliberation.session_setup import make_council, make_session, run
from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def test_an_organiser_sets_up_a_council_and_seats_a_member(client, world):
    client.force_login(world["organiser_here"])
    url = reverse("deliberation:council-new") + f"?area={world['S1'].code}"
    refused = client.post(url, {"area": world["S1"].code, "name": "x", "preset": "nantang"})
    assert refused.status_code == 200 and "议事会需要名称。" in refused.content.decode()
    refused = client.post(url, {"area": world["S1"].code, "name": "一街道议事会", "preset": "bogus"})
    assert refused.status_code == 200 and not Council.objects.exists()
    done = client.post(url, {"area": world["S1"].code, "name": "一街道议事会", "preset": "roberts"})
    council = Council.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("deliberation:council-detail", args=[council.pk])
    assert council.preset == "roberts"

    detail = reverse("deliberation:council-detail", args=[council.pk])
    unknown = client.post(detail, {"form": "member", "email": "nobody@example.org"})
    assert unknown.status_code == 200 and "平台上没有使用该邮箱注册的用户。" in unknown.content.decode()
    person = UserFactory(display_name="新委员")
    verify(person, world["c1a"])
    seated = client.post(detail, {"form": "member", "email": person.email.upper()})
    assert seated.status_code == 302 and council.members.filter(user=person).exists()


def test_an_organiser_calls_a_session_from_the_council_page(client, world):
    council = make_council(world)
    client.force_login(world["organiser_here"])
    detail = reverse("deliberation:council-detail", args=[council.pk])
    refused = client.post(detail, {"form": "session", "title": "会议", "starts_at": "明天", "free_items": "议题"})
    assert refused.status_code == 200 and "请填写日期和时间。" in refused.content.decode()
    assert not Session.objects.exists()
    done = client.post(
        detail,
        {"form": "session", "title": "一月议事会", "starts_at": "2031-01-05T19:30", "free_items": "议题一\n\n议题二"},
    )
    session = Session.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("deliberation:session-live", args=[session.pk])
    assert [i.title for i in session.items.order_by("position")] == ["议题一", "议题二"] and not session.public


def test_the_chair_publishes_the_minutes_through_the_form(client, world):
    council = make_council(world)
    session = make_session(world, council)
    chair = fresh(world["organiser_here"])
    run(session, chair, "check_in")
    run(session, chair, "record_not_held")
    url = reverse("deliberation:session-minutes", args=[session.pk])
    client.force_login(council.people[0])
    assert client.post(url, {"summary": "会议因不足法定人数未举行。"}).status_code == 404  # not published yet
    client.force_login(chair)
    refused = client.post(url, {"summary": "短"})
    assert refused.status_code == 200 and "请为会议纪要写一段简短摘要。" in refused.content.decode()
    done = client.post(url, {"summary": "会议因不足法定人数未举行。"})
    assert done.status_code == 302 and Minutes.objects.get(session=session).summary == "会议因不足法定人数未举行。"
