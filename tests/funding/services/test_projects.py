"""Micro-projects: created from an adopted proposal (pledges carried over) or directly; the state machine;
co-funding and receipts; milestones and progress; inspection; residents' ratings."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry, Membership, Notification, TimelineEntry
from funding import selectors, services
from funding.models import (
    Commitment,
    EntryKind,
    LedgerEntry,
    MicroProject,
    ProjectPhoto,
    ProjectState,
    SatisfactionRating,
)
from funding.selectors import projects as project_selectors
from proposals.models import ProposalState
from tests.factories import UserFactory
from tests.world import verify

from ..conftest import end_rating, plan

pytestmark = pytest.mark.django_db

CHECKLIST = [{"item": "灯具亮度", "score": "9", "max": "10"}, {"item": "线路安全", "score": "8.5", "max": "10"}]


def photo(name="site.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def complete(w, project):
    services.project_start(actor=w["representative"], project=project)
    return services.project_report_completion(actor=w["representative"], project=project, report="全部灯具已更换。")


def accept(w, project, cost="118000.50"):
    complete(w, project)
    return services.inspection_record(
        actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost=cost, result="accepted"
    )


def test_an_adopted_proposal_becomes_a_project_and_its_pledges_become_commitments(fworld, adopted, project):
    assert project.area == adopted.area and project.budget == Decimal("120000.00")
    assert [line.item for line in project.budget_lines.all()] == ["LED 灯具", "线路检修"]
    assert project.milestones.filter(is_midpoint=True).count() == 1
    commitments = {c.source: c for c in project.commitments.all()}
    assert (
        commitments["residents"].amount == Decimal("15000.00")
        and commitments["residents"].from_pledge.user == fworld["resident"]
    )
    assert commitments["in_kind"].funder == fworld.organisation.name
    assert LedgerEntry.objects.filter(project=project, kind=EntryKind.COMMITMENT).count() == 2
    adopted.refresh_from_db()
    assert adopted.state == ProposalState.IN_IMPLEMENTATION
    verbs = set(
        TimelineEntry.objects.filter(subject_id=adopted.pk, subject_type__model="proposal").values_list(
            "verb", flat=True
        )
    )
    assert "project.created" in verbs  # the proposal's story continues into the project's
    assert AuditEntry.objects.filter(action="project.created").count() == 1
    assert not project_selectors.adopted_without_project(fworld["official_here"]).filter(pk=adopted.pk).exists()


def test_the_adopted_list_shows_only_proposals_without_a_project_in_the_officials_areas(fworld, adopted):
    assert list(project_selectors.adopted_without_project(fworld["official_here"])) == [adopted]
    assert not project_selectors.adopted_without_project(fworld["official_elsewhere"]).exists()
    assert not project_selectors.adopted_without_project(fworld["resident"]).exists()


def test_a_proposal_gets_one_project_and_only_when_adopted(fworld, adopted, project, make_proposal):
    with pytest.raises(Conflict) as error:
        services.project_create(
            actor=fworld["official_here"], proposal=adopted, implementer=fworld.organisation, **plan()
        )
    assert error.value.code == "proposal_not_adopted"  # it is being implemented now
    fresh = make_proposal(title="另一条建议：修路")
    with pytest.raises(Conflict) as error:
        services.project_create(
            actor=fworld["official_here"], proposal=fresh, implementer=fworld.organisation, **plan()
        )
    assert error.value.code == "proposal_not_adopted"
    assert MicroProject.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title": " "}, "required", "title"),
        ({"budget_lines": []}, "budget_required", "budget_lines"),
        ({"budget_lines": [{"item": "灯", "amount": "10.005"}]}, "amount_precision", "budget_lines.0.amount"),
        ({"budget_lines": [{"item": "灯", "amount": "-5"}]}, "amount_negative", "budget_lines.0.amount"),
        ({"budget_lines": [{"item": "灯", "amount": "abc"}]}, "amount_invalid", "budget_lines.0.amount"),
        (  # each line fits, their sum would not fit the budget column
            {"budget_lines": [{"item": "灯", "amount": "999999999999"}, {"item": "线", "amount": "999999999999"}]},
            "amount_too_large",
            "budget_lines",
        ),
        ({"planned_end": "2020-01-01"}, "dates_reversed", "planned_end"),
        ({"planned_start": "tomorrow"}, "date_invalid", "planned_start"),
        ({"planned_start": "0001-01-01"}, "date_out_of_range", "planned_start"),
        ({"planned_end": "9999-12-31"}, "date_out_of_range", "planned_end"),
        (
            {"milestones": [{"title": "a", "due_on": "2099-01-01"}]},
            "milestone_outside_plan",
            "milestones.0.due_on",
        ),
    ],
)
def test_bad_plans_are_refused_with_the_field_named_and_nothing_written(fworld, changes, code, field):
    with pytest.raises(InvalidInput) as error:
        services.project_create(
            actor=fworld["official_here"], area=fworld["C1"], implementer=fworld.organisation, **plan(**changes)
        )
    assert (error.value.code, error.value.field) == (code, field)
    assert not MicroProject.objects.exists() and not LedgerEntry.objects.exists()


def test_only_officials_of_the_area_create_projects(fworld):
    for who in ("resident", "representative", "official_elsewhere", "organiser_here"):
        with pytest.raises(NotAllowed):
            services.project_create(actor=fworld[who], area=fworld["C1"], implementer=fworld.organisation, **plan())
    project = services.project_create(
        actor=fworld["official_city"], area=fworld["C1"], implementer=fworld.organisation, **plan()
    )
    assert project.proposal is None and project.state == ProjectState.PLANNED


def test_the_state_machine_goes_through_inspection_and_rework(fworld, project):
    w = fworld
    with pytest.raises(NotAllowed):
        services.project_start(actor=w["resident"], project=project)
    services.project_start(actor=w["representative"], project=project)
    with pytest.raises(Conflict):
        services.project_start(actor=w["representative"], project=project)
    services.project_report_completion(actor=w["representative"], project=project, report="完工", files=[photo()])
    assert Notification.objects.filter(recipient=w["official_here"], kind="project.inspection_due").exists()
    with pytest.raises(InvalidInput) as error:
        services.inspection_record(
            actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost="1", result="rework"
        )
    assert error.value.code == "defects_required"
    services.inspection_record(
        actor=w["official_here"],
        project=project,
        checklist=CHECKLIST,
        verified_cost="",
        result="rework",
        defects="4 楼灯不亮",
    )
    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS and project.rework_count == 1
    services.project_report_completion(actor=w["representative"], project=project, report="4 楼已修好")
    inspection = services.inspection_record(
        actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost="118000", result="accepted"
    )
    project.refresh_from_db()
    assert project.state == ProjectState.ACCEPTED and inspection.score == Decimal("87.50")
    assert ProjectPhoto.objects.filter(project=project).count() == 1


def test_an_inspector_cannot_inspect_their_own_organisations_project(fworld, project):
    complete(fworld, project)
    Membership.objects.create(organisation=fworld.organisation, user=fworld["official_here"], role="member")
    with pytest.raises(NotAllowed) as error:
        services.inspection_record(
            actor=fworld["official_here"], project=project, checklist=CHECKLIST, verified_cost="1", result="accepted"
        )
    assert error.value.code == "inspects_own_organisation"
    assert not project.inspections.exists()


def test_a_score_above_its_maximum_is_refused(fworld, project):
    complete(fworld, project)
    with pytest.raises(InvalidInput) as error:
        services.inspection_record(
            actor=fworld["official_here"],
            project=project,
            result="accepted",
            verified_cost="1",
            checklist=[{"item": "亮度", "score": "11", "max": "10"}],
        )
    assert error.value.code == "score_above_max"


@pytest.mark.parametrize(
    ("checklist", "code", "field"),
    [
        ([{"item": "亮度", "score": 0, "max": 0}], "points_range", "checklist.0.max"),  # not read as "no maximum"
        ([{"item": "亮度", "score": "-1", "max": "10"}], "points_range", "checklist.0.score"),
        ([{"item": "亮度", "score": "8.125", "max": "10"}], "points_precision", "checklist.0.score"),
        ([{"item": "亮度", "score": "分", "max": "10"}], "not_a_number", "checklist.0.score"),
        ([{"item": f"第{i}项", "score": "1", "max": "1"} for i in range(51)], "too_many_items", "checklist"),
    ],
)
def test_a_checklist_without_a_real_maximum_or_without_end_is_refused(fworld, project, checklist, code, field):
    complete(fworld, project)
    with pytest.raises(InvalidInput) as error:
        services.inspection_record(
            actor=fworld["official_here"], project=project, result="accepted", verified_cost="1", checklist=checklist
        )
    assert (error.value.code, error.value.field) == (code, field)
    assert not project.inspections.exists()


def test_suspension_remembers_where_it_stopped_and_cancel_is_final(fworld, project):
    w = fworld
    services.project_start(actor=w["representative"], project=project)
    with pytest.raises(InvalidInput):
        services.project_suspend(actor=w["official_here"], project=project, reason="")
    services.project_suspend(actor=w["official_here"], project=project, reason="施工安全检查")
    project.refresh_from_db()
    assert project.state == ProjectState.SUSPENDED and project.suspended_from == ProjectState.IN_PROGRESS
    with pytest.raises(Conflict):
        services.progress_report(actor=w["representative"], project=project, text="继续", spend_to_date="1")
    services.project_resume(actor=w["official_here"], project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS
    services.project_cancel(actor=w["official_here"], project=project, reason="居民反对")
    with pytest.raises(Conflict):
        services.project_resume(actor=w["official_here"], project=project)


def test_co_funding_receipts_never_exceed_the_commitment(fworld, project):
    w = fworld
    commitment = services.commitment_add(
        actor=w["official_here"], project=project, source="enterprise", funder="云河照明公司", amount="20000"
    )
    services.receipt_record(actor=w["official_here"], commitment=commitment, amount="12000", reference="银行回单 001")
    with pytest.raises(InvalidInput) as error:
        services.receipt_record(actor=w["official_here"], commitment=commitment, amount="8000.01")
    assert error.value.code == "receipt_above_commitment"
    for bad, code in (("-1", "amount_negative"), ("1.001", "amount_precision"), ("0", "amount_zero")):
        with pytest.raises(InvalidInput) as error:
            services.receipt_record(actor=w["official_here"], commitment=commitment, amount=bad)
        assert error.value.code == code
    with pytest.raises(InvalidInput) as error:
        services.commitment_add(
            actor=w["official_here"], project=project, source="in_kind", funder="居民", amount="100"
        )
    assert error.value.code == "required"
    commitment.refresh_from_db()
    assert commitment.received == Decimal("12000.00")
    assert LedgerEntry.objects.filter(project=project, kind=EntryKind.RECEIPT).count() == 1
    money = project_selectors.co_funding(project)
    assert money["total"] == Decimal("38000.00")
    shares = {row["source"]: row["share"] for row in money["by_source"]}
    assert shares["enterprise"] == Decimal("20000") / Decimal("38000")
    with pytest.raises(NotAllowed):
        services.commitment_add(actor=w["representative"], project=project, source="enterprise", funder="x", amount="1")


def test_progress_reports_mark_milestones_and_overdue_ones_are_flagged_once(fworld, project):
    w = fworld
    services.project_start(actor=w["representative"], project=project)
    midpoint = project.milestones.get(is_midpoint=True)
    services.progress_report(
        actor=w["representative"],
        project=project,
        text="一半楼层完工",
        spend_to_date="60000",
        milestone=midpoint,
        files=[photo()],
    )
    assert "midpoint" in project_selectors.conditions_met(MicroProject.objects.get(pk=project.pk))
    with pytest.raises(Conflict):
        services.progress_report(
            actor=w["representative"], project=project, text="再报", spend_to_date="1", milestone=midpoint
        )
    first = project.milestones.get(is_midpoint=False)
    type(first).objects.filter(pk=first.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert list(project_selectors.overdue_milestones(w["official_here"])) == [first]
    assert not project_selectors.overdue_milestones(w["official_elsewhere"]).exists()
    assert services.notify_overdue_milestones() == 1
    assert services.notify_overdue_milestones() == 0  # idempotent
    assert Notification.objects.filter(recipient=w["official_here"], kind="project.milestone_overdue").count() == 1
    listed = selectors.projects.projects_in(w["C1"]).get(pk=project.pk)
    assert listed.overdue_milestones == 1


def test_a_damaged_photo_is_refused_and_nothing_is_written(fworld, project):
    services.project_start(actor=fworld["representative"], project=project)
    bad = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * 50, content_type="image/jpeg")
    with pytest.raises(InvalidInput):
        services.progress_report(
            actor=fworld["representative"], project=project, text="进展", spend_to_date="1", files=[bad]
        )
    assert not project.reports.exists()


def test_residents_rate_once_change_once_and_only_in_the_period(fworld, project):
    w = fworld
    with pytest.raises(Conflict) as error:
        services.rating_submit(user=w["resident"], project=project, level=5)
    assert error.value.code == "rating_closed"
    accept(w, project)
    with pytest.raises(NotAllowed):
        services.rating_submit(user=w["resident_elsewhere"], project=project, level=5)
    with pytest.raises(InvalidInput):
        services.rating_submit(user=w["resident"], project=project, level=6)
    services.rating_submit(user=w["resident"], project=project, level=2, comment="灯太暗")
    services.rating_submit(user=w["resident"], project=project, level=4)
    with pytest.raises(Conflict) as error:
        services.rating_submit(user=w["resident"], project=project, level=5)
    assert error.value.code == "rating_changed_already"
    assert SatisfactionRating.objects.get(user=w["resident"]).level == 4
    for level in (5, 3, 1):
        neighbour = UserFactory()
        verify(neighbour, w["c1b"])
        services.rating_submit(user=neighbour, project=project, level=level)
    summary = project_selectors.satisfaction(project)
    assert summary["total"] == 4 and summary["rate"] == Decimal("0.75") and summary["average"] == Decimal("3.25")
    end_rating(project)
    with pytest.raises(Conflict):
        services.rating_submit(user=UserFactory(), project=project, level=5)


def test_commitments_on_the_project_page_are_ordered_and_counted_in_fixed_queries(
    fworld, project, django_assert_max_num_queries
):
    for i in range(5):
        services.commitment_add(
            actor=fworld["official_here"], project=project, source="enterprise", funder=f"企业{i}", amount="100"
        )
    with django_assert_max_num_queries(8):
        detail = project_selectors.project_detail(project.pk)
        money = project_selectors.co_funding(detail)
        [list(r.photos.all()) for r in detail.reports.all()]
    assert len(money["commitments"]) == 7
    assert Commitment.objects.filter(project=project).count() == 7


def test_no_receipt_is_recorded_for_a_cancelled_project(fworld, project):
    commitment = project.commitments.get(source="residents")
    services.project_cancel(actor=fworld["official_here"], project=project, reason="居民反对")
    with pytest.raises(Conflict) as error:
        services.receipt_record(actor=fworld["official_here"], commitment=commitment, amount="100")
    assert error.value.code == "project_finished"
    assert not LedgerEntry.objects.filter(project=project, kind=EntryKind.RECEIPT).exists()


def test_a_suspended_project_is_neither_inspected_nor_rated(fworld, project):
    w = fworld
    complete(w, project)
    services.project_suspend(actor=w["official_here"], project=project, reason="材料待核")
    with pytest.raises(Conflict):
        services.inspection_record(
            actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost="1", result="accepted"
        )
    services.project_resume(actor=w["official_here"], project=project)
    services.inspection_record(
        actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost="1", result="accepted"
    )
    services.project_suspend(actor=w["official_here"], project=project, reason="居民投诉待查")
    with pytest.raises(Conflict) as error:
        services.rating_submit(user=w["resident"], project=project, level=5)
    assert error.value.code == "rating_closed"
    assert not project.inspections.exclude(result="accepted").exists() and not SatisfactionRating.objects.exists()
