"""The session pages: the agenda of an upcoming session, the projector's queue, and links to minutes only
where minutes exist."""

import re

import pytest
from django.urls import reverse

from deliberation import services
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    return make_council(world)


def _minutes_links(html, session):
    return re.findall(rf'href="{re.escape(reverse("deliberation:session-minutes", args=[session.pk]))}"', html)


def test_an_upcoming_session_shows_its_agenda(client, world, council, make_proposal):
    session = make_session(world, council, make_proposal)
    html = client.get(reverse("deliberation:session-live", args=[session.pk])).content.decode()
    agenda = html[html.index("data-agenda") : html.index("</ol>", html.index("data-agenda"))]
    assert "加装电梯的建议" in agenda and "其他事项" in agenda
    assert "30 分钟" in agenda and "10 分钟" in agenda
    proposal = session.items.get(position=0).proposal
    assert f'href="{proposal.get_absolute_url()}"' in agenda
    assert "议程" in html and "当前动议" in html


def test_the_projector_shows_the_speakers_queue(client, world, council):
    session = make_session(world, council)
    html = client.get(reverse("deliberation:session-screen", args=[session.pk])).content.decode()
    queue = re.search(r"<ol[^>]*data-queue[^>]*>", html).group(0)
    assert "hidden" not in queue
    assert "等待发言" in html and "暂无人等待发言。" in html


def test_minutes_are_linked_only_once_published(client, world, council):
    session = make_session(world, council)
    live = reverse("deliberation:session-live", args=[session.pk])
    member, chair = council.people[0], fresh(world["organiser_here"])
    client.force_login(member)
    assert _minutes_links(client.get(live).content.decode(), session) == []  # not held yet: nothing to say
    run(session, chair, "check_in")
    run(session, chair, "record_not_held")

    for url in (live, reverse("deliberation:session-list")):
        html = client.get(url).content.decode()
        assert _minutes_links(html, session) == [] and "纪要待发布" in html
    assert client.get(reverse("deliberation:session-minutes", args=[session.pk])).status_code == 404

    client.force_login(chair)  # the chair is offered to publish them
    html = client.get(live).content.decode()
    assert len(_minutes_links(html, session)) == 1 and "发布会议纪要" in html

    services.minutes_publish(actor=chair, session=session, summary="会议因不足法定人数未举行。")
    client.force_login(member)
    for url in (live, reverse("deliberation:session-list")):
        html = client.get(url).content.decode()
        assert len(_minutes_links(html, session)) == 1 and "纪要待发布" not in html
    assert client.get(reverse("deliberation:session-minutes", args=[session.pk])).status_code == 200
