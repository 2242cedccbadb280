"""`manage.py seed_scale` (the benchmarks' data set) fills an empty PostgreSQL database with every stage's
rows, their counters agreeing with the rows, and refuses a database that already has people."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from civic.models import Area, User
from consultations.models import Consultation, ConsultationState, Opinion, OpinionSupport, VersionKind
from consultations.scale import BIG_TITLE
from proposals.models import Proposal

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_scale writes PostgreSQL's bulk SQL"),
]

SMALL = {
    "residents": 300,
    "proposals": 60,
    "cosignatures": 900,
    "comments": 120,
    "reports": 400,
    "opinions": 80,
    "ballots": 60,
    "sessions": 20,
    "notices": 120,
}


def _deliberation_and_notices_are_there(client):
    from django.db.models import Count

    from civic.models import OutcomeNotice
    from deliberation.models import BallotBox, Council, Minutes, Session

    # the open city box the ballot benchmark votes in, and the boxes over the areas in every phase
    city_box = BallotBox.objects.get(area__level="city")
    assert city_box.phase() == "open" and city_box.options.count() == 3
    boxes = BallotBox.objects.exclude(pk=city_box.pk)
    assert boxes.count() == SMALL["ballots"]
    assert {box.phase() for box in boxes} == {"draft", "upcoming", "open", "closed", "tallied"}
    counted = boxes.annotate(b=Count("ballots", distinct=True), p=Count("participations", distinct=True))
    assert [(x.pk, x.turnout) for x in counted if not x.turnout == x.b == x.p] == []
    assert boxes.filter(state="tallied", turnout__gt=0).exists()
    assert all(box.options.count() == 3 for box in boxes)
    assert Council.objects.count() == 200 and Session.objects.count() == SMALL["sessions"]
    assert Minutes.objects.count() == Session.objects.exclude(phase="scheduled").count() > 0
    assert OutcomeNotice.objects.count() == SMALL["notices"]
    assert OutcomeNotice.objects.filter(kind="ballot").count() == boxes.filter(state="tallied").count()
    # the pages read them as the services would have written them
    tallied = boxes.filter(state="tallied").order_by("pk")
    for box in [tallied.filter(kind="question").first(), tallied.filter(kind="approval").first()]:
        assert client.get(f"/ballots/{box.pk}/results/").status_code == 200
    minutes = Minutes.objects.filter(session__public=True).first()
    assert client.get(f"/sessions/{minutes.session_id}/minutes/").status_code == 200
    for url in ["/ballots/", "/sessions/", "/areas/S01/notices/"]:
        assert client.get(url).status_code == 200, url


def test_seed_scale_fills_every_stage_with_counters_that_match_their_rows(client):
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
    _consultations_agree()
    _deliberation_and_notices_are_there(client)
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
    _assert_casework_agrees()
    with pytest.raises(CommandError):
        call_command("seed_scale", **SMALL)


def _consultations_agree():
    """About 200 consultations in every state, texts of chapters and articles, the big open one with its
    opinions (on units and the whole, with wording, entered offline, hidden) and supports; counters agree."""
    assert 190 <= Consultation.objects.count() <= 210
    states = set(Consultation.objects.values_list("state", flat=True))
    assert states == set(ConsultationState.values)
    big = Consultation.objects.get(title=BIG_TITLE)
    assert big.state == ConsultationState.OPEN and big.area.code == "S" and big.window_open()
    opinions = Opinion.objects.filter(consultation=big)
    assert opinions.count() == SMALL["opinions"] == big.opinion_count
    assert opinions.filter(unit__isnull=True).exists() and opinions.filter(unit__isnull=False).exists()
    assert opinions.exclude(wording="").exists() and opinions.exclude(source="online").exists()
    assert opinions.filter(is_hidden=True).exists()
    articles = big.versions.get(kind=VersionKind.DRAFT).units.filter(kind="article").count()
    assert articles == 100
    for c in Consultation.objects.all():
        assert c.opinion_count == c.opinions.count(), c.pk
        assert c.state == "draft" or c.versions.get(kind=VersionKind.DRAFT).units.filter(kind="article").exists()
        if c.state in ("answered", "concluded"):
            assert not c.opinions.filter(answered_at__isnull=True).exists(), c.pk
        if c.state == "concluded":
            assert c.versions.filter(kind=VersionKind.FINAL, published_at__isnull=False).exists(), c.pk
    assert Consultation.objects.filter(state="closed", opinions__answered_at__isnull=False).exists()
    wrong = [o.pk for o in Opinion.objects.all() if o.support_count != o.supports.count()]
    assert wrong == []
    assert OpinionSupport.objects.filter(opinion__consultation=big).exists()


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
