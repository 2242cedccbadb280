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
