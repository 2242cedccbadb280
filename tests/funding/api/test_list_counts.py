"""GET /api/projects/: the count is exact right after each write that changes the set (a new project, a
change of state under a state filter) and is not counted again on a read that follows none; the overdue
milestones of each row are its own."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding import services
from funding.models import Milestone

from ..conftest import plan

pytestmark = pytest.mark.django_db


def _read(api_client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/projects/", params)
    assert response.status_code == 200, response.content
    counted = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    return response.json(), counted


def test_the_projects_count_a_new_project_and_a_change_of_state_at_once(api_client, fworld, project):
    data, counted = _read(api_client)
    assert data["count"] == 1 and counted
    assert _read(api_client) == (data, [])  # kept
    assert _read(api_client, state="planned")[0]["count"] == 1
    assert _read(api_client, state="in_progress")[0]["count"] == 0
    services.project_start(actor=fworld["representative"], project=project)
    assert _read(api_client, state="planned")[0]["count"] == 0
    assert _read(api_client, state="in_progress")[0]["count"] == 1
    services.project_create(actor=fworld["official_here"], area=fworld["C1"], implementer=fworld.organisation, **plan())
    assert _read(api_client)[0]["count"] == 2
    assert _read(api_client, area=fworld["C1"].code)[0]["count"] == 2
    assert _read(api_client, area=fworld["C2"].code)[0]["count"] == 0


def test_each_row_counts_its_own_overdue_milestones(api_client, fworld, project):
    other = services.project_create(
        actor=fworld["official_here"], area=fworld["C1"], implementer=fworld.organisation, **plan()
    )
    late = Milestone.objects.filter(project=project).order_by("due_on").first()
    Milestone.objects.filter(pk=late.pk).update(due_on=late.due_on - timedelta(days=400))
    rows = {row["id"]: row["overdue_milestones"] for row in _read(api_client)[0]["results"]}
    assert rows == {project.pk: 1, other.pk: 0}
