"""A stranger sending a broken body to a project's actions learns "not allowed", not the fields' rules."""

import pytest

from funding import services
from funding.models import Commitment, Milestone, ProgressReport
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/projects/{pk}/suspend/",
        "/api/projects/{pk}/cancel/",
        "/api/projects/{pk}/complete/",
        "/api/projects/{pk}/commitments/",
        "/api/projects/{pk}/milestones/",
        "/api/projects/{pk}/reports/",
        "/api/projects/{pk}/awards/",
    ],
)
def test_a_stranger_with_a_bad_body_gets_403(api_client, fworld, project, url):
    api_client.force_authenticate(fresh(fworld["resident_elsewhere"]))
    commitments = Commitment.objects.count()
    response = api_client.post(url.format(pk=project.pk), {"amount": "lots", "title": ["x"]}, format="json")
    assert response.status_code == 403, response.json()
    assert Commitment.objects.count() == commitments and not ProgressReport.objects.exists()
    assert Milestone.objects.filter(project=project).count() == 2


def test_a_stranger_with_a_bad_policy_gets_403(api_client, fworld):
    api_client.force_authenticate(fresh(fworld["resident"]))
    response = api_client.post(f"/api/areas/{fworld['D1'].code}/subsidy-policy/", {"cap": "x"}, format="json")
    assert response.status_code == 403


def test_a_stranger_with_a_bad_receipt_gets_403(api_client, fworld, project):
    commitment = services.commitment_add(
        actor=fworld["official_here"], project=project, source="residents", funder="居民", amount="1000"
    )
    api_client.force_authenticate(fresh(fworld["resident"]))
    response = api_client.post(f"/api/commitments/{commitment.pk}/receipts/", {"amount": "x"}, format="json")
    assert response.status_code == 403


def test_a_stranger_with_a_bad_inspection_gets_403(api_client, fworld, project):
    api_client.force_authenticate(fresh(fworld["resident"]))
    response = api_client.post(f"/api/projects/{project.pk}/inspections/", {"checklist": "x"}, format="json")
    assert response.status_code == 403, response.json()


def test_a_resident_of_elsewhere_with_a_bad_rating_gets_403(api_client, fworld, project):
    api_client.force_authenticate(fresh(fworld["resident_elsewhere"]))
    response = api_client.post(f"/api/projects/{project.pk}/rating/", {"level": ["x"]}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_eligible"
