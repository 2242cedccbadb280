import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from civic import services
from civic.models import ModerationCase, Organisation, ResidencyVerification
from tests.factories import UserFactory, valid_credit_code
from tests.world import fresh

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(fresh(user))
    return api_client


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3)).save(buffer, "PNG")
    return SimpleUploadedFile("proof.png", buffer.getvalue(), content_type="image/png")


def test_verification_flow_through_the_api(api_client, world, private_root):
    client = as_user(api_client, world["unverified"])
    response = client.post(
        "/api/me/verifications/",
        {"cell": world["c1a"].code, "address": "一社区 5 栋 101", "proof": _png()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["has_proof"] and body["cell"]["code"] == world["c1a"].code
    again = client.post("/api/me/verifications/", {"cell": world["c1a"].code, "address": "一社区 5 栋 101"})
    assert again.status_code == 409 and again.json()["code"] == "verification_active"
    assert client.get(f"/api/areas/{world['C1'].code}/eligibility/").json() == {
        "area": world["C1"].code,
        "eligible": False,
    }

    organiser = as_user(api_client, world["organiser_here"])
    queue = organiser.get("/api/verifications/").json()
    assert [v["id"] for v in queue["results"]] == [body["id"]]
    assert organiser.post(f"/api/verifications/{body['id']}/reject/", {}).status_code == 400
    approved = organiser.post(f"/api/verifications/{body['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    client = as_user(api_client, world["unverified"])
    assert client.get(f"/api/areas/{world['city'].code}/eligibility/").json()["eligible"] is True


def test_deciders_elsewhere_get_403_with_a_code(api_client, world):
    v = ResidencyVerification.objects.create(user=world["unverified"], cell=world["c1a"], address="x 路 1 号")
    client = as_user(api_client, world["organiser_elsewhere"])
    assert client.get("/api/verifications/").json()["results"] == []
    response = client.post(f"/api/verifications/{v.pk}/approve/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_allowed",
        "detail": "Only organisers and officials of this area can decide.",
    }
    assert as_user(api_client, world["resident"]).get("/api/verifications/").status_code == 403


def test_unknown_cell_is_a_404_naming_the_field(api_client, world):
    response = as_user(api_client, world["unverified"]).post(
        "/api/me/verifications/", {"cell": "nope", "address": "某路 1 号"}
    )
    assert response.status_code == 404 and response.json()["field"] == "cell"


def test_organisation_register_confirm_and_join(api_client, world):
    client = as_user(api_client, world["resident"])
    bad = client.post(
        "/api/organisations/",
        {"name": "协会", "kind": "enterprise", "credit_code": "123", "areas": [world["C1"].code]},
        format="json",
    )
    assert (
        bad.status_code == 400 and bad.json()["code"] == "credit_code_length" and bad.json()["field"] == "credit_code"
    )
    created = client.post(
        "/api/organisations/",
        {
            "name": "一社区老年协会",
            "kind": "social",
            "credit_code": valid_credit_code(5, "52"),
            "areas": [world["C1"].code],
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["confirmed"] is False
    org_id = created.json()["id"]
    assert (
        as_user(api_client, world["official_elsewhere"]).post(f"/api/organisations/{org_id}/confirm/").status_code
        == 403
    )
    confirmed = as_user(api_client, world["official_here"]).post(f"/api/organisations/{org_id}/confirm/")
    assert confirmed.json()["confirmed"] is True
    api_client.force_authenticate(None)
    listed = api_client.get("/api/organisations/", {"area": world["c1a"].code}).json()["results"]
    assert org_id in [o["id"] for o in listed]
    joiner = as_user(api_client, world["member"])
    request = joiner.post(f"/api/organisations/{org_id}/members/", {"message": "我想加入"}, format="json").json()
    rep = as_user(api_client, world["resident"])
    assert [r["id"] for r in rep.get(f"/api/organisations/{org_id}/requests/").json()] == [request["id"]]
    assert rep.post(f"/api/organisation-requests/{request['id']}/accept/").json()["status"] == "accepted"
    members = api_client.get(f"/api/organisations/{org_id}/members/").json()
    assert members["count"] == 2 and {m["person"]["name"] for m in members["results"]} == {"resident", "member"}


def test_roles_api(api_client, world):
    client = as_user(api_client, world["official_here"])
    response = client.post(
        f"/api/areas/{world['C1'].code}/roles/", {"email": world["resident"].email, "role": "moderator"}, format="json"
    )
    assert response.status_code == 201
    holders = api_client.get(f"/api/areas/{world['c1a'].code}/roles/").json()
    assert ("resident", "moderator") in {(h["person"]["name"], h["role"]) for h in holders}
    denied = as_user(api_client, world["official_elsewhere"]).post(
        f"/api/areas/{world['C1'].code}/roles/", {"email": world["member"].email, "role": "organiser"}, format="json"
    )
    assert denied.status_code == 403
    revoke = as_user(api_client, world["official_here"]).post(
        f"/api/area-roles/{response.json()['id']}/revoke/", {"reason": "换届"}
    )
    assert revoke.status_code == 204


def test_report_and_decide(api_client, world, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    org = world.organisation
    client = as_user(api_client, world["resident"])
    bad = client.post(
        "/api/reports/", {"content_type": "civic.area", "object_id": world["C1"].pk, "reason": "spam"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "not_reportable"
    ok = client.post(
        "/api/reports/", {"content_type": "civic.organisation", "object_id": org.pk, "reason": "spam"}, format="json"
    )
    assert ok.status_code == 201
    assert Organisation.objects.get(pk=org.pk).is_hidden
    assert api_client.get(f"/api/organisations/{org.pk}/").status_code in (403, 404)
    moderator = as_user(api_client, world["moderator_here"])
    cases = moderator.get("/api/moderation/cases/").json()["results"]
    assert cases[0]["content_type"] == "civic.organisation"
    decided = moderator.post(
        f"/api/moderation/cases/{cases[0]['id']}/decide/", {"hide": False, "reason": "无违规"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "restored"
    assert not ModerationCase.objects.get().needs_review


def test_notifications_api(api_client, world):
    person = world["resident"]
    for i in range(3):
        services.notify(recipient=person, kind="role.changed", title=f"n{i}")
    client = as_user(api_client, person)
    listed = client.get("/api/notifications/").json()
    assert [n["title"] for n in listed["results"]] == ["n2", "n1", "n0"]
    assert client.post("/api/notifications/read/", {"ids": [listed["results"][0]["id"]]}, format="json").json() == {
        "marked": 1,
        "unread": 2,
    }
    prefs = client.put("/api/notifications/preferences/", {"preferences": {"role.changed": "off"}}, format="json")
    assert prefs.status_code == 200 and prefs.json()["preferences"]["role.changed"] == "off"
    bad = client.put("/api/notifications/preferences/", {"preferences": {"nope": "off"}}, format="json")
    assert bad.status_code == 400


def test_audit_api(api_client, world):
    services.audit_record(actor=world["resident"], action="x.here", area=world["C1"])
    client = as_user(api_client, world["official_here"])
    body = client.get("/api/audit/", {"action": "x."}).json()
    assert [e["action"] for e in body["results"]] == ["x.here"]
    assert client.get("/api/audit/", {"since": "yesterday"}).json()["code"] == "date_invalid"
    assert as_user(api_client, world["resident"]).get("/api/audit/").status_code == 403


def test_me_patch_goes_through_the_rules(api_client, user):
    client = as_user(api_client, user)
    response = client.patch("/api/me/", {"phone": "abc"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "phone"
    response = client.patch("/api/me/", {"bio": "你好", "preferred_language": "en"}, format="json")
    assert response.json()["bio"] == "你好" and response.json()["preferred_language"] == "en"


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/api/organisations/", None),
        ("/api/verifications/", "organiser_here"),
        ("/api/audit/", "official_city"),
        ("/api/notifications/", "resident"),
        ("/api/moderation/cases/", "moderator_here"),
    ],
)
def test_list_queries_do_not_grow_with_rows(api_client, world, url, who):
    client = as_user(api_client, world[who]) if who else api_client

    def grow(n):
        for i in range(n):
            person = UserFactory()
            org = Organisation.objects.create(
                name=f"组织{person.pk}", kind="residents_group", confirmed_at=person.date_joined
            )
            org.areas.set([world["C1"], world["S1"]])
            ResidencyVerification.objects.create(user=person, cell=world["c1b"], address="某路 1 号")
            services.audit_record(actor=person, action="grow", area=world["C1"], obj=org)
            services.notify(recipient=world["resident"], kind="role.changed", title=f"t{i}")
            services.content_report(reporter=person, obj=org, reason="spam")

    def read_twice():
        """The first read after a write (a kept count is counted again) and the next one (it is kept)."""
        with CaptureQueriesContext(connection) as after_write:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as kept:
            assert client.get(url).status_code == 200
        return after_write, kept

    grow(1)
    client.get(url)  # warm: the person's roles are read once per request object
    grow(1)
    small = read_twice()
    grow(8)
    large = read_twice()
    for few, many in zip(small, large, strict=True):
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(large[1]) <= len(large[0])


def test_a_hidden_person_is_seen_only_by_themselves_on_the_page_and_in_the_api(client, api_client, world):
    person = world["resident"]
    type(person).objects.filter(pk=person.pk).update(is_hidden=True)
    for viewer, seen in ((None, False), (world["resident_elsewhere"], False), (person, True)):
        if viewer is not None:
            client.force_login(viewer)
            api_client.force_authenticate(fresh(viewer))
        page = client.get(f"/people/{person.pk}/")
        api = api_client.get(f"/api/people/{person.pk}/")
        assert (page.status_code, api.status_code) == ((200, 200) if seen else (404, 404)), viewer
    type(person).objects.filter(pk=person.pk).update(is_hidden=False, is_active=False)
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert api_client.get(f"/api/people/{person.pk}/").status_code == 404
