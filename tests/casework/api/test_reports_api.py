"""The casework API: filing with photos, the loop through its routes, refusals with stable codes, and the
public answer that never names the reporter."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Report, ReportPhoto
from tests.casework.conftest import photo
from tests.schema_truth import assert_answer_matches_schema

pytestmark = pytest.mark.django_db


def as_(api_client, person):
    api_client.force_authenticate(person)
    return api_client


def file_via_api(client, **changes):
    body = {"cell": "7701001001001", "category": "lamp", "place": "3 栋门口", "text": "路灯不亮", **changes}
    return client.post("/api/casework/reports/", body, format="multipart")


def test_filing_with_a_photo_and_the_public_answer(api_client, cw):
    response = file_via_api(
        as_(api_client, cw["resident"]), photos=[photo()], latitude="30.1234567", longitude="120.7654321"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "submitted" and data["mine"] is True and len(data["photos"]) == 1
    assert data["position"] == [30.123, 120.765]
    api_client.force_authenticate(None)
    public = api_client.get(f"/api/casework/reports/{data['id']}/").json()
    assert public["private"] is None and public["mine"] is False
    assert cw["resident"].email not in str(public) and "reporter" not in public
    assert [step["who"] for step in public["steps"]] == [""]  # the reporter is never named
    handler = as_(api_client, cw["grid_worker_here"]).get(f"/api/casework/reports/{data['id']}/").json()
    assert handler["private"]["latitude"] == "30.123457"
    assert_answer_matches_schema(api_client, f"/api/casework/reports/{data['id']}/", "/api/casework/reports/{id}/")


@pytest.mark.parametrize(
    "changes,code,field",
    [
        ({"cell": "7701001001"}, "cell_invalid", "cell"),
        ({"category": "nothing"}, "category_not_offered", "category"),
        ({"text": ""}, None, "text"),
        ({"photos": [photo(f"{n}.jpg") for n in range(7)]}, "too_many_photos", "photos"),
        (
            {"photos": [SimpleUploadedFile("a.jpg", b"GIF89a not really", content_type="image/jpeg")]},
            "upload_type",
            "photos",
        ),
    ],
)
def test_bad_filing_is_a_clear_error_and_writes_nothing(api_client, cw, changes, code, field):
    response = file_via_api(as_(api_client, cw["resident"]), **changes)
    assert response.status_code == 400, response.content
    body = response.json()
    if code:
        assert body["code"] == code
    assert field in str(body)
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_the_loop_through_the_api(api_client, cw):
    report = file_via_api(as_(api_client, cw["resident"])).json()["id"]
    url = f"/api/casework/reports/{report}"
    client = as_(api_client, cw["grid_worker_here"])
    assert client.post(f"{url}/accept/").json()["state"] == "accepted"
    assert client.post(f"{url}/dispatch/", {}, format="json").json()["unit"] == "一街道城管科"
    client = as_(api_client, cw["unit_member"])
    assert client.post(f"{url}/start/").json()["state"] == "in_progress"
    refused = client.post(f"{url}/resolve/", {"note": "修好了"}, format="multipart")
    assert refused.status_code == 400 and refused.json()["code"] == "after_photo_required"
    resolved = client.post(f"{url}/resolve/", {"note": "修好了", "photos": [photo()]}, format="multipart").json()
    assert resolved["state"] == "resolved" and [p["stage"] for p in resolved["photos"]] == ["after"]
    other = as_(api_client, cw["resident_elsewhere"]).post(f"{url}/rating/", {"level": 5}, format="json")
    assert other.status_code == 403
    client = as_(api_client, cw["resident"])
    assert client.post(f"{url}/rating/", {"level": 2}, format="json").json()["code"] == "comment_required"
    reopened = client.post(f"{url}/rating/", {"level": 2, "comment": "还是不亮"}, format="json").json()
    assert reopened["state"] == "dispatched" and reopened["reopen_count"] == 1
    again = client.post(f"{url}/rating/", {"level": 2, "comment": "还是不亮"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    assert [s["kind"] for s in reopened["steps"]][-1] == "reopened"


def test_acting_out_of_turn_or_out_of_role(api_client, cw, at_state):
    report = at_state("submitted")
    url = f"/api/casework/reports/{report.pk}"
    assert as_(api_client, cw["unit_member"]).post(f"{url}/start/").status_code == 403  # not dispatched to it
    assert as_(api_client, cw["grid_worker_elsewhere"]).post(f"{url}/accept/").status_code == 403
    assert as_(api_client, cw["resident"]).post(f"{url}/accept/").status_code == 403
    client = as_(api_client, cw["grid_worker_here"])
    assert client.post(f"{url}/accept/").status_code == 200
    second = client.post(f"{url}/accept/")
    assert second.status_code == 409 and second.json()["code"] == "transition_not_allowed"
    bad_unit = client.post(f"{url}/dispatch/", {"unit": cw.other_unit.pk}, format="json")
    assert bad_unit.status_code == 400 and bad_unit.json()["code"] == "unit_not_serving"


def test_the_board_pages_by_cursor_and_filters(api_client, cw, file_report):
    reports = [file_report(place=f"第 {n} 号路灯") for n in range(5)]
    file_report(key="rubbish")
    first = api_client.get("/api/casework/reports/", {"area": "7701", "category": "lamp", "limit": 3}).json()
    assert [r["id"] for r in first["results"]] == [r.pk for r in reversed(reports)][:3]
    second = api_client.get(
        "/api/casework/reports/", {"area": "7701", "category": "lamp", "limit": 3, "after": first["next"]}
    ).json()
    assert [r["id"] for r in second["results"]] == [reports[1].pk, reports[0].pk] and second["next"] is None
    assert api_client.get("/api/casework/reports/", {"area": "7702"}).json()["results"] == []
    assert api_client.get("/api/casework/reports/", {"area": "nowhere"}).status_code == 400
    assert_answer_matches_schema(api_client, "/api/casework/reports/?area=7701", "/api/casework/reports/")


def test_categories_in_an_area_and_their_override(api_client, cw):
    d1 = api_client.get("/api/casework/areas/7701001001001/categories/").json()
    lamp = next(c for c in d1 if c["key"] == "lamp")
    assert lamp["area"] == "7701" and lamp["handling_days"] == 2
    d2 = api_client.get("/api/casework/areas/7702001001001/categories/").json()
    assert next(c for c in d2 if c["key"] == "lamp")["handling_days"] == 3
    body = {"key": "noise", "name": "噪声扰民", "unit_kind": "city_management", "response_hours": 4, "handling_days": 3}
    assert (
        as_(api_client, cw["resident"]).post("/api/casework/areas/7701/categories/", body, format="json").status_code
        == 403
    )
    created = as_(api_client, cw["official_here"]).post("/api/casework/areas/7701/categories/", body, format="json")
    assert created.status_code == 200 and created.json()["area"] == "7701"


def test_work_queue_and_escalations_need_a_role(api_client, cw, at_state):
    at_state("dispatched")
    assert as_(api_client, cw["resident"]).get("/api/casework/work/").status_code == 403
    work = as_(api_client, cw["unit_member"]).get("/api/casework/work/").json()
    assert len(work["units"]) == 1 and len(work["units"][0]["queue"]["new"]) == 1
    assert as_(api_client, cw["resident"]).get("/api/casework/escalations/").status_code == 403
    assert as_(api_client, cw["official_here"]).get("/api/casework/escalations/").json() == []
