"""The demo district of 关键小事: every state, an escalation, a reopening, merged duplicates, a referral and a
hot spot, loaded once however often seed_demo runs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from casework.models import Escalation, Report, ReportRating, ReportState

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_whole_loop():
    call_command("seed_demo", quiet_logins=True)
    states = set(Report.objects.values_list("state", flat=True))
    assert states == set(ReportState.values)
    escalated = Report.objects.filter(escalations__isnull=False).distinct().get()
    assert escalated.is_overdue() and escalated.state == "dispatched"
    assert Escalation.objects.filter(report=escalated, acknowledged_at__isnull=False).exists()
    assert Report.objects.filter(reopen_count__gt=0, state="in_progress").exists()
    assert Report.objects.filter(state="merged", merged_into__state="accepted").exists()
    assert Report.objects.filter(state="referred").exclude(referred_to="").exists()
    assert ReportRating.objects.filter(channel="callback").exists()
    assert Report.objects.filter(state="closed", rating_level__isnull=True).exists()  # closed, not rated
    since = timezone.now() - timedelta(days=90)
    spots = (
        Report.objects.filter(submitted_at__gte=since)
        .values("cell", "category_key")
        .annotate(n=Count("id"))
        .filter(n__gte=5)
    )
    assert spots.exists()
    count = Report.objects.count()
    call_command("seed_demo", quiet_logins=True)
    assert Report.objects.count() == count
