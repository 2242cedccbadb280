"""The world of the open-data tests (files, API and page)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civic.models import OutcomeNotice, ResidencyVerification
from funding.models import (
    Inspection,
    SatisfactionRating,
    SubsidyPolicy,
)
from proposals.models import OfficialAnswer
from tests.factories import UserFactory
from tests.scorecard.opendata.world import (
    SECRET_ADDRESS,
    SECRET_EMAIL,
    SECRET_PHONE,
    add_award_and_ledger,
    add_ballot,
    add_consultation,
    add_project,
    add_proposal,
    add_reports,
    add_session,
)


@pytest.fixture
def odworld(pworld):
    w = pworld
    secret = UserFactory(email=SECRET_EMAIL, display_name="", phone=SECRET_PHONE)
    ResidencyVerification.objects.create(
        user=secret,
        cell=w["c1a"],
        address=SECRET_ADDRESS,
        status="approved",
        decided_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=365),
    )
    w.secret = secret
    # proposals: one public by the secret person, a draft, a hidden one, one in the other district
    w.here = add_proposal(w["C1"], secret, "一社区楼道灯长期不亮")
    w.draft = add_proposal(w["C1"], secret, "草稿不公开", state="draft", published_at=None)
    w.hidden = add_proposal(w["C1"], secret, "被隐藏的建议", is_hidden=True)
    w.there = add_proposal(w["C2"], w["resident_elsewhere"], "二社区路面破损")
    for proposal in (w.here, w.hidden, w.there):
        OfficialAnswer.objects.create(
            proposal=proposal,
            official=w["official_here"],
            status="accepted",
            reason=f"答复：{proposal.title}",
            working_days_taken=3,
            on_time=True,
        )
    # sessions: a public decision here, a closed-door one here, a public one elsewhere
    add_session(w["C1"], w["official_here"], title="一社区例会", proposal=w.here)
    add_session(w["C1"], w["official_here"], title="闭门会议", public=False)
    add_session(w["C2"], w["official_elsewhere"], title="二社区例会", adopted=False)
    # ballots: counted here, a draft here, counted elsewhere
    w.box = add_ballot(w["S1"], "一街道预算")
    add_ballot(w["C1"], "未公布的投票", state="draft")
    add_ballot(w["S2"], "二街道预算")
    # projects, inspections, ratings, awards, ledger, notices
    policy = SubsidyPolicy.objects.create(area=w["D1"], version=1, share=Decimal("0.3"), created_by=w["official_here"])
    w.project = add_project(w, w["C1"], "一社区楼道灯更换", proposal=w.here)
    w.project_there = add_project(w, w["C2"], "二社区路面修补")
    Inspection.objects.create(
        project=w.project,
        inspector=w["official_here"],
        score=Decimal("80"),
        verified_cost=Decimal("100000"),
        result="rework",
        defects="返工",
        signed_at=timezone.now() - timedelta(days=5),
    )
    Inspection.objects.create(
        project=w.project,
        inspector=w["official_here"],
        score=Decimal("92.5"),
        verified_cost=Decimal("116500"),
        result="accepted",
    )
    for level, person in zip([5, 4, 2], [secret, w["resident"], w["member"]], strict=True):
        SatisfactionRating.objects.create(project=w.project, user=person, level=level, comment=SECRET_ADDRESS)
    w.award = add_award_and_ledger(w, w.project, policy, w["D1"])
    add_award_and_ledger(w, w.project_there, policy, w["D2"])
    for area, title in ((w["C1"], "一社区奖补公示"), (w["C2"], "二社区奖补公示")):
        OutcomeNotice.objects.create(
            area=area,
            area_path=area.path,
            kind="award",
            title=title,
            body="公示内容",
            decided_at=timezone.now() - timedelta(days=1),
            published_by=w["official_here"],
        )
    # consultations: one here with an opinion, one elsewhere
    add_consultation(w["D1"], w["official_here"], "一区背街小巷整治方案", opinions=[("路灯要补", w["resident"])])
    add_consultation(
        w["C2"], w["official_elsewhere"], "二社区居民公约", opinions=[("二社区：赞成", w["resident_elsewhere"])]
    )
    w.lamp, w.report = add_reports(w, secret)
    return w
