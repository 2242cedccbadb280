"""From small matters to proposals: a category recurring in a grid cell (5 reports within 90 days by
default) is suggested to the organisers; turning it into a proposal publishes one that cites the reports,
tells their reporters (who then follow it), and the suggestion is gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import ReportState
from civic.errors import Conflict, NotAllowed
from civic.models import Notification, TimelineEntry
from proposals import selectors, services
from proposals.models import Category, Follow, ProposalReport
from tests.casework.factories import make_category, make_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recurring(world):
    w = world
    lamp = make_category(w["D1"], created_by=w["official_here"])
    drain = make_category(w["D1"], key="drain", name="下水道堵塞", created_by=w["official_here"])
    now = timezone.now()
    w.reporters = [UserFactory() for _ in range(4)]
    reporters = [*w.reporters, w.reporters[0]]  # one person reported twice
    w.reports = [
        make_report(w["c1a"], lamp, state="closed", reporter=person, submitted_at=now - timedelta(days=10 * i + 1))
        for i, person in enumerate(reporters)
    ]
    make_report(w["c1a"], lamp, state=ReportState.WITHDRAWN, submitted_at=now - timedelta(days=2))  # left out
    make_report(w["c1a"], lamp, submitted_at=now - timedelta(days=100))  # too long ago
    for i in range(4):  # four only: not yet recurring
        make_report(w["c1b"], drain, submitted_at=now - timedelta(days=i + 1))
    w.category = Category.objects.create(name="市政设施")
    return w


def test_a_category_recurring_in_a_cell_is_suggested(recurring, django_assert_num_queries):
    w = recurring
    with django_assert_num_queries(2):
        found = selectors.report_suggestions(w["S1"])
    assert [(s.cell_code, s.category_key, s.reports) for s in found] == [(w["c1a"].code, "lamp", 5)]
    assert found[0].category_name == "路灯不亮"
    assert selectors.report_suggestions(w["C2"]) == []


def test_turning_it_into_a_proposal_links_the_reports_and_tells_the_reporters(recurring):
    w = recurring
    proposal = services.proposal_from_reports(
        actor=w["organiser_here"],
        cell=w["c1a"],
        category_key="lamp",
        title="一网格路灯反复损坏",
        body="一网格的路灯三个月内坏了五次，建议整体更换线路。",
        category=w.category,
    )
    assert proposal.state == "published" and proposal.area == w["C1"] and proposal.location == "一网格"
    assert set(ProposalReport.objects.filter(proposal=proposal).values_list("report_id", flat=True)) == {
        r.pk for r in w.reports
    }
    told = Notification.objects.filter(kind="proposal.from_reports")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(p.pk for p in w.reporters)  # once each
    assert set(Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True)) >= {
        p.pk for p in w.reporters
    }
    assert TimelineEntry.objects.filter(verb="proposal.from_reports", subject_id=proposal.pk).count() == 1
    assert selectors.report_suggestions(w["S1"]) == []
    with pytest.raises(Conflict):  # the same reports a second time
        services.proposal_from_reports(
            actor=w["official_here"], cell=w["c1a"], category_key="lamp", title="再来一次的建议",
            body="同样的问题再提一次建议。", category=w.category,
        )  # fmt: skip


@pytest.mark.parametrize("role", ["resident", "organiser_elsewhere", "official_elsewhere", "representative"])
def test_only_organisers_and_officials_of_the_area_may(recurring, role):
    w = recurring
    with pytest.raises(NotAllowed):
        services.proposal_from_reports(
            actor=w[role], cell=w["c1a"], category_key="lamp", title="一网格路灯反复损坏",
            body="一网格的路灯三个月内坏了五次。", category=w.category,
        )  # fmt: skip
    assert not ProposalReport.objects.exists()


def test_the_page_shows_the_suggestion_and_publishes_the_proposal(client, recurring):
    w = recurring
    url = f"/proposals/from-reports/{w['S1'].code}/"
    client.force_login(w["resident"])
    assert client.get(url).status_code == 403
    client.force_login(w["organiser_here"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "一网格 · 路灯不亮" in html and w["c1a"].code in html
    assert "一网格" in html and "c1b" not in html
    response = client.post(
        url,
        {"cell": w["c1a"].code, "category_key": "lamp", "title": "一网格路灯反复损坏",
         "body": "一网格的路灯三个月内坏了五次，建议整体更换线路。", "category": w.category.pk},
    )  # fmt: skip
    link = ProposalReport.objects.select_related("proposal").first()
    assert response.status_code == 302 and response["Location"] == link.proposal.get_absolute_url()
    assert "下水道" not in client.get(url).content.decode()  # four drains: not suggested
    bad = client.post(url, {"cell": w["c1a"].code, "category_key": "lamp", "title": "", "body": "",
                            "category": w.category.pk})  # fmt: skip
    assert bad.status_code == 200
