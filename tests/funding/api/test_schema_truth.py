"""A project whose progress report names no milestone matches the schema (milestone_title nullable)."""

import pytest

from funding import services
from tests.schema_truth import assert_answer_matches_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_report_without_milestone_matches_the_schema(api_client, fworld, project):
    services.project_start(actor=fworld["representative"], project=project)
    services.progress_report(actor=fworld["representative"], project=project, text="灯具已到货", spend_to_date="1")
    data = assert_answer_matches_schema(api_client, f"/api/projects/{project.pk}/", "/api/projects/{id}/")
    assert data["reports"][0]["milestone_title"] is None


def test_the_schema_declares_the_services_text_limits(client):
    from funding.services import common as limits

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    expected = {
        ("ProjectCreateRequest", "title"): limits.PROJECT_TITLE_MAX,
        ("ProjectCreateRequest", "scope"): limits.SCOPE_MAX,
        ("ProjectReasonRequest", "reason"): limits.PROJECT_REASON_MAX,
        ("CompletionRequest", "report"): limits.REPORT_MAX,
        ("ProgressReportInputRequest", "text"): limits.PROGRESS_TEXT_MAX,
        ("CommitmentInputRequest", "funder"): limits.FUNDER_MAX,
        ("InspectionInputRequest", "remarks"): limits.REMARKS_MAX,
        ("RatingInputRequest", "comment"): limits.RATING_COMMENT_MAX,
        ("ObjectionInputRequest", "text"): limits.OBJECTION_TEXT_MAX,
        ("AwardRecomputeRequest", "reason"): limits.AWARD_REASON_MAX,
        ("LedgerReverseRequest", "reason"): limits.LEDGER_REASON_MAX,
    }
    declared = {key: schema[key[0]]["properties"][key[1]].get("maxLength") for key in expected}
    assert declared == expected
