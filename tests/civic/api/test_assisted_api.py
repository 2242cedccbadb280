"""The assisted-participation API: staff register and list residents of their areas, hand over claim codes and
act for a resident with the header X-Acting-For; the resident reads what was done in their name."""

from rest_framework.test import APIClient

from civic.models import AuditEntry
from proposals.models import Comment, Endorsement
from tests.civic.assisted import register
from tests.deliberation.conftest import pb  # noqa: F401  (the open participatory budget of 一街道)
from tests.world import fresh


def _as(person):
    client = APIClient()
    client.force_authenticate(fresh(person))
    return client


def test_staff_register_a_resident_and_see_their_personal_data(world):
    client = _as(world["organiser_here"])
    body = {
        "display_name": "李大爷",
        "cell": world["c1a"].code,
        "address": "柳岸小区 1 栋 101",
        "id_last4": "4567",
        "phone": "139 0013 9000",
        "consent": True,
    }
    response = client.post("/api/assisted-residents/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["phone"] == "+8613900139000" and response.json()["id_last4"] == "4567"
    listed = client.get("/api/assisted-residents/").json()
    assert listed["count"] == 1 and [r["name"] for r in listed["results"]] == ["李大爷"]
    assert _as(world["organiser_elsewhere"]).get("/api/assisted-residents/").json()["results"] == []
    assert _as(world["resident"]).get("/api/assisted-residents/").status_code == 403
    refused = client.post("/api/assisted-residents/", {**body, "consent": False, "id_last4": "1111"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "consent_missing"


def test_personal_data_stays_with_staff_of_the_area(world):
    person = register(world)
    assert _as(world["organiser_here"]).get(f"/api/assisted-residents/{person.pk}/").status_code == 200
    for role in ("organiser_elsewhere", "resident", "admin"):
        assert _as(world[role]).get(f"/api/assisted-residents/{person.pk}/").status_code == 404
    public = APIClient().get(f"/api/people/{person.pk}/").json()
    assert "123X" not in str(public) and "13800138000" not in str(public)


def test_claim_code_is_shown_once_to_staff_of_the_area(world):
    person = register(world)
    response = _as(world["organiser_here"]).post(f"/api/assisted-residents/{person.pk}/claim-code/")
    assert response.status_code == 201 and response.json()["valid_days"] == 7
    assert _as(world["organiser_elsewhere"]).post(f"/api/assisted-residents/{person.pk}/claim-code/").status_code == 404


def test_co_signing_with_the_acting_header(world, make_proposal):
    proposal = make_proposal()
    person = register(world)
    staff = _as(world["organiser_here"])
    response = staff.post(f"/api/proposals/{proposal.pk}/endorsement/", HTTP_X_ACTING_FOR=str(person.pk))
    assert response.status_code == 201 and response.json()["endorsement_count"] == 1
    assert Endorsement.objects.get(proposal=proposal).user == person
    refused = _as(world["organiser_elsewhere"]).post(
        f"/api/proposals/{proposal.pk}/endorsement/", HTTP_X_ACTING_FOR=str(person.pk)
    )
    assert refused.status_code == 403
    stranger = staff.post(f"/api/proposals/{proposal.pk}/endorsement/", HTTP_X_ACTING_FOR=str(world["resident"].pk))
    assert stranger.status_code == 403
    assert Endorsement.objects.count() == 1


def test_voting_with_the_acting_header_returns_the_receipt_only(world, pb):  # noqa: F811
    person = register(world)
    response = _as(world["organiser_here"]).post(
        f"/api/ballots/{pb.pk}/vote/", {"choices": ["1"]}, format="json", HTTP_X_ACTING_FOR=str(person.pk)
    )
    assert response.status_code == 201 and set(response.json()) == {"receipt", "changed"}
    assert AuditEntry.objects.get(action="ballot.voted").actor == person


def test_the_resident_reads_what_was_done_in_their_name(world, make_proposal):
    proposal = make_proposal()
    person = register(world)
    _as(world["organiser_here"]).post(f"/api/proposals/{proposal.pk}/endorsement/", HTTP_X_ACTING_FOR=str(person.pk))
    acts = _as(person).get("/api/me/assisted-acts/").json()["results"]
    first = acts[0]
    assert (first["action"], first["channel"], first["assisted_by"]) == (
        "proposal.endorsed",
        "assisted",
        "organiser_here",
    )
    assert _as(world["resident"]).get("/api/me/assisted-acts/").json()["results"] == []


def test_the_schema_documents_the_acting_header(world):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    for path, method in [
        ("/api/proposals/{id}/endorsement/", "post"),
        ("/api/proposals/{id}/comments/", "post"),
        ("/api/ballots/{id}/vote/", "post"),
        ("/api/projects/{id}/rating/", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert "X-Acting-For" in [p["name"] for p in operation.get("parameters", [])], path
    assert "/api/auth/claim/" in schema["paths"] and "/api/assisted-residents/" in schema["paths"]


def test_commenting_with_the_acting_header(world, make_proposal):
    proposal = make_proposal()
    person = register(world)
    response = _as(world["organiser_here"]).post(
        f"/api/proposals/{proposal.pk}/comments/",
        {"body": "座椅要有靠背", "stance": "for"},
        format="json",
        HTTP_X_ACTING_FOR=str(person.pk),
    )
    assert response.status_code == 201
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.author, comment.channel, comment.assisted_by) == (person, "assisted", world["organiser_here"])
    refused = _as(world["official_elsewhere"]).post(
        f"/api/proposals/{proposal.pk}/comments/",
        {"body": "座椅要有靠背", "stance": "for"},
        format="json",
        HTTP_X_ACTING_FOR=str(person.pk),
    )
    assert refused.status_code == 403 and Comment.objects.count() == 1
