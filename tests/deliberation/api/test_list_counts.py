"""The API's lists of ballots, sessions and councils: the count is exact right after each write that changes
the set and is not counted again on a read that follows none (civic.api.pagination)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deliberation import services
from deliberation.models import BallotBox, Session
from tests.deliberation.session_setup import make_council, make_session
from tests.world import fresh

pytestmark = pytest.mark.django_db


def _count(api_client, url):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url)
    assert response.status_code == 200, response.content
    counted = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    return response.json()["count"], counted


def _draft(world, title="是否同意试行垃圾分类？"):
    return services.box_create(actor=fresh(world["organiser_here"]), area=world["S1"], kind="question", title=title)


def test_the_ballots_count_an_announced_box_at_once_and_a_draft_only_for_its_managers(api_client, world, pb):
    count, counted = _count(api_client, "/api/ballots/")
    assert count == BallotBox.objects.exclude(state="draft").count() == 1 and counted  # counted once…
    assert _count(api_client, "/api/ballots/") == (count, [])  # …then kept
    draft = _draft(world)
    assert _count(api_client, "/api/ballots/")[0] == count  # a draft is not listed for a visitor
    api_client.force_authenticate(fresh(world["organiser_here"]))
    assert _count(api_client, "/api/ballots/")[0] == count + 1  # its manager lists it
    api_client.force_authenticate(None)
    now = timezone.now()
    opens, closes = now + timedelta(hours=1), now + timedelta(days=3)
    services.box_schedule(actor=fresh(world["organiser_here"]), box=draft, opens_at=opens, closes_at=closes)
    assert _count(api_client, "/api/ballots/")[0] == count + 1  # announced: counted at once
    BallotBox.objects.get(pk=draft.pk).delete()
    assert _count(api_client, "/api/ballots/")[0] == count


def test_the_sessions_count_a_public_session_at_once_and_never_a_closed_one(api_client, world):
    council = make_council(world)
    assert _count(api_client, "/api/sessions/")[0] == 0
    session = make_session(world, council)
    count, counted = _count(api_client, "/api/sessions/")
    assert count == 1 and counted
    assert _count(api_client, "/api/sessions/") == (1, [])  # kept
    make_session(world, council, public=False)
    assert _count(api_client, "/api/sessions/")[0] == 1
    Session.objects.filter(pk=session.pk).first().delete()
    assert _count(api_client, "/api/sessions/")[0] == 0


def test_the_councils_count_a_new_council_at_once(api_client, world):
    assert _count(api_client, "/api/councils/")[0] == 0
    make_council(world)
    count, counted = _count(api_client, "/api/councils/")
    assert count == 1 and counted
    assert _count(api_client, "/api/councils/") == (1, [])
    services.council_create(actor=fresh(world["organiser_here"]), area=world["S1"], name="一街道青年议事会")
    assert _count(api_client, "/api/councils/")[0] == 2
