"""`manage.py seed_scale` (the benchmarks' data set) fills an empty PostgreSQL database with every stage's
rows, their counters agreeing with the rows, and refuses a database that already has people."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from civic.models import Area, User
from proposals.models import Proposal

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_scale writes PostgreSQL's bulk SQL"),
]

SMALL = {"residents": 300, "proposals": 60, "cosignatures": 900, "comments": 120, "reports": 400, "opinions": 80}


def test_seed_scale_fills_every_stage_with_counters_that_match_their_rows():
    call_command("seed_scale", **SMALL, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Area.objects.count() == 1 + 10 + 50 + 200 + 1000
    assert User.objects.filter(email__endswith="@scale.example").count() == SMALL["residents"]
    assert Proposal.objects.count() == SMALL["proposals"]
    mismatched = [
        p.pk
        for p in Proposal.objects.all()
        if p.endorsement_count != p.endorsements.count() or p.comment_count != p.comments.count()
    ]
    assert mismatched == []
    _assert_casework_agrees()
    with pytest.raises(CommandError):
        call_command("seed_scale", **SMALL)


def _assert_casework_agrees():
    """The small matters: the reports asked for, in every state, spread over the cells, dispatched ones with a
    unit of their district, their counters (rating, people also affected) agreeing with the rows."""
    from django.db.models import Count

    from casework.models import Category, Report, ReportFollower, ReportRating, ReportState, Unit, UnitService

    assert Report.objects.count() == SMALL["reports"]
    assert Category.objects.filter(area__code="S").count() >= 8
    assert Unit.objects.count() == 10 * 6 and UnitService.objects.exists()
    states = set(Report.objects.values_list("state", flat=True))
    assert states == set(ReportState.values)
    assert Report.objects.values("cell").distinct().count() > 100
    assert Report.objects.filter(response_overdue_at__isnull=False).exists()
    assert Report.objects.filter(is_hidden=True).exists()
    outside = [
        r.pk
        for r in Report.objects.filter(unit__isnull=False).select_related("unit__organisation", "cell")
        if not UnitService.objects.filter(
            unit=r.unit, category_key=r.category_key, area_path=r.cell.path[: len("/S/S01/")]
        ).exists()
    ]
    assert outside == []
    followers = dict(ReportFollower.objects.values("report").annotate(n=Count("id")).values_list("report", "n"))
    assert followers and all(r.follower_count == followers.get(r.pk, 0) for r in Report.objects.all())
    last = {g.report_id: g.level for g in ReportRating.objects.order_by("round")}
    assert last and all(r.rating_level == last.get(r.pk) for r in Report.objects.all())
    assert all(r.merged_into_id for r in Report.objects.filter(state="merged"))
    assert not Report.objects.filter(state__in=["dispatched", "in_progress", "resolved"], unit__isnull=True).exists()
    assert Report.objects.filter(events__isnull=True).count() == 0
