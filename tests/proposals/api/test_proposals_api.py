import pytest

from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(fresh(user))
    return api_client


def test_create_publish_endorse_comment_answer_through_the_api(api_client, pworld):
    client = as_user(api_client, pworld["resident"])
    created = client.post(
        "/api/proposals/",
        {
            "title": "楼道灯长期不亮",
            "body": "3 栋楼道灯坏了两个月。",
            "category": pworld.category.pk,
            "area": pworld["C1"].code,
            "estimated_cost": "4800.00",
            "publish": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "published" and body["threshold"] == 3 and body["estimated_cost"] == "4800.00"
    pk = body["id"]

    neighbour = UserFactory()
    verify(neighbour, pworld["c1b"])
    client = as_user(api_client, neighbour)
    assert client.post(f"/api/proposals/{pk}/endorsement/").json() == {"endorsement_count": 1, "state": "published"}
    again = client.post(f"/api/proposals/{pk}/endorsement/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409 and again.json()["detail"] == "You have already co-signed this proposal."
    outsider = as_user(api_client, pworld["resident_elsewhere"]).post(f"/api/proposals/{pk}/endorsement/")
    assert outsider.status_code == 403 and outsider.json()["code"] == "not_eligible"

    comment = as_user(api_client, pworld["member"]).post(
        f"/api/proposals/{pk}/comments/", {"body": "支持", "stance": "for"}, format="json"
    )
    assert comment.status_code == 201
    api_client.force_authenticate(None)
    assert [c["stance"] for c in api_client.get(f"/api/proposals/{pk}/comments/").json()["results"]] == ["for"]

    denied = as_user(api_client, pworld["official_elsewhere"]).post(
        f"/api/proposals/{pk}/answers/", {"status": "accepted", "reason": "同意提交议事"}, format="json"
    )
    assert denied.status_code == 403
    answer = as_user(api_client, pworld["official_here"]).post(
        f"/api/proposals/{pk}/answers/", {"status": "accepted", "reason": "同意提交议事"}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["on_time"] is True


def test_bad_input_gets_codes_not_500s(api_client, pworld):
    client = as_user(api_client, pworld["resident"])
    response = client.post(
        "/api/proposals/",
        {"title": "灯", "body": "太短了太短了太短了", "category": pworld.category.pk, "area": pworld["C1"].code},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "title_too_short"
    response = client.post(
        "/api/proposals/",
        {"title": "一个标题", "body": "内容内容内容内容内容", "category": pworld.category.pk, "area": "nowhere"},
        format="json",
    )
    assert response.status_code == 404 and response.json()["field"] == "area"
    assert api_client.get("/api/proposals/", {"sort": "random"}).status_code == 400
    assert api_client.get("/api/proposals/", {"state": "flying"}).status_code == 400
    assert api_client.get("/api/proposals/", {"category": "x"}).status_code == 400


def test_drafts_are_private(api_client, make_proposal, pworld):
    draft = make_proposal(publish=False)
    api_client.force_authenticate(None)
    assert api_client.get(f"/api/proposals/{draft.pk}/").status_code == 404
    assert as_user(api_client, pworld["resident"]).get(f"/api/proposals/{draft.pk}/").status_code == 200
    assert draft.pk not in [p["id"] for p in api_client.get("/api/proposals/").json()["results"]]


def test_list_api_filters_and_searches(api_client, make_proposal, pworld):
    make_proposal(title="增设 LED 路灯")
    make_proposal(title="口袋公园补种绿植")
    found = api_client.get("/api/proposals/", {"q": "路灯", "area": pworld["S1"].code}).json()["results"]
    assert [p["title"] for p in found] == ["增设 LED 路灯"]
    assert api_client.get("/api/proposals/", {"area": pworld["C2"].code}).json()["count"] == 0
    similar = api_client.get("/api/proposals/similar/", {"title": "路灯坏了", "area": pworld["C1"].code}).json()
    assert [p["title"] for p in similar] == ["增设 LED 路灯"]
