"""Micro-project pages: the lists, the officials' desk and the creation form filled from a proposal, the
public project page (the whole chain, co-funding shares, overdue milestones, inspection, satisfaction),
and each action form on it, for the right people only."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from PIL import Image

from civic.models import Organisation, PagePart, TimelineEntry
from funding import services
from funding.models import (
    Commitment,
    Inspection,
    MicroProject,
    Milestone,
    ProgressReport,
    ProjectPhoto,
    ProjectState,
    Receipt,
    SatisfactionLevel,
    SatisfactionRating,
)
from tests.factories import UserFactory
from tests.world import verify

from ..conftest import plan

pytestmark = pytest.mark.django_db

CHECKLIST = [{"item": "灯具亮度", "score": "9", "max": "10"}, {"item": "线路安全", "score": "8.5", "max": "10"}]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english(client):
    """The assertions read the English pages (the Chinese ones are checked in the browser journey)."""
    client.cookies["lang"] = "en"  # as the language switch leaves it


@pytest.fixture(autouse=True)
def _confirmed(db, request):
    """The implementers offered are confirmed organisations serving the area."""
    if "fworld" in request.fixturenames:
        world = request.getfixturevalue("fworld")
        Organisation.objects.filter(pk=world.organisation.pk).update(confirmed_at=timezone.now())


def photo(name="site.jpg", colour="orange"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def html(response) -> str:
    return response.content.decode()


def login(client, world, who):
    if who != "visitor":
        client.force_login(world[who])
    return client


def start(w, project):
    return services.project_start(actor=w["representative"], project=project)


def complete(w, project):
    start(w, project)
    return services.project_report_completion(actor=w["representative"], project=project, report="全部灯具已更换。")


def accept(w, project):
    complete(w, project)
    services.inspection_record(
        actor=w["official_here"], project=project, checklist=CHECKLIST, verified_cost="118000.50", result="accepted"
    )
    project.refresh_from_db()
    return project


def direct_project(w, title="小区健身角", area="C1"):
    return services.project_create(
        actor=w["official_here" if area == "C1" else "official_city"],
        area=w[area],
        implementer=w.organisation,
        **plan(title=title, milestones=[]),
    )


def overdue(milestone_title="灯具到货"):
    Milestone.objects.filter(title=milestone_title).update(due_on=timezone.localdate() - timedelta(days=3))


def rows(prefix, data, extra=5):
    """A formset's POST fields: the given rows, then blank ones."""
    post = {f"{prefix}-TOTAL_FORMS": str(len(data) + extra), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(data):
        for key, value in row.items():
            post[f"{prefix}-{index}-{key}"] = value
    return post


def creation_post(w, lines=None, milestones=None, **changes):
    today = timezone.localdate()
    if lines is None:
        lines = [{"item": "LED 灯具", "amount": "80000"}, {"item": "线路检修", "amount": "40000"}]
    if milestones is None:
        milestones = [
            {"title": "一半楼层完工", "due_on": (today + timedelta(days=30)).isoformat(), "is_midpoint": "on"}
        ]
    data = {
        "title": "3 栋楼道灯更换",
        "scope": "更换 3 栋 1–6 层楼道灯。",
        "location": "3 栋",
        "implementer": str(w.organisation.pk),
        "planned_start": today.isoformat(),
        "planned_end": (today + timedelta(days=60)).isoformat(),
        **rows("budget_lines", lines),
        **rows("milestones", milestones),
    }
    data.update(changes)
    return data


# --- lists ------------------------------------------------------------------------------------------------


def test_the_lists_show_each_project_with_area_implementer_state_budget_and_an_overdue_flag(client, fworld, project):
    other = direct_project(fworld, title="甲网格花坛", area="c2a")
    overdue()
    page = html(client.get("/projects/"))
    assert "3 栋楼道灯更换" in page and "甲网格花坛" in page
    row = re.search(rf'<tr id="project-{project.pk}">.*?</tr>', page, re.S).group(0)
    assert "一社区" in row and "一社区服务中心" in row and "¥120,000.00" in row
    assert "badge-late" in row  # one milestone past its date
    other_row = re.search(rf'<tr id="project-{other.pk}">.*?</tr>', page, re.S).group(0)
    assert "badge-late" not in other_row
    # an area shows its own projects and those below it, not its neighbours'
    district = html(client.get("/areas/7701/projects/"))
    assert "3 栋楼道灯更换" in district and "甲网格花坛" not in district
    assert "甲网格花坛" in html(client.get("/areas/7702/projects/"))
    assert client.get("/areas/nowhere/projects/").status_code == 404
    # by state
    assert "3 栋楼道灯更换" in html(client.get("/projects/?state=planned"))
    assert "3 栋楼道灯更换" not in html(client.get("/projects/?state=closed"))
    # nobody but officials is offered the creation desk
    assert "/projects/new/" not in page
    client.force_login(fworld["official_here"])
    assert "/projects/new/" in html(client.get("/projects/"))


def test_the_list_pages_and_costs_the_same_queries_whatever_the_number_of_projects(
    client, fworld, django_assert_max_num_queries
):
    direct_project(fworld, title="项目-起")
    client.get("/projects/")
    PagePart.objects.all().delete()  # the cost of rendering the page, not of serving it kept
    with CaptureQueriesContext(connection) as few:
        client.get("/projects/")
    for i in range(22):
        direct_project(fworld, title=f"项目{i:02d}")
    overdue()
    PagePart.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = html(client.get("/projects/"))
    assert "项目21" in first and "项目-起" not in first
    assert "项目-起" in html(client.get("/projects/?page=2"))


# --- the officials' desk and creation --------------------------------------------------------------------


def test_the_desk_lists_adopted_proposals_without_a_project_for_officials_only(client, fworld, adopted):
    assert client.get("/projects/new/").status_code == 302  # visitors log in first
    login(client, fworld, "resident")
    assert client.get("/projects/new/").status_code == 403
    client.force_login(fworld["official_elsewhere"])
    assert adopted.title not in html(client.get("/projects/new/"))
    client.force_login(fworld["official_here"])
    page = html(client.get("/projects/new/"))
    assert adopted.title in page and f"/proposals/{adopted.pk}/project/new/" in page
    assert client.get(f"/projects/new/?proposal={adopted.pk}").url == f"/proposals/{adopted.pk}/project/new/"


def test_the_creation_form_is_filled_from_the_proposal_and_creates_the_project_with_its_pledges(
    client, fworld, adopted
):
    url = f"/proposals/{adopted.pk}/project/new/"
    login(client, fworld, "resident")
    assert client.get(url).status_code == 403
    client.force_login(fworld["official_here"])
    page = html(client.get(url))
    assert 'value="楼道灯长期不亮"' in page  # the title
    assert "3 栋楼道灯坏了两个月" in page  # the scope from the proposal's text
    assert 'name="budget_lines-0-amount"' in page and 'value="120000' in page  # estimated cost as a budget line
    assert 'name="budget_lines-5-item"' in page  # blank rows to add lines
    assert "志愿者清运建筑垃圾" in page and "¥15,000.00" in page and "¥18,000.00" in page  # pledges carried over
    assert fworld.organisation.name in page  # an implementer serving the area
    post = creation_post(fworld, title="楼道灯长期不亮")
    response = client.post(url, post)
    project = MicroProject.objects.get(proposal=adopted)
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/"
    assert project.budget == Decimal("120000.00") and project.milestones.get().is_midpoint
    assert sorted(c.amount for c in project.commitments.all()) == [Decimal("3000.00"), Decimal("15000.00")]
    # a second visit goes to the project rather than making another
    assert client.get(url).url == f"/projects/{project.pk}/"


def test_bad_rows_are_shown_on_their_row_and_nothing_is_written(client, fworld, adopted):
    client.force_login(fworld["official_here"])
    url = f"/proposals/{adopted.pk}/project/new/"
    today = timezone.localdate()
    post = creation_post(fworld, lines=[{"item": "LED 灯具", "amount": "80000"}, {"item": "", "amount": "5"}])
    response = client.post(url, post)
    assert response.status_code == 400
    page = html(response)
    row = re.search(r"<tr class=\"has-error\">.*?</tr>", page, re.S).group(0)
    assert 'name="budget_lines-1-item"' in row and "errorlist" in row  # the line without an item, not another
    late = (today + timedelta(days=400)).isoformat()
    response = client.post(url, creation_post(fworld, milestones=[{"title": "完工", "due_on": late}]))
    row = re.search(r"<tr class=\"has-error\">.*?</tr>", html(response), re.S).group(0)
    assert 'name="milestones-0-due_on"' in row and "errorlist" in row
    response = client.post(url, creation_post(fworld, lines=[{"item": "灯", "amount": "1.234"}]))
    assert response.status_code == 400 and "has-error" in html(response)
    response = client.post(url, creation_post(fworld, lines=[]))
    assert "message-error" in html(response)  # no budget line at all: said above the rows
    assert not MicroProject.objects.exists() and not Commitment.objects.exists()


def test_an_official_creates_a_project_directly_in_an_area_of_theirs(client, fworld):
    client.force_login(fworld["official_here"])
    page = html(client.get("/projects/new/?area=7701001001"))
    assert 'value="7701001001" selected' in page and fworld.organisation.name in page
    response = client.post("/projects/new/?area=7701001001", creation_post(fworld, title="健身角"))
    project = MicroProject.objects.get(title="健身角")
    assert response.url == project.get_absolute_url() and project.area == fworld["C1"] and project.proposal is None
    # an area outside theirs is not offered
    assert 'value="7702"' not in html(client.get("/projects/new/?area=7702"))


# --- the public project page -------------------------------------------------------------------------------


def test_everyone_sees_the_whole_chain_the_shares_and_the_overdue_milestone(client, fworld, adopted, project):
    overdue()
    page = html(client.get(f"/projects/{project.pk}/"))
    assert "3 栋楼道灯更换" in page and "一社区服务中心" in page and "¥120,000.00" in page
    assert f'href="/proposals/{adopted.pk}/"' in page
    # one timeline: the proposal's lines and the project's, the shared line once
    timeline = page[page.index('id="timeline"') :]
    proposal_lines = TimelineEntry.objects.filter(subject_id=adopted.pk, verb__startswith="proposal.").count()
    assert proposal_lines >= 2  # published, then in implementation
    assert timeline.count('<li class="chain-proposal"') == proposal_lines
    assert timeline.count('<li class="chain-project"') == 1
    assert timeline.count("created, carried out by") == 1
    # who pays what share: 15,000 of 18,000 from residents, 3,000 in kind
    shares = page[page.index('id="co-funding"') : page.index('id="milestones"')]
    assert "83.33%" in shares and "16.67%" in shares and "¥18,000.00" in shares and "resident" in shares
    assert "OVERDUE" in page
    # the five satisfaction levels are always listed
    with translation.override("en"):
        labels = [str(level.label) for level in SatisfactionLevel]
    satisfaction = page[page.index('id="satisfaction"') : page.index('id="timeline"')]
    assert all(label in satisfaction for label in labels)
    assert satisfaction.count('class="progress"') == 5
    # no action forms for a visitor
    for name in ("start", "progress", "commitment", "receipt", "inspection", "suspend", "cancel", "rating"):
        assert f'id="form-{name}"' not in page
    assert client.get("/projects/999999/").status_code == 404


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("resident", set(), {"start", "milestone", "commitment", "suspend", "cancel"}),
        ("official_elsewhere", set(), {"start", "milestone", "commitment", "suspend"}),
        ("representative", {"start", "milestone"}, {"commitment", "receipt", "suspend", "cancel"}),
        ("official_here", {"start", "milestone", "commitment", "receipt", "suspend", "cancel"}, set()),
    ],
)
def test_each_form_is_shown_only_to_who_may_use_it(client, fworld, project, who, shown, hidden):
    login(client, fworld, who)
    page = html(client.get(f"/projects/{project.pk}/"))
    for name in shown:
        assert f'id="form-{name}"' in page, name
    for name in hidden:
        assert f'id="form-{name}"' not in page, name


def test_posting_an_action_without_the_right_is_refused_and_nothing_changes(client, fworld, project):
    url = f"/projects/{project.pk}/start/"
    assert client.post(url).status_code == 302  # to the login page
    login(client, fworld, "resident")
    assert client.post(url).status_code == 403
    assert (
        client.post(
            f"/projects/{project.pk}/commitments/", {"source": "enterprise", "funder": "x", "amount": "1"}
        ).status_code
        == 403
    )
    client.force_login(fworld["representative"])
    assert client.post(f"/projects/{project.pk}/suspend/", {"suspend-reason": "停"}).status_code == 403
    project.refresh_from_db()
    assert project.state == ProjectState.PLANNED and project.commitments.count() == 2


# --- the action forms ------------------------------------------------------------------------------------------


def test_start_then_a_second_start_is_refused_with_a_clear_message(client, fworld, project):
    client.force_login(fworld["representative"])
    response = client.post(f"/projects/{project.pk}/start/")
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/"
    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS
    assert "Work has started." in html(client.get(response.url))
    response = client.post(f"/projects/{project.pk}/start/")
    assert response.status_code == 409 and "message-error" in html(response)


def test_a_progress_report_with_photos_reaches_a_milestone_and_a_bad_one_writes_nothing(client, fworld, project):
    start(fworld, project)
    client.force_login(fworld["representative"])
    milestone = project.milestones.get(is_midpoint=True)
    url = f"/projects/{project.pk}/progress/"
    bad = client.post(url, {"text": "进展", "spend_to_date": "-5", "reported_on": timezone.localdate().isoformat()})
    assert bad.status_code == 400 and 'id="form-progress" open' in html(bad) and "errorlist" in html(bad)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.post(url, {"text": "进展", "spend_to_date": "5", "reported_on": future, "photos": [photo()]})
    assert bad.status_code == 400 and "future" in html(bad)
    assert not ProgressReport.objects.exists() and not ProjectPhoto.objects.exists()
    response = client.post(
        url,
        {
            "text": "一半楼层已完工",
            "spend_to_date": "52000.50",
            "reported_on": timezone.localdate().isoformat(),
            "milestone": str(milestone.pk),
            "photos": [photo("a.jpg"), photo("b.jpg", "blue")],
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.reached_at is not None
    page = html(client.get(f"/projects/{project.pk}/"))
    assert "一半楼层已完工" in page and "¥52,000.50" in page
    thumbs = re.findall(r'<a href="(/media/projects/[^"]+)"><img src="\1"', page)
    assert len(thumbs) == 2  # thumbnails linking to the image


def test_a_damaged_photo_is_refused_on_the_photo_field(client, fworld, project):
    start(fworld, project)
    client.force_login(fworld["representative"])
    broken = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * 50, content_type="image/jpeg")
    response = client.post(
        f"/projects/{project.pk}/progress/",
        {"text": "进展", "spend_to_date": "1", "reported_on": timezone.localdate().isoformat(), "photos": [broken]},
    )
    assert response.status_code == 400
    field = re.search(r'<div class="field has-error">.*?</div>', html(response), re.S).group(0)
    assert 'name="photos"' in field
    assert not ProgressReport.objects.exists()


def test_completion_is_reported_with_photos_and_an_empty_report_is_refused(client, fworld, project):
    start(fworld, project)
    client.force_login(fworld["representative"])
    url = f"/projects/{project.pk}/completion/"
    assert client.post(url, {"report": "  "}).status_code == 400
    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS
    assert client.post(url, {"report": "全部灯具已更换", "photos": [photo()]}).status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.COMPLETED and ProjectPhoto.objects.filter(project=project).count() == 1


def test_a_milestone_is_added_and_one_outside_the_plan_is_refused_on_its_date(client, fworld, project):
    client.force_login(fworld["representative"])
    url = f"/projects/{project.pk}/milestones/"
    late = (project.planned_end + timedelta(days=1)).isoformat()
    bad = client.post(url, {"title": "验收准备", "due_on": late})
    assert bad.status_code == 400
    field = re.search(r'<div class="field has-error">.*?</div>', html(bad), re.S).group(0)
    assert 'name="due_on"' in field
    assert project.milestones.count() == 2
    good = client.post(url, {"title": "验收准备", "due_on": project.planned_end.isoformat()})
    assert good.status_code == 302 and project.milestones.count() == 3


def test_an_official_records_a_commitment_and_a_receipt_and_bad_amounts_write_nothing(client, fworld, project):
    client.force_login(fworld["official_here"])
    url = f"/projects/{project.pk}/commitments/"
    bad = client.post(url, {"source": "in_kind", "funder": "某建材公司", "amount": "2000", "description": ""})
    assert bad.status_code == 400
    field = re.search(r'<div class="field has-error">.*?</div>', html(bad), re.S).group(0)
    assert 'name="description"' in field
    assert client.post(url, {"source": "enterprise", "funder": "某公司", "amount": "-1"}).status_code == 400
    assert project.commitments.count() == 2
    assert client.post(url, {"source": "enterprise", "funder": "某建材公司", "amount": "20000"}).status_code == 302
    commitment = project.commitments.get(funder="某建材公司")
    page = html(client.get(f"/projects/{project.pk}/"))
    assert "某建材公司" in page and "52.63%" in page  # 20,000 of 38,000
    url = f"/projects/{project.pk}/receipts/"
    today = timezone.localdate().isoformat()
    bad = client.post(url, {"commitment": str(commitment.pk), "amount": "20000.01", "received_on": today})
    assert bad.status_code == 400 and "¥20,000.00" in html(bad)
    assert not Receipt.objects.exists()
    assert (
        client.post(url, {"commitment": str(commitment.pk), "amount": "5000", "received_on": today}).status_code == 302
    )
    commitment.refresh_from_db()
    assert commitment.received == Decimal("5000.00")


def test_an_official_signs_the_inspection_and_a_score_above_its_maximum_is_shown_on_its_row(client, fworld, project):
    complete(fworld, project)
    client.force_login(fworld["representative"])
    assert 'id="form-inspection"' not in html(client.get(f"/projects/{project.pk}/"))
    client.force_login(fworld["official_here"])
    assert 'id="form-inspection"' in html(client.get(f"/projects/{project.pk}/"))
    url = f"/projects/{project.pk}/inspection/"
    post = {
        "result": "accepted",
        "verified_cost": "118000.50",
        "invoices": "发票 12 张",
        "remarks": "质量良好",
        "defects": "",
        **rows(
            "checklist",
            [{"item": "灯具亮度", "score": "9", "max": "10"}, {"item": "线路安全", "score": "12", "max": "10"}],
        ),
    }
    bad = client.post(url, post)
    assert bad.status_code == 400
    row = re.search(r"<tr class=\"has-error\">.*?</tr>", html(bad), re.S).group(0)
    assert 'name="checklist-1-score"' in row
    assert not Inspection.objects.exists()
    post["checklist-1-score"] = "8.5"
    response = client.post(url, {**post, "photos": [photo()]})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.ACCEPTED
    page = html(client.get(f"/projects/{project.pk}/"))
    inspection = page[page.index('id="inspection"') : page.index('id="satisfaction"')]
    assert "87.5" in inspection and "¥118,000.50" in inspection and "official_here" in inspection
    assert "质量良好" in inspection and "发票 12 张" in inspection and "/media/projects/" in inspection


def test_suspend_resume_and_cancel_need_a_reason(client, fworld, project):
    client.force_login(fworld["official_here"])
    assert client.post(f"/projects/{project.pk}/suspend/", {"suspend-reason": ""}).status_code == 400
    project.refresh_from_db()
    assert project.state == ProjectState.PLANNED
    assert client.post(f"/projects/{project.pk}/suspend/", {"suspend-reason": "施工许可待批"}).status_code == 302
    page = html(client.get(f"/projects/{project.pk}/"))
    assert "施工许可待批" in page and 'id="form-resume"' in page
    assert client.post(f"/projects/{project.pk}/resume/").status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.PLANNED
    assert client.post(f"/projects/{project.pk}/cancel/", {"cancel-reason": " "}).status_code == 400
    assert client.post(f"/projects/{project.pk}/cancel/", {"cancel-reason": "居民另有方案"}).status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.CANCELLED


def test_cancel_is_offered_only_where_the_state_table_allows_it(client, fworld, project):
    """Completed and accepted work can be suspended but not cancelled: no form that can only be refused."""
    client.force_login(fworld["official_here"])
    page = html(client.get(f"/projects/{project.pk}/"))
    assert 'id="form-cancel"' in page and 'id="form-suspend"' in page
    complete(fworld, project)
    page = html(client.get(f"/projects/{project.pk}/"))
    assert 'id="form-cancel"' not in page and 'id="form-suspend"' in page
    assert client.post(f"/projects/{project.pk}/cancel/", {"cancel-reason": "不做了"}).status_code == 409
    project.refresh_from_db()
    assert project.state == ProjectState.COMPLETED
    services.inspection_record(
        actor=fworld["official_here"], project=project, checklist=CHECKLIST, verified_cost="118000", result="accepted"
    )
    page = html(client.get(f"/projects/{project.pk}/"))
    assert 'id="form-cancel"' not in page and 'id="form-suspend"' in page and 'id="form-close"' in page


def test_a_commitment_or_milestone_of_another_project_is_refused_on_its_field(client, fworld, project):
    other = direct_project(fworld, title="另一个项目")
    foreign = services.commitment_add(
        actor=fworld["official_here"], project=other, source="enterprise", funder="别家", amount="100"
    )
    Milestone.objects.create(project=other, position=0, title="别家的节点", due_on=other.planned_end)
    client.force_login(fworld["official_here"])
    today = timezone.localdate().isoformat()
    url = f"/projects/{project.pk}/receipts/"
    for commitment in (str(foreign.pk), "abc", ""):
        bad = client.post(url, {"commitment": commitment, "amount": "5", "received_on": today})
        assert bad.status_code == 400 and 'id="form-receipt" open' in html(bad), commitment
    assert not Receipt.objects.exists()
    start(fworld, project)
    url = f"/projects/{project.pk}/progress/"
    for milestone in (str(other.milestones.get().pk), "x1"):
        bad = client.post(url, {"text": "进展", "spend_to_date": "1", "reported_on": today, "milestone": milestone})
        assert bad.status_code == 400 and 'id="form-progress" open' in html(bad), milestone
    assert not ProgressReport.objects.exists() and not other.milestones.filter(reached_at__isnull=False).exists()


def test_close_is_refused_before_acceptance_and_works_after(client, fworld, project):
    client.force_login(fworld["official_here"])
    response = client.post(f"/projects/{project.pk}/close/")
    assert response.status_code == 409 and "message-error" in html(response)
    accept(fworld, project)
    assert 'id="form-close"' in html(client.get(f"/projects/{project.pk}/"))
    assert client.post(f"/projects/{project.pk}/close/").status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.CLOSED


def test_a_resident_rates_once_may_change_it_once_and_sees_the_distribution(client, fworld, project):
    accept(fworld, project)
    url = f"/projects/{project.pk}/rating/"
    client.force_login(fworld["resident_elsewhere"])
    assert 'id="form-rating"' not in html(client.get(f"/projects/{project.pk}/"))
    refused = client.post(url, {"level": "5"})
    assert refused.status_code == 403 and not SatisfactionRating.objects.exists()
    client.force_login(fworld["resident"])
    page = html(client.get(f"/projects/{project.pk}/"))
    assert 'id="form-rating"' in page and 'type="radio"' in page and "once" in page
    assert client.post(url, {"level": "9"}).status_code == 400
    assert not SatisfactionRating.objects.exists()
    assert client.post(url, {"level": "2", "comment": "灯光偏暗"}).status_code == 302
    assert client.post(url, {"level": "4"}).status_code == 302  # changed once
    rating = SatisfactionRating.objects.get()
    assert rating.level == 4 and rating.changed_at is not None
    page = html(client.get(f"/projects/{project.pk}/"))
    assert 'id="form-rating"' not in page  # no second change
    satisfaction = page[page.index('id="satisfaction"') : page.index('id="timeline"')]
    assert "100%" in satisfaction and "4.00" in satisfaction and 'class="bar w100"' in satisfaction
    assert client.post(url, {"level": "5"}).status_code == 409


# --- bounded queries ---------------------------------------------------------------------------------------


def test_the_project_page_costs_the_same_queries_however_many_reports_photos_and_ratings(
    client, fworld, project, django_assert_max_num_queries
):
    start(fworld, project)
    services.progress_report(
        actor=fworld["representative"], project=project, text="开工", spend_to_date="100", files=[photo()]
    )
    services.project_report_completion(actor=fworld["representative"], project=project, report="完工")
    services.inspection_record(
        actor=fworld["official_here"],
        project=project,
        checklist=CHECKLIST,
        verified_cost="118000",
        result="accepted",
        files=[photo()],
    )
    services.rating_submit(user=fworld["resident"], project=project, level=5)
    for who in ("official_here", "resident", "visitor"):
        client.logout()
        login(client, fworld, who)
        client.get(f"/projects/{project.pk}/")
        PagePart.objects.all().delete()  # the cost of rendering the page (a visitor's is kept otherwise)
        with CaptureQueriesContext(connection) as few:
            assert client.get(f"/projects/{project.pk}/").status_code == 200
        project_obj = MicroProject.objects.get(pk=project.pk)
        for i in range(4):
            report = ProgressReport.objects.create(
                project=project_obj, author=fworld["representative"], text=f"进展{who}{i}", spend_to_date=Decimal(i)
            )
            for _j in range(3):
                ProjectPhoto.objects.create(project=project_obj, report=report, image=photo())
            user = UserFactory()
            verify(user, fworld["c1a"])
            SatisfactionRating.objects.create(project=project_obj, user=user, level=1 + i % 5)
        services.commitment_add(
            actor=fworld["official_here"], project=project, source="enterprise", funder=f"企业{who}", amount="100"
        )
        PagePart.objects.all().delete()
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(f"/projects/{project.pk}/").status_code == 200
