"""The API's lists of consultations and of a consultation's opinions: the count is exact right after each
write that changes the set (published, given, hidden) and is not counted again on a read that follows none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civic.services import content_report, moderation_decide
from consultations import services
from consultations.models import Opinion

pytestmark = pytest.mark.django_db


def _count(api_client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, params)
    assert response.status_code == 200, response.content
    counted = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    return response.json()["count"], counted


def test_the_consultations_count_one_once_published(api_client, world, make_consultation):
    url = "/api/consultations/"
    make_consultation()
    count, counted = _count(api_client, url)
    assert count == 1 and counted
    assert _count(api_client, url) == (1, [])  # kept
    assert (
        _count(api_client, url, area=world["C1"].code)[0] == 1
        and _count(api_client, url, area=world["C2"].code)[0] == 0
    )
    draft = make_consultation(publish=False, title="二社区停车管理办法（征求意见稿）")
    assert _count(api_client, url)[0] == 1  # a draft is not listed
    services.consultation_publish(actor=world["official_here"], consultation=draft)
    assert _count(api_client, url)[0] == 2 and _count(api_client, url, area=world["C1"].code)[0] == 2
    assert _count(api_client, url, state="open")[0] == 2


def test_the_opinions_count_one_given_and_hidden_at_once(api_client, world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    url = reverse("api:consultation-opinions", args=[consultation.pk])
    first = services.opinion_submit(author=world["resident"], consultation=consultation, text="建议增加停车位")
    count, counted = _count(api_client, url)
    assert count == 1 and counted
    assert _count(api_client, url) == (1, [])  # kept
    second = services.opinion_submit(author=world["member"], consultation=consultation, text="这是广告")
    assert _count(api_client, url)[0] == 2
    case = content_report(reporter=world["resident"], obj=second, reason="spam", text="广告").case
    moderation_decide(actor=world["moderator_here"], case=case, hide=True, reason="广告内容")
    assert _count(api_client, url)[0] == 1  # hidden: not counted for a visitor…
    api_client.force_authenticate(world["member"])
    assert _count(api_client, url)[0] == 2  # …its author still reads it
    api_client.force_authenticate(None)
    Opinion.objects.get(pk=first.pk).delete()
    assert _count(api_client, url)[0] == 0
