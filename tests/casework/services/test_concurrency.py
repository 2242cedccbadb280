"""Two handlers press at once: the row lock lets one win; the other is told the report changed."""

import threading

import pytest
from django.db import connection, connections

from casework import services
from casework.models import Report, ReportEvent
from civic.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_grid_workers_accepting_at_once_one_wins(cw, file_report):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    report = file_report()
    from civic.models import AreaRole

    AreaRole.objects.create(user=cw["organiser_here"], area=cw["c1a"], role="grid_worker")
    people = [cw["grid_worker_here"], cw["organiser_here"], cw["official_here"], cw["official_city"]] * 3
    barrier = threading.Barrier(len(people))
    outcomes = []
    lock = threading.Lock()

    def press(person):
        try:
            barrier.wait()
            try:
                services.report_accept(actor=person, report=Report(pk=report.pk))
                result = "ok"
            except Conflict as error:
                result = error.code
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"transition_not_allowed", "state_changed"}
    assert ReportEvent.objects.filter(report=report, kind="accepted").count() == 1
