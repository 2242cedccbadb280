"""The consultations API: the same services as the pages, refusals with their codes and statuses."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from consultations import pages, services
from consultations.models import Opinion, TextUnit
from tests.consultations.conftest import close

pytestmark = pytest.mark.django_db


def _as(api_client, person):
    token, _ = Token.objects.get_or_create(user=person)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def test_official_creates_previews_imports_and_publishes(api_client, world):
    client = _as(api_client, world["official_here"])
    closes = (timezone.now() + timedelta(days=10)).isoformat()
    created = client.post(
        reverse("api:consultations"),
        {"area": world["C1"].code, "title": "居民公约", "kind": "convention", "closes_at": closes},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    text_url = reverse("api:consultation-text", args=[pk])
    preview = client.post(text_url, {"source": "第一条 甲\n第三条 乙", "preview": True}, format="json").json()
    assert [u["anchor"] for u in preview["units"]] == ["art1", "art1-p1", "art3", "art3-p1"]
    assert len(preview["warnings"]) == 1
    assert not TextUnit.objects.exists()
    saved = client.post(text_url, {"source": "第一条 甲\n第二条 乙"}, format="json")
    assert saved.status_code == 201
    fixed = client.patch(
        reverse("api:consultation-unit", args=[pk, "art2-p1"]), {"kind": "paragraph", "text": "乙，修正"}, format="json"
    )
    assert fixed.json()["text"] == "乙，修正"
    published = client.post(reverse("api:consultation-publish", args=[pk]))
    assert published.status_code == 200
    assert published.json()["state"] == "open"
    assert [u["anchor"] for u in published.json()["units"]] == ["art1", "art1-p1", "art2", "art2-p1"]


def test_a_stranger_cannot_create(api_client, world):
    response = _as(api_client, world["resident"]).post(
        reverse("api:consultations"), {"area": world["C1"].code, "title": "x", "kind": "plan"}, format="json"
    )
    assert response.status_code == 403


def test_list_is_public_and_filtered(api_client, world, open_consultation, make_consultation):
    make_consultation(publish=False)
    data = api_client.get(reverse("api:consultations"), {"area": world["D1"].code}).json()
    assert [c["id"] for c in data["results"]] == [open_consultation.pk]
    assert api_client.get(reverse("api:consultations"), {"state": "draft"}).status_code == 400


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"unit": "art9", "text": "意见"}, 404, "unit_unknown"),
        ({"text": ""}, 400, None),
        ({"text": "长" * 2001}, 400, "too_long"),
        ({"text": "意见", "wording": "新表述"}, 400, "wording_without_unit"),
    ],
)
def test_bad_opinions(api_client, world, open_consultation, body, status, code):
    response = _as(api_client, world["resident"]).post(
        reverse("api:consultation-opinions", args=[open_consultation.pk]), body, format="json"
    )
    assert response.status_code == status
    assert response.json()["code"] == (code or "blank")
    assert not Opinion.objects.exists()


def test_opinion_support_and_list(api_client, world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    client = _as(api_client, world["resident"])
    created = client.post(
        reverse("api:consultation-opinions", args=[consultation.pk]),
        {"unit": "art1-p1", "text": "意见", "wording": "新表述", "as_resident": True},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["author"] == "居民"
    other = _as(api_client, world["resident_elsewhere"])
    support = reverse("api:opinion-support", args=[created.json()["id"]])
    assert other.post(support).status_code == 204
    assert other.post(support).status_code == 409
    listed = other.get(reverse("api:consultation-opinions", args=[consultation.pk]), {"unit": "art1-p1"}).json()
    assert listed["results"][0]["support_count"] == 1
    assert listed["results"][0]["supported"] is True


def test_outside_the_area_is_403_and_after_the_window_409(api_client, world, open_consultation):
    url = reverse("api:consultation-opinions", args=[open_consultation.pk])
    assert _as(api_client, world["resident_elsewhere"]).post(url, {"text": "意见"}, format="json").status_code == 403
    close(open_consultation)
    response = _as(api_client, world["resident"]).post(url, {"text": "意见"}, format="json")
    assert response.status_code == 409


def test_offline_answers_groups_and_the_close_guard(api_client, world, open_consultation):
    staff = _as(api_client, world["organiser_here"])
    symposium = staff.post(
        reverse("api:consultation-symposiums", args=[open_consultation.pk]),
        {"held_on": timezone.localdate().isoformat(), "place": "会议室", "attendance": 9},
        format="json",
    )
    assert symposium.status_code == 201
    entered = staff.post(
        reverse("api:consultation-offline", args=[open_consultation.pk]),
        {"source": "symposium", "symposium": symposium.json()["id"], "text": "座谈意见", "unit": "art2"},
        format="json",
    )
    assert entered.status_code == 201
    mine = services.opinion_submit(author=world["resident"], consultation=open_consultation, text="网上意见")
    close(open_consultation)
    official = _as(api_client, world["official_here"])
    finish = reverse("api:consultation-finish-answering", args=[open_consultation.pk])
    refused = official.post(finish)
    assert refused.status_code == 409
    assert refused.json()["code"] == "opinions_unanswered"
    assert "2" in refused.json()["detail"]
    answer = reverse("api:opinion-answer", args=[mine.pk])
    assert official.post(answer, {"classification": "adopted", "reason": "采纳"}, format="json").status_code == 200
    assert official.post(answer, {"classification": "adopted", "reason": "采纳"}, format="json").status_code == 409
    group = official.post(
        reverse("api:consultation-groups", args=[open_consultation.pk]),
        {"title": "座谈意见", "opinions": [entered.json()["id"]]},
        format="json",
    )
    assert group.status_code == 201
    answered = official.post(
        reverse("api:opinion-group-answer", args=[group.json()["id"]]),
        {"classification": "already_provided", "reason": "第二条已有规定"},
        format="json",
    )
    assert answered.status_code == 200
    assert official.post(finish).json()["state"] == "answered"
    assert (
        _as(api_client, world["resident"]).post(answer, {"classification": "adopted", "reason": "x"}).status_code == 403
    )


def test_extension_through_the_api(api_client, world, open_consultation):
    later = (open_consultation.closes_at + timedelta(days=3)).isoformat()
    url = reverse("api:consultation-extend", args=[open_consultation.pk])
    assert _as(api_client, world["resident"]).post(url, {"closes_at": later, "reason": "x"}).status_code == 403
    response = _as(api_client, world["official_here"]).post(
        url, {"closes_at": later, "reason": "应居民要求"}, format="json"
    )
    assert response.status_code == 201
    detail = api_client.get(reverse("api:consultation", args=[open_consultation.pk])).json()
    assert detail["extensions"][0]["reason"] == "应居民要求"


def test_opinions_list_queries_do_not_grow(api_client, world, make_consultation, django_assert_max_num_queries):
    consultation = make_consultation(participation="signed_in")
    unit = TextUnit.objects.get(version__consultation=consultation, anchor="art1")
    Opinion.objects.bulk_create(
        Opinion(consultation=consultation, unit=unit, author=world["resident"], text=f"意见{i}") for i in range(60)
    )
    client = _as(api_client, world["resident_elsewhere"])
    url = reverse("api:consultation-opinions", args=[consultation.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as kept:  # the count kept
        client.get(url)
    pages.bump_opinions(consultation.pk)  # what a write in bulk does (bulk_create sends no signal)
    with django_assert_max_num_queries(len(kept.captured_queries) + 2) as few:  # counted again and kept
        client.get(url)
    Opinion.objects.bulk_create(
        Opinion(consultation=consultation, author=world["member"], text=f"更多{i}", support_count=i % 50)
        for i in range(5000)
    )
    pages.bump_opinions(consultation.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        last = client.get(url, {"page": 253, "order": "support"})
    assert last.status_code == 200
    assert last.json()["count"] == 5060
    with django_assert_max_num_queries(len(kept.captured_queries)):
        assert client.get(url, {"page": 253, "order": "support"}).json()["count"] == 5060
