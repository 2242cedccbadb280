"""Lists counted once per version of their scopes (civic.api.pagination): the count is exact after a write
and not counted again on a read that follows no write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.models import AreaLevel, Notification
from civic.services import area_create, notify
from tests.world import fresh

pytestmark = pytest.mark.django_db


def _get(api_client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["count"], [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")
    ]


def test_a_person_s_notifications_are_counted_once_per_change(api_client, world):
    person = world["resident"]
    api_client.force_authenticate(fresh(person))
    notify(recipient=person, kind="proposal.state", title="第一条")
    count, counted = _get(api_client, "/api/notifications/")
    assert count == 1 and any("civic_notification" in sql for sql in counted)
    count, counted = _get(api_client, "/api/notifications/")
    assert count == 1 and counted == []
    notify(recipient=world["member"], kind="proposal.state", title="别人的")  # someone else's: still kept
    assert _get(api_client, "/api/notifications/")[0] == 1
    notify(recipient=person, kind="proposal.state", title="第二条")
    assert _get(api_client, "/api/notifications/")[0] == 2
    Notification.objects.filter(recipient=person).first().delete()
    assert _get(api_client, "/api/notifications/")[0] == 1 == Notification.objects.filter(recipient=person).count()


def test_the_area_list_is_counted_once_per_change_of_the_areas(api_client, world):
    count, counted = _get(api_client, "/api/areas/", level="grid")
    assert count == 3 and counted
    assert _get(api_client, "/api/areas/", level="grid") == (3, [])
    area_create(code="7701001001003", name="三网格", level=AreaLevel.GRID, parent=world["C1"])
    assert _get(api_client, "/api/areas/", level="grid")[0] == 4
    assert _get(api_client, "/api/areas/", parent=world["C1"].code)[0] == 3


def test_the_organisation_list_counts_a_hidden_organisation_out(api_client, world):
    from django.utils import timezone

    organisation = world.organisation
    organisation.confirmed_at = timezone.now()
    organisation.save()
    assert _get(api_client, "/api/organisations/")[0] == 1
    assert _get(api_client, "/api/organisations/")[1] == []
    organisation.is_hidden = True
    organisation.save()
    assert _get(api_client, "/api/organisations/")[0] == 0


def test_an_area_s_notices_count_a_new_notice_on_its_board_and_every_board_above(api_client, world):
    from datetime import timedelta

    from django.utils import timezone

    from civic.services import notice_publish

    def publish(area, title):
        return notice_publish(
            actor=fresh(world["official_here"]),
            area=world[area],
            kind="other",
            title=title,
            body="经社区议事会决定，已更换 3 号楼楼道灯。",
            decided_at=timezone.now() - timedelta(days=1),
        )

    board, below = f"/api/areas/{world['D1'].code}/notices/", f"/api/areas/{world['C1'].code}/notices/"
    publish("C1", "三号楼道灯更换完成公告")
    count, counted = _get(api_client, board)
    assert count == 1 and counted
    assert _get(api_client, board) == (1, [])  # kept
    publish("S1", "街道停车位划线公告")  # on the district's board, not on the community's
    assert _get(api_client, board)[0] == 2 and _get(api_client, below)[0] == 1
    publish("C1", "一社区议事会公告")
    assert _get(api_client, board)[0] == 3 and _get(api_client, below)[0] == 2


def test_an_organisation_s_members_are_a_page_counted_exactly_after_each_write(api_client, world):
    from civic.models import Membership
    from civic.services import organisation_request_decide, organisation_request_join

    organisation = world.organisation
    url = f"/api/organisations/{organisation.pk}/members/"
    data = api_client.get(url).json()
    before = data["count"]
    assert before == Membership.objects.filter(organisation=organisation).count() and len(data["results"]) == before
    assert _get(api_client, url) == (before, [])  # kept
    request = organisation_request_join(user=fresh(world["resident"]), organisation=organisation)
    organisation_request_decide(actor=fresh(world["representative"]), request=request, accept=True)
    assert _get(api_client, url)[0] == before + 1
    Membership.objects.get(organisation=organisation, user=world["resident"]).delete()
    assert _get(api_client, url)[0] == before
