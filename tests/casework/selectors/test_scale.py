"""At scale the public board and a unit's queue stay fast: queries constant in the number of reports, and at
100,000 reports in a district PostgreSQL answers them from the indexes (no scan of all reports)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Report
from casework.selectors import Cursor, board, intake_queue, unit_queue

pytestmark = pytest.mark.django_db


def _copies(report, n, **changes):
    """`n` more reports like `report` (fields copied row by row; the services are tested elsewhere)."""
    rows = []
    for index in range(n):
        row = Report.objects.get(pk=report.pk)
        row.pk = None
        row.place = f"{report.place} {index}"
        for name, value in changes.items():
            setattr(row, name, value)
        rows.append(row)
    Report.objects.bulk_create(rows)


def _count(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_board_queue_and_pages_cost_the_same_for_few_and_many(cw, at_state, client, api_client):
    dispatched = at_state("dispatched")
    calls = {
        "board": lambda: board(cw["D1"]),
        "board, deep page": lambda: board(cw["D1"], after=Cursor(dispatched.submitted_at, dispatched.pk + 10**6)),
        "board, filtered": lambda: board(cw["D1"], status="open", category_key="lamp", overdue=True),
        "unit queue": lambda: unit_queue(cw.unit),
        "intake queue": lambda: intake_queue(cw["grid_worker_here"]),
        "board page": lambda: client.get("/areas/7701/casework/"),
        "board api": lambda: api_client.get("/api/casework/reports/", {"area": "7701"}),
        "queue page": lambda: client.get("/casework/queue/lists/"),
    }
    client.force_login(cw["unit_member"])
    _copies(dispatched, 2)
    for call in calls.values():  # the calendar and the person's menu are read once, then kept
        call()
    few = {name: _count(call) for name, call in calls.items()}
    _copies(dispatched, 40)
    _copies(dispatched, 10, state="submitted", unit=None)
    many = {name: _count(call) for name, call in calls.items()}
    assert few == many
    assert few["board"] == 1 and few["unit queue"] == 1


@pytest.mark.postgres
def test_at_100000_reports_the_lists_use_their_indexes(cw, at_state):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    report = at_state("dispatched")
    columns = [
        f.column
        for f in Report._meta.concrete_fields
        if f.column not in ("id", "submitted_at", "place", "state", "handling_due")
    ]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO casework_report ({listed}, submitted_at, place, state, handling_due)
                SELECT {listed}, submitted_at - (n || ' minutes')::interval, place || n,
                       CASE WHEN n %% 10 = 0 THEN 'dispatched' ELSE 'closed' END,
                       handling_due + (n || ' minutes')::interval
                FROM casework_report, generate_series(1, 100000) AS n WHERE id = %s""",
            [report.pk],
        )
        cursor.execute("ANALYZE casework_report")
    assert Report.objects.count() == 100001

    def plan(queryset):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    newest = Report.objects.filter(area_path__startswith=cw["D1"].path, is_hidden=False).order_by(
        "-submitted_at", "-id"
    )
    deep = newest.filter(submitted_at__lt=report.submitted_at)
    in_cell = Report.objects.filter(cell=cw["c1a"]).order_by("-submitted_at", "-id")
    queue = Report.objects.filter(unit=cw.unit, state__in=["dispatched", "in_progress"]).order_by("handling_due", "id")
    for name, queryset in {
        "board": newest[:21],
        "deep page": deep[:21],
        "cell": in_cell[:21],
        "queue": queue[:200],
    }.items():
        text = plan(queryset)
        assert "Seq Scan on casework_report" not in text, (name, text)
        assert "Index" in text, (name, text)
