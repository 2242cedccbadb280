"""Each figure of the five-governance scorecard on hand-made records with a known answer; the area and the
period they cover; a bounded number of queries; fresh figures after a new record."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from civic.models import Organisation, OutcomeNotice, ResidencyVerification
from deliberation.models import BallotBox, Council, Minutes, Participation, Session, SessionRecord
from funding.models import (
    AwardObjection,
    Commitment,
    Inspection,
    LedgerEntry,
    MicroProject,
    SatisfactionRating,
    SubsidyAward,
    SubsidyPolicy,
)
from proposals.models import CoSponsor, Endorsement, Proposal
from scorecard.period import custom_period, month_period
from scorecard.selectors import compare_children, scorecard, yearly_report
from tests.factories import UserFactory, valid_credit_code

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Figures are cached under the data version; test databases roll back and reuse ids, so start empty."""
    from django.core.cache import cache

    cache.clear()


MARCH = month_period(2025, 3)  # no public holiday in March 2025: working days are Monday to Friday


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def d(day: int, month: int = 3, year: int = 2025) -> date:
    return date(year, month, day)


def figure(card: dict, key: str) -> dict:
    return next(f for g in card["governances"] for f in g["figures"] if f["key"] == key)


def value(area, key, period=MARCH):
    return figure(scorecard(area, period), key)["value"]


def around_today(days: int = 30):
    today = timezone.localdate()
    return custom_period(today - timedelta(days=days), today + timedelta(days=days))


_org_numbers = iter(range(1000, 9999))


def organisation(kind="enterprise", name="某企业"):
    prefix = {"enterprise": "91", "social": "52", "government": "11"}.get(kind, "91")
    return Organisation.objects.create(name=name, kind=kind, credit_code=valid_credit_code(next(_org_numbers), prefix))


def proposal(w, area="C1", published=None, **fields):
    fields.setdefault("state", "published")
    fields.setdefault("author", w["resident"])
    if fields.get("organisation") is not None:
        fields.setdefault("actor_kind", fields["organisation"].kind)
    return Proposal.objects.create(
        title="楼道灯", body="楼道灯坏了", category=w.category, area=w[area], area_path=w[area].path,
        published_at=published, **fields,
    )  # fmt: skip


def project(w, area="C1", implementer=None, **fields):
    return MicroProject.objects.create(
        area=w[area], area_path=w[area].path, title="楼道灯更换", scope="更换楼道灯",
        implementer=implementer or w.organisation, budget=Decimal("10000"), planned_start=d(1, 1),
        planned_end=d(31, 12), created_by=w["official_here"], **fields,
    )  # fmt: skip


def session(w, starts_at, phase="closed", area="C1"):
    council = Council.objects.filter(area=w[area]).first() or Council.objects.create(area=w[area], name="议事会")
    return Session.objects.create(
        council=council, title="例会", starts_at=starts_at, chair=w["organiser_here"], phase=phase
    )


def record(s, record_kind="event", **payload):
    seq = s.records.count() + 1
    return SessionRecord.objects.create(session=s, seq=seq, kind=record_kind, payload=payload)


def policy(w, area="D1"):
    return SubsidyPolicy.objects.create(area=w[area], version=1, share=Decimal("0.3"), created_by=w["official_here"])


def award(w, p, pol=None):
    now = timezone.now()
    return SubsidyAward.objects.create(
        project=p, stage="provisional", policy=pol or policy(w), base=Decimal("10000"), amount=Decimal("3000"),
        computed_by=w["official_here"], notice_until=now, objections_until=now, charge_area=w["D1"],
    )  # fmt: skip


def verified(person, cell, decided=None, **fields):
    decided = decided or at(d(1, 1))
    fields.setdefault("status", "approved")
    fields.setdefault("expires_at", decided + timedelta(days=365))
    return ResidencyVerification.objects.create(user=person, cell=cell, address="测试路", decided_at=decided, **fields)


# --- 精治 precise ------------------------------------------------------------------------------------------


def test_median_days_and_share_answered_within_the_deadline(pworld):
    w = pworld
    # Published on Monday 3 March; answers 2, 4 and 6 working days later.
    proposal(w, published=at(d(3)), response_due=d(20), first_answered_at=at(d(5)))
    proposal(w, published=at(d(3)), response_due=d(20), first_answered_at=at(d(7), 18))
    proposal(w, published=at(d(3)), response_due=d(10), first_answered_at=at(d(11)))  # late by a day
    proposal(w, published=at(d(3)), response_due=d(20))  # never answered, still waiting: late
    proposal(w, published=at(d(3)), response_due=d(20), state="withdrawn")  # left before an answer: not counted
    proposal(w, published=at(d(3)), response_due=d(20), first_answered_at=at(d(4)), is_hidden=True)
    proposal(w, area="C2", published=at(d(3)), response_due=d(20), first_answered_at=at(d(4)))

    card = scorecard(w["D1"], MARCH)
    median = figure(card, "median_answer_days")
    assert (median["value"], median["denominator"], median["unit"]) == (Decimal("4.0"), 3, "days")
    share = figure(card, "answered_in_time_share")
    assert (share["value"], share["numerator"], share["denominator"]) == (Decimal("0.5000"), 2, 4)
    assert str(share["definition"])

    # The whole city adds the other district's answer after one working day: 1, 2, 4, 6 → 3 days.
    assert value(None, "median_answer_days") == Decimal("3.0")
    assert value(w["D2"], "median_answer_days") == Decimal("1.0")
    assert value(w["D2"], "answered_in_time_share") == Decimal("1.0000")


def test_median_of_answers_crossing_a_public_holiday(pworld):
    w = pworld
    # Published Monday 29 Sept 2025; 1–8 October are holidays, Saturday 11 October a make-up working day.
    proposal(w, published=at(d(29, 9)), response_due=d(31, 10), first_answered_at=at(d(11, 10)))
    october = custom_period(d(1, 9), d(31, 10))
    assert value(w["C1"], "median_answer_days", october) == Decimal("4.0")  # 30 Sept, 9, 10 and 11 October


def test_overdue_now_counts_unanswered_proposals_past_their_deadline_today(pworld):
    w = pworld
    today = timezone.localdate()
    proposal(w, published=at(d(1, 1)), response_due=today - timedelta(days=1))
    proposal(w, published=at(d(1, 1)), response_due=today - timedelta(days=30), state="qualified")
    proposal(w, published=at(d(1, 1)), response_due=today - timedelta(days=1), first_answered_at=timezone.now())
    proposal(w, published=at(d(1, 1)), response_due=today)  # due today: not yet overdue
    proposal(w, published=at(d(1, 1)), response_due=today - timedelta(days=1), state="expired")
    proposal(w, published=at(d(1, 1)), response_due=today - timedelta(days=1), is_hidden=True)
    proposal(w, area="C2", published=at(d(1, 1)), response_due=today - timedelta(days=1))

    # Counted today whatever the period asked for.
    assert value(w["D1"], "overdue_now") == 2
    assert value(w["D1"], "overdue_now", month_period(2001, 1)) == 2
    assert value(None, "overdue_now") == 3
    assert value(w["D2"], "overdue_now") == 1


# --- 法治 rule-based ---------------------------------------------------------------------------------------


def test_quorum_share_counts_not_held_and_never_opened_sessions_against(pworld):
    w = pworld
    now = timezone.now()
    session(w, now - timedelta(days=5), phase="closed")
    session(w, now - timedelta(days=4), phase="recess")
    session(w, now - timedelta(days=3), phase="not_held")
    session(w, now - timedelta(days=2), phase="scheduled")  # its day has passed and it never opened
    session(w, now + timedelta(days=2), phase="scheduled")  # still to come: not counted
    session(w, now - timedelta(days=60), phase="not_held")  # outside the period
    session(w, now - timedelta(days=5), phase="not_held", area="C2")

    quorum = figure(scorecard(w["D1"], around_today()), "quorum_share")
    assert (quorum["value"], quorum["numerator"], quorum["denominator"]) == (Decimal("0.5000"), 2, 4)
    assert value(w["D2"], "quorum_share", around_today()) == Decimal("0.0000")
    assert value(None, "quorum_share", around_today()) == Decimal("0.4000")


def test_minutes_share_of_sessions_closed_with_decisions(pworld):
    w = pworld
    decided_with_minutes = session(w, at(d(10)))
    record(decided_with_minutes, type="result_announced", kind="main", adopted=True, item=0)
    Minutes.objects.create(session=decided_with_minutes, summary="纪要摘要", published_by=w["organiser_here"])
    decided_without = session(w, at(d(12)))
    record(decided_without, type="result_announced", kind="main", adopted=False, item=0)
    only_amended = session(w, at(d(14)))  # a decision on an amendment only: no decision on an item
    record(only_amended, type="result_announced", kind="amend", adopted=True, item=0)
    nothing_decided = session(w, at(d(15)))
    Minutes.objects.create(session=nothing_decided, summary="纪要摘要", published_by=w["organiser_here"])
    still_open = session(w, at(d(16)), phase="open")
    record(still_open, type="result_announced", kind="main", adopted=True, item=0)
    april = session(w, at(d(1, 4)))
    record(april, type="result_announced", kind="main", adopted=True, item=0)

    minutes = figure(scorecard(w["C1"], MARCH), "minutes_share")
    assert (minutes["value"], minutes["numerator"], minutes["denominator"]) == (Decimal("0.5000"), 1, 2)
    assert value(w["D2"], "minutes_share") is None


def test_points_of_order_raised_and_upheld(pworld):
    w = pworld
    s = session(w, at(d(10)))
    for _ in range(3):
        record(s, type="point_of_order", member="1", text="超时了")
    record(s, type="ruling", upheld=True, member="1", note="")
    record(s, type="ruling", upheld=False, member="1", note="")
    record(s, record_kind="command", type="point_of_order", actor="1", text="超时了")  # the command is not an event
    other = session(w, at(d(10)), area="C2")
    record(other, type="point_of_order", member="1", text="跑题")
    record(other, type="ruling", upheld=True, member="1", note="")
    record(session(w, at(d(1, 4))), type="point_of_order", member="1", text="四月")

    card = scorecard(w["D1"], MARCH)
    assert figure(card, "points_of_order_raised")["value"] == 3
    assert figure(card, "points_of_order_upheld")["value"] == 1
    assert value(None, "points_of_order_raised") == 4
    assert value(None, "points_of_order_upheld") == 2


# --- 智治 digital ------------------------------------------------------------------------------------------


def test_participation_share_of_verified_residents(pworld):
    w = pworld
    cell = w["c1b"]
    people = {name: UserFactory(display_name=name) for name in "abcdefgh"}
    for person in people.values():
        verified(person, cell)
    # Revoked before the period began, and verified only after it ended: not residents of March.
    verified(UserFactory(), cell, status="revoked", ended_at=at(d(1, 2)))
    verified(UserFactory(), cell, decided=at(d(1, 4)))
    # (the world's own resident of c1a, verified today, is not a resident of March 2025 either)

    proposal(w, published=at(d(3)), author=people["a"])  # proposed online
    proposal(w, published=at(d(3)), author=people["h"], channel="in_person", on_behalf_of="王阿姨")  # staff typed
    target = proposal(w, published=at(d(3)))
    Endorsement.objects.create(proposal=target, user=people["b"], created_at=at(d(4)))
    s = session(w, at(d(5)))
    record(s, type="floor_granted", member=str(people["c"].pk), side="for")
    record(s, record_kind="command", type="cast_vote", actor=str(people["d"].pk), choice="yes")
    box = BallotBox.objects.create(area=w["C1"], area_path=w["C1"].path, kind="question", title="投票")
    Participation.objects.create(box=box, user=people["e"], created_at=at(d(6)))
    rated = project(w)
    SatisfactionRating.objects.create(project=rated, user=people["f"], level=5, created_at=at(d(7)))
    # g does nothing; the resident elsewhere co-signs, but is not a resident of D1.
    Endorsement.objects.create(proposal=target, user=w["resident_elsewhere"], created_at=at(d(4)))

    # Session records carry the time they were written (now): ask about a period that holds both.
    both = custom_period(d(1), timezone.localdate())
    share = figure(scorecard(w["C1"], both), "participation_share")
    # Verified in the period: a–h, and the world's resident (verified today); took part: a–f, and the
    # world's resident, who published the co-signed proposal.
    # (and the one verified in April 2025: a resident during this longer period, who did nothing).
    assert (share["numerator"], share["denominator"]) == (7, 10)
    assert share["value"] == Decimal("0.7000")
    march = figure(scorecard(w["C1"], MARCH), "participation_share")
    assert (march["numerator"], march["denominator"]) == (4, 8)  # a, b, e, f: the session was not in March
    assert value(w["D2"], "participation_share") is None  # nobody verified there in March 2025


def test_a_resident_who_moved_away_later_still_counts_for_the_months_they_lived_here(pworld):
    w = pworld
    cell = w["c1b"]
    moved, pending, stayed = UserFactory(), UserFactory(), UserFactory()
    # Approved in January, withdrawn (moved away, or closed the account) in May: a resident of March.
    verified(moved, cell, status="withdrawn", ended_at=at(d(5, 5)))
    # Withdrawn while still waiting for review: never a verified resident.
    ResidencyVerification.objects.create(
        user=pending, cell=cell, address="测试路", status="withdrawn", created_at=at(d(1, 2)), ended_at=at(d(5, 5))
    )
    verified(stayed, cell)
    target = proposal(w, published=at(d(3)))
    Endorsement.objects.create(proposal=target, user=moved, created_at=at(d(4)))
    Endorsement.objects.create(proposal=target, user=pending, created_at=at(d(4)))
    share = figure(scorecard(w["C1"], MARCH), "participation_share")
    assert (share["numerator"], share["denominator"]) == (1, 2)
    # Withdrawn before the period began: not a resident of that period.
    june = figure(scorecard(w["C1"], month_period(2025, 6)), "participation_share")
    assert june["denominator"] == 1


def test_a_vote_counts_for_the_member_who_cast_it_whatever_the_command_carried(pworld):
    w = pworld
    voter, named = UserFactory(), UserFactory()
    verified(voter, w["c1b"])
    verified(named, w["c2a"])  # a resident elsewhere
    s = session(w, at(d(5)))
    # the command is recorded as the client sent it, with the server's actor beside it
    record(s, record_kind="command", type="cast_vote", choice="yes", member=str(named.pk), actor=str(voter.pk))
    both = custom_period(d(1), timezone.localdate())
    here = figure(scorecard(w["C1"], both), "participation_share")
    assert (here["numerator"], here["denominator"]) == (1, 2)  # the voter, and the world's resident
    assert figure(scorecard(w["C2"], both), "participation_share")["numerator"] == 0


def test_online_share(pworld):
    w = pworld
    for _ in range(3):
        proposal(w, published=at(d(3)))
    proposal(w, published=at(d(3)), channel="phone", on_behalf_of="李大爷")
    proposal(w, published=at(d(3)), area="C2", channel="in_person", on_behalf_of="张阿姨")
    proposal(w, published=None, state="draft")

    online = figure(scorecard(w["D1"], MARCH), "online_share")
    assert (online["value"], online["numerator"], online["denominator"]) == (Decimal("0.7500"), 3, 4)
    assert value(None, "online_share") == Decimal("0.6000")


# --- 共治 shared -------------------------------------------------------------------------------------------


def test_proposals_by_actor_kind(pworld):
    w = pworld
    enterprise, social, government = organisation("enterprise"), organisation("social"), organisation("government")
    proposal(w, published=at(d(3)))
    proposal(w, published=at(d(3)))
    proposal(w, published=at(d(3)), organisation=enterprise)
    proposal(w, published=at(d(3)), organisation=social)
    proposal(w, published=at(d(3)), organisation=government)
    proposal(w, published=at(d(3)), area="C2", organisation=enterprise)

    card = scorecard(w["D1"], MARCH)
    share = figure(card, "enterprise_social_proposal_share")
    assert (share["value"], share["numerator"], share["denominator"]) == (Decimal("0.4000"), 2, 5)
    by_actor = {row["kind"]: (row["count"], row["share"]) for row in card["shared"]["proposals_by_actor"]}
    assert by_actor["resident"] == (2, Decimal("0.4000"))
    assert by_actor["enterprise"] == (1, Decimal("0.2000"))
    assert by_actor["social"] == (1, Decimal("0.2000"))
    assert by_actor["government"] == (1, Decimal("0.2000"))
    assert by_actor["committee"] == (0, Decimal("0.0000"))
    assert value(None, "enterprise_social_proposal_share") == Decimal("0.5000")


def test_cofunding_by_source(pworld):
    w = pworld
    p = project(w)
    for source, amount in [("enterprise", "300"), ("social", "100"), ("residents", "400"), ("government", "200")]:
        Commitment.objects.create(
            project=p, source=source, funder="某方", amount=Decimal(amount), created_by=w["official_here"],
            created_at=at(d(10)),
        )  # fmt: skip
    Commitment.objects.create(  # promised in April: not in March
        project=p, source="enterprise", funder="某方", amount=Decimal("999"), created_by=w["official_here"],
        created_at=at(d(1, 4)),
    )  # fmt: skip
    elsewhere = project(w, area="C2")
    Commitment.objects.create(
        project=elsewhere, source="residents", funder="居民", amount=Decimal("1000"),
        created_by=w["official_here"], created_at=at(d(10)),
    )  # fmt: skip

    card = scorecard(w["D1"], MARCH)
    share = figure(card, "enterprise_social_cofunding_share")
    assert share["value"] == Decimal("0.4000")
    assert (share["numerator"], share["denominator"]) == (Decimal("400.00"), Decimal("1000.00"))
    by_source = {row["source"]: (row["amount"], row["share"]) for row in card["shared"]["cofunding_by_source"]}
    assert by_source["residents"] == (Decimal("400.00"), Decimal("0.4000"))
    assert by_source["in_kind"] == (Decimal("0.00"), Decimal("0.0000"))
    assert value(None, "enterprise_social_cofunding_share") == Decimal("0.2000")
    assert value(w["D1"], "enterprise_social_cofunding_share", month_period(2025, 5)) is None


def test_distinct_organisations_taking_part(pworld):
    w = pworld
    proposer, cosponsor, implementer, funder = (organisation(name=str(i)) for i in range(4))
    proposal(w, published=at(d(3)), organisation=proposer)
    backed = proposal(w, published=at(d(1, 1)))
    CoSponsor.objects.create(proposal=backed, user=w["representative"], organisation=cosponsor, created_at=at(d(5)))
    built = project(w, implementer=implementer, started_at=at(d(6)))
    Commitment.objects.create(
        project=built, source="enterprise", funder="x", amount=Decimal("1"), organisation=funder,
        created_by=w["official_here"], created_at=at(d(7)),
    )  # fmt: skip
    Commitment.objects.create(  # the proposer funds too: still one organisation
        project=built, source="enterprise", funder="x", amount=Decimal("1"), organisation=proposer,
        created_by=w["official_here"], created_at=at(d(7)),
    )  # fmt: skip
    MicroProject.objects.filter(pk=built.pk).update(created_at=at(d(1, 1)))
    idle = organisation(name="idle")
    project(w, implementer=idle, created_at=at(d(1, 1)))  # nothing happened to it in March
    proposal(w, area="C2", published=at(d(3)), organisation=organisation(name="elsewhere"))

    card = scorecard(w["D1"], MARCH)
    assert figure(card, "organisations_taking_part")["value"] == 4
    assert card["shared"]["organisations"] == 4
    assert value(None, "organisations_taking_part") == 5
    assert value(w["D1"], "organisations_taking_part", month_period(2025, 5)) == 0


# --- 德治 trust --------------------------------------------------------------------------------------------


def test_satisfaction_of_projects_accepted_in_the_period(pworld):
    w = pworld
    accepted = project(w, state="accepted", accepted_at=at(d(10)))
    raters = [UserFactory() for _ in range(8)]
    for person, level in zip(raters, [5, 4, 3, 2, 1, 5], strict=False):
        SatisfactionRating.objects.create(project=accepted, user=person, level=level, created_at=at(d(20)))
    earlier = project(w, state="accepted", accepted_at=at(d(10, 2)))
    SatisfactionRating.objects.create(project=earlier, user=raters[6], level=1)
    elsewhere = project(w, area="C2", state="accepted", accepted_at=at(d(10)))
    SatisfactionRating.objects.create(project=elsewhere, user=raters[7], level=1)

    card = scorecard(w["D1"], MARCH)
    rate = figure(card, "satisfaction_rate")
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (Decimal("0.6667"), 4, 6)
    average = figure(card, "average_score")
    assert (average["value"], average["numerator"], average["denominator"]) == (Decimal("3.33"), 20, 6)
    assert value(w["D2"], "satisfaction_rate") == Decimal("0.0000")
    assert value(w["D2"], "average_score") == Decimal("1.00")
    assert value(None, "average_score") == Decimal("3.00")  # 21 / 7


def test_notices_published_within_their_deadline(pworld):
    w = pworld
    publisher = w["official_here"]

    def notice(decided, published, area="C1", **fields):
        return OutcomeNotice.objects.create(
            area=w[area], area_path=w[area].path, kind="other", title="公告", body="内容",
            decided_at=decided, published_at=published, published_by=publisher, **fields,
        )  # fmt: skip

    # No subsidy policy: five working days. Decided Monday 3 March, due Monday 10 March.
    first = notice(at(d(3)), at(d(10), 18))
    notice(at(d(3)), at(d(11)))  # a day late
    notice(at(d(3)), at(d(12)), corrects=first)  # a correction is not a new notice
    notice(at(d(3)), at(d(12)), area="C2")
    notice(at(d(3, 2)), at(d(1, 4)))  # published in April
    # A ballot tallied on Monday 17 March with no notice: due Monday 24 March, passed: late.
    BallotBox.objects.create(
        area=w["C1"], area_path=w["C1"].path, kind="question", title="投票", state="tallied",
        tallied_at=at(d(17)), opens_at=at(d(10)), closes_at=at(d(17)),
    )  # fmt: skip

    notices = figure(scorecard(w["D1"], MARCH), "notices_on_time_share")
    assert (notices["value"], notices["numerator"], notices["denominator"]) == (Decimal("0.3333"), 1, 3)
    assert value(w["D2"], "notices_on_time_share") == Decimal("0.0000")
    assert value(None, "notices_on_time_share") == Decimal("0.2500")


def test_objections_answered_on_time(pworld):
    w = pworld
    today = timezone.localdate()
    a = award(w, project(w))

    def objection(due, answered=None, **fields):
        return AwardObjection.objects.create(
            award=a, author=w["resident"], text="有异议", answer_due=due, answered_at=answered, **fields
        )

    objection(today - timedelta(days=3), at(today - timedelta(days=3), 23, 59), status="rejected")  # on the day
    objection(today - timedelta(days=5), at(today - timedelta(days=4), 0, 1), status="rejected")  # a day late
    objection(today - timedelta(days=1))  # open past its due date: late
    objection(today + timedelta(days=3))  # not yet due: not counted
    objection(today - timedelta(days=90), at(today - timedelta(days=95)), status="upheld")  # outside the period

    share = figure(scorecard(w["D1"], around_today()), "objections_on_time_share")
    assert (share["value"], share["numerator"], share["denominator"]) == (Decimal("0.3333"), 1, 3)
    assert value(w["D2"], "objections_on_time_share", around_today()) is None


# --- the funnel -----------------------------------------------------------------------------------------


def test_funnel_from_proposed_to_paid(pworld):
    w = pworld
    proposal(w, published=at(d(3)))
    proposal(w, published=at(d(3)), qualified_at=at(d(4)))
    proposal(w, published=at(d(3)), qualified_at=at(d(4)), state="not_adopted")
    proposal(w, published=at(d(3)), qualified_at=at(d(4)), state="adopted")
    building = proposal(w, published=at(d(3)), qualified_at=at(d(4)), state="in_implementation")
    project(w, proposal=building, state="in_progress")
    built = proposal(w, published=at(d(3)), qualified_at=at(d(4)), state="in_implementation")
    project(w, proposal=built, state="completed", completed_at=at(d(20)))
    done = proposal(w, published=at(d(3)), qualified_at=at(d(4)), state="done")
    paid_project = project(w, proposal=done, state="closed", completed_at=at(d(20)), accepted_at=at(d(25)))
    LedgerEntry.objects.create(
        project=paid_project, area=w["D1"], year=2025, kind="advance", amount=Decimal("900"),
        created_by=w["official_here"],
    )  # fmt: skip
    corrected = proposal(w, published=at(d(3)), qualified_at=at(d(4)), state="done")
    corrected_project = project(w, proposal=corrected, state="accepted", completed_at=at(d(20)), accepted_at=at(d(25)))
    wrong = LedgerEntry.objects.create(
        project=corrected_project, area=w["D1"], year=2025, kind="advance", amount=Decimal("500"),
        created_by=w["official_here"],
    )  # fmt: skip
    LedgerEntry.objects.create(
        project=corrected_project, area=w["D1"], year=2025, kind="advance", amount=Decimal("-500"), reverses=wrong,
        created_by=w["official_here"],
    )  # fmt: skip
    proposal(w, area="C2", published=at(d(3)), qualified_at=at(d(4)), state="adopted")

    card = scorecard(w["D1"], MARCH)
    funnel = {step["key"]: step["count"] for step in card["funnel"]}
    assert [step["key"] for step in card["funnel"]] == [
        "proposed", "qualified", "decided", "adopted", "built", "accepted", "paid",
    ]  # fmt: skip
    assert funnel == {
        "proposed": 8, "qualified": 7, "decided": 6, "adopted": 5, "built": 3, "accepted": 2, "paid": 1,
    }  # fmt: skip
    assert {s["key"]: s["count"] for s in scorecard(None, MARCH)["funnel"]}["adopted"] == 6


# --- general behaviour -----------------------------------------------------------------------------------


def test_no_records_give_no_value_for_shares_and_zero_counts(pworld):
    card = scorecard(pworld["D2"], MARCH)
    assert [g["key"] for g in card["governances"]] == ["precise", "rule_based", "digital", "shared", "trust"]
    keys = [f["key"] for g in card["governances"] for f in g["figures"]]
    assert keys == [
        "median_answer_days", "answered_in_time_share", "overdue_now",
        "casework_response_rate", "casework_resolution_rate", "casework_median_days",
        "quorum_share", "minutes_share", "points_of_order_raised", "points_of_order_upheld",
        "consultations_held", "consultation_participants", "consultation_opinions",
        "consultation_adoption_rate", "consultation_answered_in_time_share",
        "participation_share", "online_share", "casework_online_share",
        "enterprise_social_proposal_share", "enterprise_social_cofunding_share", "organisations_taking_part",
        "satisfaction_rate", "average_score", "casework_satisfaction_rate",
        "notices_on_time_share", "objections_on_time_share",
    ]  # fmt: skip
    for g in card["governances"]:
        for f in g["figures"]:
            assert f["value"] == (0 if f["unit"] == "count" else None), f["key"]
            assert str(f["label"]) and len(str(f["definition"])) > 20  # a sentence, not a word
    assert all(step["count"] == 0 for step in card["funnel"])
    assert card["shared"]["organisations"] == 0
    assert all(row["share"] is None for row in card["shared"]["proposals_by_actor"])


def test_period_bounds_last_day_counts_the_day_after_does_not(pworld):
    w = pworld
    proposal(w, published=datetime(2025, 3, 31, 23, 59, 59, tzinfo=SHANGHAI))
    proposal(w, published=datetime(2025, 4, 1, 0, 0, tzinfo=SHANGHAI))  # = 31 March 16:00 UTC
    proposal(w, published=datetime(2025, 3, 1, 0, 0, tzinfo=SHANGHAI))
    proposal(w, published=datetime(2025, 2, 28, 23, 59, 59, tzinfo=SHANGHAI))
    assert figure(scorecard(w["C1"], MARCH), "online_share")["denominator"] == 2
    assert figure(scorecard(w["C1"], month_period(2025, 4)), "online_share")["denominator"] == 1


def _busy_city(w, n: int):
    """n of every kind of record, in both districts."""
    people = [UserFactory() for _ in range(n)]
    for i, person in enumerate(people):
        area = "C1" if i % 2 else "C2"
        cell = w["c1a"] if i % 2 else w["c2a"]
        verified(person, cell)
        p = proposal(w, area=area, published=at(d(3)), first_answered_at=at(d(5)), response_due=d(20), author=person)
        Endorsement.objects.create(proposal=p, user=person, created_at=at(d(4)))
        pr = project(w, area=area, proposal=p, state="accepted", completed_at=at(d(8)), accepted_at=at(d(9)))
        Commitment.objects.create(
            project=pr, source="enterprise", funder="x", amount=Decimal("10"), organisation=w.organisation,
            created_by=w["official_here"], created_at=at(d(7)),
        )  # fmt: skip
        SatisfactionRating.objects.create(project=pr, user=person, level=4)
        s = session(w, at(d(10)), area=area)
        record(s, type="result_announced", kind="main", adopted=True, item=0)
        record(s, type="point_of_order", member=str(person.pk), text="x")
        OutcomeNotice.objects.create(
            area=w[area], area_path=w[area].path, kind="other", title="公告", body="内容",
            decided_at=at(d(10)), published_at=at(d(11)), published_by=w["official_here"],
        )  # fmt: skip
        a = award(w, pr, SubsidyPolicy.objects.filter(area=w["D1"]).first())
        AwardObjection.objects.create(award=a, author=person, text="x", answer_due=d(20), answered_at=at(d(19)))


def test_a_bounded_number_of_queries_that_does_not_grow_with_records(pworld, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = pworld
    policy(w)
    _busy_city(w, 2)
    scorecard(None, MARCH)  # warm the calendar
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        scorecard(None, MARCH)
    _busy_city(w, 12)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        card = scorecard(None, MARCH)
    assert len(many) == len(few)
    assert figure(card, "online_share")["denominator"] == 14
    cache.clear()
    # 29 today: 16 aggregates, 7 for the notices, 3 for consultations, 2 for the small matters' rates, 1 for
    # their hot spots (and 1 for the names of their categories when there are any). The figures are kept with
    # the page that shows them (scorecard.pages; tests/scorecard/views/test_kept_pages.py), not here.
    with django_assert_max_num_queries(32):
        scorecard(w["D1"], MARCH)
    cache.clear()
    with django_assert_max_num_queries(32):  # the same without the hot spots, and the list of children
        rows = compare_children(w["city"], MARCH)
    assert [row["area"] for row in rows] == [w["D1"], w["D2"]]


def test_compare_children_side_by_side_in_the_same_queries(pworld, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = pworld
    for _ in range(3):
        proposal(w, published=at(d(3)))
    proposal(w, area="C2", published=at(d(3)), channel="phone", on_behalf_of="李大爷")
    proposal(w, area="C2", published=at(d(3)))
    proposal(w, area="S1", published=at(d(3)))  # the subdistrict's own: under D1

    with CaptureQueriesContext(connection) as one:
        scorecard(w["city"], MARCH)
    rows = compare_children(w["city"], MARCH)
    by_area = {row["area"]: row for row in rows}
    assert by_area[w["D1"]]["figures"]["online_share"] == Decimal("1.0000")
    assert by_area[w["D2"]]["figures"]["online_share"] == Decimal("0.5000")
    assert by_area[w["D1"]]["funnel"]["proposed"] == 4
    assert by_area[w["D2"]]["funnel"]["proposed"] == 2
    assert set(by_area[w["D1"]]["figures"]) == {
        f["key"] for g in scorecard(w["D1"], MARCH)["governances"] for f in g["figures"]
    }
    # The whole platform with a single city compares its districts.
    assert [row["area"] for row in compare_children(None, MARCH)] == [w["D1"], w["D2"]]
    # Children of a community are its grid cells; records on the community itself belong to no cell.
    cells = compare_children(w["C1"], MARCH)
    assert [row["area"] for row in cells] == [w["c1a"], w["c1b"]]
    assert all(row["funnel"]["proposed"] == 0 for row in cells)
    with CaptureQueriesContext(connection) as children:
        compare_children(w["S1"], month_period(2025, 5))
    assert len(children) <= len(one) + 1  # + the list of children


def test_a_new_record_shows_up_at_once(pworld):
    w = pworld
    proposal(w, published=at(d(3)))
    assert figure(scorecard(w["C1"], MARCH), "online_share")["denominator"] == 1
    assert figure(scorecard(w["C1"], MARCH), "online_share")["denominator"] == 1  # from the cache
    proposal(w, published=at(d(3)), channel="phone", on_behalf_of="李大爷")
    assert figure(scorecard(w["C1"], MARCH), "online_share")["denominator"] == 2
    # A change without a new proposal: a withdrawn co-signature, a changed rating.
    target = Proposal.objects.first()
    resident = UserFactory()
    verified(resident, w["c1a"])
    Endorsement.objects.create(proposal=target, user=resident, created_at=at(d(4)))
    assert figure(scorecard(w["C1"], MARCH), "participation_share")["numerator"] == 1
    Endorsement.objects.filter(user=resident).delete()
    assert figure(scorecard(w["C1"], MARCH), "participation_share")["numerator"] == 0
    accepted = project(w, state="accepted", accepted_at=at(d(10)))
    rating = SatisfactionRating.objects.create(project=accepted, user=resident, level=1)
    assert value(w["C1"], "satisfaction_rate") == Decimal("0.0000")
    SatisfactionRating.objects.filter(pk=rating.pk).update(level=5, changed_at=timezone.now())
    assert value(w["C1"], "satisfaction_rate") == Decimal("1.0000")


def test_yearly_report_lists_projects_built_and_the_money(pworld):
    w = pworld
    year = timezone.localdate().year
    today = timezone.now()
    accepted = project(w, state="accepted", completed_at=today, accepted_at=today)
    Inspection.objects.create(
        project=accepted, inspector=w["official_here"], score=Decimal("90"), verified_cost=Decimal("9500"),
        result="accepted",
    )  # fmt: skip
    for kind, amount in [("award", "2850"), ("advance", "1000"), ("settlement", "1850")]:
        LedgerEntry.objects.create(
            project=accepted, area=w["D1"], year=year, kind=kind, amount=Decimal(amount),
            created_by=w["official_here"],
        )  # fmt: skip
    Commitment.objects.create(
        project=accepted, source="social", funder="x", amount=Decimal("500"), created_by=w["official_here"]
    )
    built = project(w, state="completed", completed_at=today)
    project(w, state="in_progress")
    project(w, area="C2", state="accepted", completed_at=today, accepted_at=today)

    report = yearly_report(w["D1"], year)
    assert report["period"].kind == "year" and report["period"].start == date(year, 1, 1)
    assert len(report["governances"]) == 5
    rows = {row["project"]: row for row in report["projects"]}
    assert set(rows) == {accepted, built}
    assert (rows[accepted]["cost"], rows[accepted]["award"], rows[accepted]["paid"]) == (
        Decimal("9500.00"), Decimal("2850.00"), Decimal("2850.00"),
    )  # fmt: skip
    assert (rows[built]["cost"], rows[built]["award"], rows[built]["paid"]) == (
        Decimal("10000.00"), Decimal("0.00"), Decimal("0.00"),
    )  # fmt: skip
    # verified cost known only after an accepted inspection; satisfaction is fairly satisfied or better
    assert (rows[accepted]["verified"], rows[built]["verified"]) == (True, False)
    for level in (5, 3, 2):
        SatisfactionRating.objects.create(project=accepted, user=UserFactory(), level=level)
    rows = {row["project"]: row for row in yearly_report(w["D1"], year)["projects"]}
    assert (rows[accepted]["ratings"], rows[accepted]["satisfaction"]) == (3, Decimal("0.6667"))
    assert (rows[built]["ratings"], rows[built]["satisfaction"]) == (0, None)
    assert report["money"]["awarded"] == Decimal("2850.00")
    assert report["money"]["paid"] == Decimal("2850.00")
    social = next(row for row in report["money"]["cofunding_by_source"] if row["source"] == "social")
    assert social["amount"] == Decimal("500.00")
    assert yearly_report(w["D1"], year - 1)["projects"] == []


@pytest.mark.parametrize("area", [None, "D1"])
def test_labels_and_definitions_translate(pworld, area):
    from django.utils import translation

    with translation.override("en"):
        card = scorecard(pworld[area] if area else None, MARCH)
        assert str(card["governances"][0]["label"]) == "Precise governance"
        assert str(figure(card, "quorum_share")["label"]) == "Sessions that reached quorum"
