"""Time limits with teeth: the tick flags, escalates level by level up to the city, closes what nobody rated;
the clock stops only where the category allows, and the limit moves on by the working time it stood still."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from casework.hours import WorkingTime, local
from casework.models import ClockStop, Escalation, Report
from civic.errors import Conflict
from civic.models import Notification


def test_overdue_is_flagged_once_and_escalated_up_to_the_city(cw, at_state):
    report = at_state("dispatched")
    late = report.handling_due + timedelta(minutes=1)
    assert services.flag_overdue_reports(now=late) == 1
    assert services.flag_overdue_reports(now=late) == 0  # idempotent
    report.refresh_from_db()
    assert report.handling_overdue_at == late and report.was_overdue
    assert Notification.objects.filter(recipient=cw["unit_member"], kind="casework.overdue").count() == 1
    for _ in range(6):
        report.refresh_from_db()
        if report.next_escalation_at is None:
            break
        services.escalate_overdue_reports(now=report.next_escalation_at + timedelta(minutes=1))
    chain = list(Escalation.objects.filter(report=report).order_by("level").values_list("level", "area__code"))
    assert chain == [(1, "7701001001"), (2, "7701001"), (3, "7701"), (4, "77")]
    assert Notification.objects.filter(recipient=cw["official_here"], kind="casework.escalated").count() == 1
    report.refresh_from_db()
    assert report.next_escalation_at is None  # the city is the top
    assert services.escalate_overdue_reports(now=timezone.now() + timedelta(days=30)) == 0


def test_a_late_acceptance_counts_as_overdue_even_before_the_tick(cw, at_state):
    report = at_state("submitted")
    Report.objects.filter(pk=report.pk).update(response_due=timezone.now() - timedelta(hours=1))
    services.report_accept(actor=cw["grid_worker_here"], report=report)
    report.refresh_from_db()
    assert report.response_overdue_at is not None and report.was_overdue


def test_resolved_and_not_rated_in_time_is_closed_unrated(cw, at_state):
    report = at_state("resolved")
    assert services.close_unrated_reports(now=report.rating_due - timedelta(minutes=1)) == 0
    assert services.close_unrated_reports(now=report.rating_due + timedelta(minutes=1)) == 1
    report.refresh_from_db()
    assert report.state == "closed" and report.rating_level is None
    assert report.events.last().kind == "closed_unrated"


def test_the_clock_stops_only_where_allowed_and_the_limit_moves_on(cw, at_state):
    rubbish = at_state("submitted", key="rubbish")
    with pytest.raises(Conflict) as error:
        services.clock_stop(actor=cw["grid_worker_here"], report=rubbish, reason="reporter")
    assert error.value.code == "clock_stop_not_allowed"
    report = at_state("in_progress")
    due = report.handling_due
    stop = services.clock_stop(actor=cw["unit_member"], report=report, reason="reporter", note="等居民在家")
    with pytest.raises(Conflict):
        services.clock_stop(actor=cw["unit_member"], report=report, reason="reporter")
    report.refresh_from_db()
    assert not report.is_overdue(due + timedelta(days=30))
    services.flag_overdue_reports(now=due + timedelta(days=30))
    assert Report.objects.get(pk=report.pk).handling_overdue_at is None  # stopped: not overdue
    ClockStop.objects.filter(pk=stop.pk).update(started_at=stop.started_at - timedelta(days=1))
    services.clock_resume(actor=cw["unit_member"], report=report)
    report.refresh_from_db()
    stop.refresh_from_db()
    clock = WorkingTime.official()
    assert report.clock_stopped_at is None and stop.ended_at is not None
    # the working time that was left when the clock stopped is left again when it restarts
    left = clock.minutes_between(local(stop.started_at), local(due))
    assert report.handling_due == clock.add_minutes(local(stop.ended_at), left)
    assert clock.minutes_between(local(stop.ended_at), local(report.handling_due)) == left
    assert report.handling_due >= due or stop.working_minutes == 0
