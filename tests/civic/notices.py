"""Hand-made decisions of every kind, and notices, for the outcome notice (公告) tests."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from civic.models import OutcomeNotice
from civic.services import notice_publish
from deliberation.models import BallotBox, Council, Session, SessionRecord
from funding.models import LedgerEntry, MicroProject, SubsidyAward, SubsidyPolicy
from funding.services import policy_publish
from proposals.models import OfficialAnswer
from tests.world import proposal_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


MONDAY = at(2024, 3, 4)  # an ordinary week: five working days later is Monday 11 March
NEW_YEAR = at(2024, 1, 1)


# --- hand-made decisions ---------------------------------------------------------------------------------


def make_policy(world, area="D1", answer_days=5, since=NEW_YEAR):
    policy = policy_publish(
        actor=world["official_city"], area=world[area], data={"share": Decimal("0.3"), "answer_days": answer_days}
    )
    SubsidyPolicy.objects.filter(pk=policy.pk).update(effective_from=since)
    return policy


def make_answer(world, area="C1", when=MONDAY):
    proposal = proposal_in(world, area)
    return OfficialAnswer.objects.create(
        proposal=proposal,
        official=world["official_here"],
        status="accepted",
        reason="同意提交议事会审议。",
        created_at=when,
        working_days_taken=3,
        on_time=True,
    )


def make_session(world, area="C1", when=MONDAY, phase="closed", decided=True):
    council = Council.objects.create(area=world[area], name="一社区议事会")
    session = Session.objects.create(
        council=council,
        title="三月议事会",
        starts_at=when - timedelta(hours=2),
        chair=world["organiser_here"],
        phase=phase,
    )
    events = [{"type": "session_opened", "present": [], "quorum": 1}]
    if decided:
        events.append({"type": "result_announced", "motion": 1, "kind": "main", "adopted": True, "text": "装灯"})
    if phase == "closed":
        events.append({"type": "session_closed", "reason": "chair"})
    for seq, payload in enumerate(events, start=1):
        SessionRecord.objects.create(
            session=session,
            seq=seq,
            kind="event",
            payload=payload,
            created_at=when if payload["type"] == "session_closed" else when - timedelta(hours=1),
        )
    return session


def make_ballot(world, area="C1", when=MONDAY, state="tallied"):
    return BallotBox.objects.create(
        area=world[area],
        area_path=world[area].path,
        kind="question",
        title="是否加装电梯",
        state=state,
        opens_at=when - timedelta(days=7),
        closes_at=when - timedelta(hours=1),
        tallied_at=when if state == "tallied" else None,
        turnout=120,
    )


def make_project(world, area="C1"):
    today = timezone.localdate()
    return MicroProject.objects.create(
        area=world[area],
        area_path=world[area].path,
        title="3 栋楼道灯更换",
        scope="更换楼道灯",
        implementer=world.organisation,
        budget=Decimal("120000"),
        planned_start=today,
        planned_end=today + timedelta(days=60),
        created_by=world["official_here"],
    )


def make_award(world, project, policy, when=MONDAY):
    return SubsidyAward.objects.create(
        project=project,
        stage="provisional",
        policy=policy,
        base=Decimal("120000"),
        amount=Decimal("36000.00"),
        computed_by=world["official_here"],
        computed_at=when,
        notice_until=when + timedelta(days=7),
        objections_until=when + timedelta(days=7),
        charge_area=policy.area,
    )


def make_payment(world, project, policy, when=MONDAY, kind="advance"):
    return LedgerEntry.objects.create(
        project=project,
        area=policy.area,
        year=2024,
        kind=kind,
        amount=Decimal("10800.00"),
        condition="start" if kind == "advance" else "",
        created_by=world["official_here"],
        created_at=when,
    )


def one_of_each(world, policy, area="C1", when=MONDAY):
    """One decision of every kind in `area`, all taken at `when`; their source keys."""
    project = make_project(world, area)
    return {
        f"answer:{make_answer(world, area, when).pk}",
        f"session:{make_session(world, area, when).pk}",
        f"ballot:{make_ballot(world, area, when).pk}",
        f"award:{make_award(world, project, policy, when).pk}",
        f"payment:{make_payment(world, project, policy, when).pk}",
        f"consult:{make_consultation_result(world, area, when).pk}",
    }


def make_consultation_result(world, area="C1", when=MONDAY):
    """A consultation whose result (the final text and the feedback report) was published at `when`."""
    from consultations.models import Consultation

    return Consultation.objects.create(
        area=world[area],
        area_path=world[area].path,
        title="居民公约（征求意见稿）",
        kind="convention",
        state="concluded",
        opens_at=when - timedelta(days=30),
        closes_at=when - timedelta(days=10),
        concluded_at=when,
        created_by=world["official_here"],
    )


def publish(world, who="official_here", area="C1", **changes):
    data = {
        "kind": "other",
        "title": "三月议事会决定公告",
        "body": "经议事会表决，同意更换 3 栋楼道灯。",
        "decided_at": timezone.now() - timedelta(days=1),
    }
    data.update(changes)
    return notice_publish(actor=world[who], area=world[area], **data)


def notice_at(world, decided, published, area="C1", title="公告"):
    return OutcomeNotice.objects.create(
        area=world[area],
        area_path=world[area].path,
        kind="other",
        title=title,
        body="正文",
        decided_at=decided,
        published_at=published,
        published_by=world["official_here"],
    )
