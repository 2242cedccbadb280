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
    # micro-projects in every state, with milestones, and a ledger that keeps every rule of the books
    from funding.ledger_check import run_checks
    from funding.models import LedgerEntry, MicroProject, Milestone, ProjectState

    projects = MicroProject.objects.count()
    assert projects >= len(ProjectState.values)
    assert set(MicroProject.objects.values_list("state", flat=True)) == set(ProjectState.values)
    assert Milestone.objects.count() == 3 * projects
    assert LedgerEntry.objects.count() >= 20 * projects  # about thirty entries a project
    report = run_checks()
    assert report.problems == [] and report.entries_checked == LedgerEntry.objects.count()
    with pytest.raises(CommandError):
        call_command("seed_scale", **SMALL)
