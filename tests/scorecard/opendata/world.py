"""A small world for the open-data tests, with one record of each kind here (district 7701) and one elsewhere
(7702), and readers for the downloads."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from civic.models import OutcomeNotice
from deliberation.models import AgendaItem, BallotBox, BallotOption, Council, Session, SessionRecord
from funding.models import (
    Inspection,
    LedgerEntry,
    MicroProject,
    SatisfactionRating,
    SubsidyAward,
    SubsidyPolicy,
)
from proposals.models import Category, OfficialAnswer, Proposal
from scorecard import opendata

SECRET_EMAIL = "wang.secret.person@example.org"
SECRET_PHONE = "13912345678"
SECRET_ADDRESS = "秘密路 99 号 3 单元"
DATASETS = list(opendata.DATASETS)


def add_proposal(area, author, title, **extra):
    category, _ = Category.objects.get_or_create(name="照明品质提升")
    data = {
        "state": "published",
        "published_at": timezone.now() - timedelta(days=3),
        "collection_deadline": timezone.now() + timedelta(days=27),
        "response_due": timezone.localdate() + timedelta(days=20),
        "endorsement_count": 4,
        "threshold": 3,
        "estimated_cost": Decimal("12000.5"),
    }
    data.update(extra)
    return Proposal.objects.create(
        title=title, body="正文", category=category, area=area, area_path=area.path, author=author, **data
    )


def add_session(area, chair, *, public=True, title="议事会例会", proposal=None, adopted=True, seq=1):
    council, _ = Council.objects.get_or_create(area=area, defaults={"name": f"{area.name}议事会"})
    session = Session.objects.create(
        council=council, title=title, starts_at=timezone.now() - timedelta(days=1), chair=chair, public=public
    )
    AgendaItem.objects.create(session=session, position=0, title="楼道灯更换", proposal=proposal)
    SessionRecord.objects.create(
        session=session,
        seq=seq,
        kind="event",
        payload={
            "type": "result_announced",
            "motion": 1,
            "kind": "main",
            "adopted": adopted,
            "text": f"同意{title}",
            "item": 0,
            "yes": 7,
            "no": 2,
            "abstain": 1,
            "present": 10,
            "threshold": "majority_cast",
        },
    )
    SessionRecord.objects.create(session=session, seq=seq + 1, kind="event", payload={"type": "vote_opened"})
    return session


def add_ballot(area, title, *, state="tallied", options=2):
    box = BallotBox.objects.create(
        area=area,
        area_path=area.path,
        kind="budget",
        title=title,
        state=state,
        budget=Decimal("100000"),
        turnout=12,
        eligible_count=40,
        tallied_at=timezone.now() if state == "tallied" else None,
        closes_at=timezone.now() - timedelta(hours=1),
    )
    result_options = []
    for i in range(options):
        BallotOption.objects.create(
            box=box, title=f"{title}项目{i + 1}", cost=Decimal("40000"), project_id=str(i + 1), position=i
        )
        result_options.append({"project_id": str(i + 1), "votes": 10 - i, "selected": i == 0})
    box.result = {"kind": "budget", "turnout": 12, "options": result_options, "selected": ["1"]}
    box.save(update_fields=["result"])
    return box


def add_project(w, area, title, proposal=None):
    today = timezone.localdate()
    return MicroProject.objects.create(
        proposal=proposal,
        area=area,
        area_path=area.path,
        title=title,
        scope="范围",
        implementer=w.organisation,
        budget=Decimal("120000"),
        planned_start=today,
        planned_end=today + timedelta(days=60),
        state="accepted",
        created_by=w["official_here"],
        accepted_at=timezone.now(),
    )


def add_award_and_ledger(w, project, policy, charge_area):
    award = SubsidyAward.objects.create(
        project=project,
        stage="provisional",
        policy=policy,
        base=Decimal("120000"),
        amount=Decimal("36000"),
        computed_by=w["official_here"],
        notice_until=timezone.now() + timedelta(days=7),
        objections_until=timezone.now() + timedelta(days=7),
        charge_area=charge_area,
        status="approved",
        approved_at=timezone.now(),
        approved_by=w["official_here"],
        charge_year=timezone.localdate().year,
    )
    entry = LedgerEntry.objects.create(
        project=project,
        area=charge_area,
        year=timezone.localdate().year,
        kind="award",
        amount=Decimal("36000"),
        award=award,
        created_by=w["official_here"],
        memo="核定奖补",
    )
    LedgerEntry.objects.create(
        project=project,
        area=charge_area,
        year=timezone.localdate().year,
        kind="award",
        amount=Decimal("-36000"),
        award=award,
        reverses=entry,
        created_by=w["official_here"],
        memo="更正",
    )
    return award


def add_reports(w, secret):
    """Small matters: one by the secret person here (with a precise position), one entered from a phone call
    with the caller's name and phone, one hidden, and one in the other district."""
    from tests.casework.factories import make_category, make_report

    lamp = make_category(w["city"], created_by=w["official_city"])
    here = make_report(
        w["c1a"], lamp, state="closed", reporter=secret, rating=4, latitude=Decimal("30.274149"),
        longitude=Decimal("120.155151"), place="一社区路口", text="一社区路灯不亮",
    )  # fmt: skip
    make_report(
        w["c1b"], lamp, reporter=None, reporter_name="秘密来电人", reporter_phone=SECRET_PHONE, channel="phone",
        place="二网格门口", text="二网格路灯不亮",
    )  # fmt: skip
    make_report(w["c1a"], lamp, is_hidden=True, text="被隐藏的诉求")
    make_report(w["c2a"], lamp, state="dispatched", place="二社区路口", text="二社区路灯不亮")
    return lamp, here


def add_many(w, n=30):
    from casework.models import Category
    from tests.casework.factories import make_report

    lamp = Category.objects.get(key="lamp")
    for i in range(n):
        make_report(
            w["c1a" if i % 2 else "c1b"], lamp, state="closed", rating=1 + i % 5,
            submitted_at=timezone.now() - timedelta(days=31 * (i % 12) + 1),
        )  # fmt: skip
    author = w["resident"]
    proposals = [add_proposal(w["C1"], author, f"批量建议 {i}") for i in range(n)]
    OfficialAnswer.objects.bulk_create(
        OfficialAnswer(
            proposal=p,
            official=w["official_here"],
            status="planned",
            reason="已计划",
            working_days_taken=1,
            on_time=True,
        )
        for p in proposals
    )
    for i in range(n // 3):
        add_session(w["C1"], w["official_here"], title=f"批量会议 {i}", proposal=proposals[i])
        add_ballot(w["S1"], f"批量投票 {i}", options=3)
    policy = SubsidyPolicy.objects.get(area=w["D1"])
    for i in range(n // 3):
        project = add_project(w, w["C1"], f"批量项目 {i}")
        SatisfactionRating.objects.create(project=project, user=author, level=4)
        Inspection.objects.create(
            project=project, inspector=w["official_here"], score=90, verified_cost=1000, result="accepted"
        )
        add_award_and_ledger(w, project, policy, w["D1"])
        OutcomeNotice.objects.create(
            area=w["C1"],
            area_path=w["C1"].path,
            kind="other",
            title=f"批量公告 {i}",
            body="内容",
            decided_at=timezone.now(),
            published_by=w["official_here"],
        )
        add_consultation(w["C1"], w["official_here"], f"批量征求意见 {i}", opinions=[(f"意见 {i}", author)])


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def download_csv(client, url):
    response, text = download(client, url)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return response, rows


def download_json(client, url):
    response, text = download(client, url)
    return response, json.loads(text)


def add_consultation(area, official, title, *, opinions=(), state="open"):
    """A published consultation with online opinions by the given people (text, author)."""
    from consultations.models import Consultation, Opinion

    now = timezone.now()
    consultation = Consultation.objects.create(
        area=area,
        area_path=area.path,
        title=title,
        kind="plan",
        state=state,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=10),
        published_at=now - timedelta(days=3),
        created_by=official,
        opinion_count=len(opinions),
    )
    Opinion.objects.bulk_create(
        Opinion(consultation=consultation, author=author, text=text) for text, author in opinions
    )
    return consultation
