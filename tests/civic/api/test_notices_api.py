"""Outcome notices API."""

import pytest

from civic.models import AuditEntry, OutcomeNotice
from tests.civic.notices import at, make_answer, make_policy, notice_at, one_of_each, publish

# --- API --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_and_shows_notices_with_working_days(api_client, world):
    make_policy(world, answer_days=5)
    old = notice_at(world, at(2024, 3, 4), at(2024, 3, 7), title="楼道灯答复")
    newer = publish(world, title="更正", corrects=old)
    body = api_client.get("/api/areas/7701/notices/").json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["id"] == newer.pk and first["corrects"] == old.pk
    assert second["corrected_by"] == [newer.pk]
    assert (second["working_days_taken"], second["working_days_allowed"], second["on_time"]) == (3, 5, True)
    assert second["area"] == world["C1"].code and second["url"] == f"/notices/{old.pk}/"
    assert api_client.get("/api/areas/7701/notices/?kind=answer").json()["count"] == 0
    wrong = api_client.get("/api/areas/7701/notices/?kind=rumour")
    assert wrong.status_code == 400 and wrong.json()["code"] == "kind_unknown"
    detail = api_client.get(f"/api/notices/{old.pk}/").json()
    assert detail["title"] == "楼道灯答复" and detail["working_days_taken"] == 3
    assert api_client.get("/api/notices/999999/").status_code == 404


@pytest.mark.django_db
def test_api_publish_by_officials_only_with_domain_codes(api_client, world):
    answer = make_answer(world)
    payload = {
        "kind": "answer",
        "title": "关于楼道灯建议的答复",
        "body": "同意提交议事会审议。",
        "decided_at": "2024-03-04T10:00:00+08:00",
        "source_key": f"answer:{answer.pk}",
    }
    assert api_client.post("/api/areas/7701/notices/", payload, format="json").status_code in (401, 403)
    api_client.force_authenticate(world["official_elsewhere"])
    refused = api_client.post("/api/areas/7701/notices/", payload, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    api_client.force_authenticate(world["official_here"])
    bad = api_client.post("/api/areas/7701/notices/", {**payload, "title": ""}, format="json")
    assert bad.status_code == 400 and (bad.json()["code"], bad.json()["field"]) == ("required", "title")
    unknown = api_client.post("/api/areas/7701/notices/", {**payload, "corrects": 999999}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "corrects_unknown"
    ancient = api_client.post(
        "/api/areas/7701/notices/", {**payload, "source_key": "", "decided_at": "0001-01-01T00:00:00Z"}, format="json"
    )
    assert ancient.status_code == 400 and (ancient.json()["code"], ancient.json()["field"]) == (
        "decided_too_early",
        "decided_at",
    )
    assert not OutcomeNotice.objects.exists()
    created = api_client.post("/api/areas/7701/notices/", payload, format="json")
    assert created.status_code == 201
    data = created.json()
    assert data["area"] == "7701" and data["source_url"] == f"/proposals/{answer.proposal_id}/"
    assert data["working_days_taken"] is not None
    again = api_client.post("/api/areas/7701/notices/", payload, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_published"
    assert AuditEntry.objects.filter(action="notice.published").count() == 1


@pytest.mark.django_db
def test_api_unpublished_decisions_for_officials(api_client, world):
    make_policy(world)
    keys = one_of_each(world, make_policy(world, area="city"))
    assert api_client.get("/api/areas/7701/notices/unpublished/").status_code in (401, 403)
    api_client.force_authenticate(world["resident"])
    assert api_client.get("/api/areas/7701/notices/unpublished/").json()["code"] == "not_allowed"
    api_client.force_authenticate(world["official_here"])
    rows = api_client.get("/api/areas/7701/notices/unpublished/").json()
    assert {r["source_key"] for r in rows} == keys
    assert all(r["overdue"] and r["due"] == "2024-03-11" and r["area"] == world["C1"].code for r in rows)


@pytest.mark.django_db
def test_the_schema_documents_the_notice_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/areas/{code}/notices/",
        "/api/areas/{code}/notices/unpublished/",
        "/api/notices/{id}/",
    ):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/areas/{code}/notices/"]
