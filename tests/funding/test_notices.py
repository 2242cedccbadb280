"""Outcome notices (公告): who publishes, what is checked, corrections, append-only, and the decisions that
still wait to be published within the policy's working days."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry, TimelineEntry
from deliberation.models import BallotBox, Council, Session, SessionRecord
from funding import selectors, services
from funding.models import LedgerEntry, MicroProject, NoticeKind, OutcomeNotice, SubsidyAward, SubsidyPolicy
from proposals.models import OfficialAnswer
from tests.world import proposal_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


MONDAY = at(2024, 3, 4)  # an ordinary week: five working days later is Monday 11 March
NEW_YEAR = at(2024, 1, 1)


# --- hand-made decisions ---------------------------------------------------------------------------------


def make_policy(world, area="D1", answer_days=5, since=NEW_YEAR):
    policy = services.policy_publish(
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
    }


def publish(world, who="official_here", area="C1", **changes):
    data = {
        "kind": NoticeKind.OTHER,
        "title": "三月议事会决定公告",
        "body": "经议事会表决，同意更换 3 栋楼道灯。",
        "decided_at": timezone.now() - timedelta(days=1),
    }
    data.update(changes)
    return services.notice_publish(actor=world[who], area=world[area], **data)


# --- publishing ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_official_publishes_a_notice_of_a_decision_with_audit_and_timeline(world):
    answer = make_answer(world)
    notice = publish(
        world,
        kind=NoticeKind.ANSWER,
        title="关于楼道灯建议的答复",
        source_key=f"answer:{answer.pk}",
        decided_at=at(2024, 3, 5),  # the answer's own record says when it was given
    )
    notice.refresh_from_db()
    assert notice.area == world["C1"] and notice.area_path == world["C1"].path
    assert notice.decided_at == at(2024, 3, 4)
    assert notice.source_url == f"/proposals/{answer.proposal_id}/"
    assert notice.published_by == world["official_here"]
    audit = AuditEntry.objects.get(action="notice.published")
    assert audit.object_id == str(notice.pk) and audit.after["source_key"] == f"answer:{answer.pk}"
    line = TimelineEntry.objects.get(verb="notice.published")
    assert line.subject_id == world["C1"].pk and line.url == f"/notices/{notice.pk}/"
    assert line.params == {"title": "关于楼道灯建议的答复"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["official_city", "admin"])
def test_officials_above_and_admins_may_publish(world, who):
    assert publish(world, who=who).published_by == world[who]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["resident", "organiser_here", "moderator_here", "official_elsewhere", "representative"]
)
def test_others_may_not_publish_and_nothing_is_written(world, who):
    with pytest.raises(NotAllowed) as error:
        publish(world, who=who)
    assert error.value.code == "not_allowed"
    assert not OutcomeNotice.objects.exists()
    assert not AuditEntry.objects.filter(action="notice.published").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes,code,field",
    [
        ({"title": "  "}, "required", "title"),
        ({"title": "长" * 121}, "too_long", "title"),
        ({"body": ""}, "required", "body"),
        ({"body": "字" * 10001}, "too_long", "body"),
        ({"kind": "rumour"}, "kind_unknown", "kind"),
        ({"decided_at": timezone.now() + timedelta(days=1)}, "decided_in_future", "decided_at"),
        ({"decided_at": "yesterday"}, "date_invalid", "decided_at"),
        ({"decided_at": datetime(1, 1, 1, tzinfo=ZoneInfo("UTC"))}, "decided_too_early", "decided_at"),
        ({"decided_at": datetime(1, 1, 1)}, "decided_too_early", "decided_at"),
        ({"decided_at": at(1999, 12, 31, hour=23)}, "decided_too_early", "decided_at"),
        ({"source_url": "https://example.com/x"}, "source_url_invalid", "source_url"),
        ({"source_url": "//example.com/x"}, "source_url_invalid", "source_url"),
        ({"source_url": "proposals/1/"}, "source_url_invalid", "source_url"),
        ({"source_key": "award:abc", "kind": "award"}, "source_key_invalid", "source_key"),
        ({"source_key": "award:1", "kind": "payment"}, "source_key_invalid", "source_key"),
        ({"source_key": "award:999999", "kind": "award"}, "source_unknown", "source_key"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_nothing_is_written(world, changes, code, field):
    with pytest.raises(InvalidInput) as error:
        publish(world, **changes)
    assert (error.value.code, error.value.field) == (code, field)
    assert not OutcomeNotice.objects.exists()
    assert not TimelineEntry.objects.filter(verb="notice.published").exists()


@pytest.mark.django_db
def test_a_decision_of_another_area_cannot_be_published_here(world):
    answer = make_answer(world, area="C2")
    with pytest.raises(InvalidInput) as error:
        publish(world, kind="answer", source_key=f"answer:{answer.pk}")
    assert error.value.code == "source_unknown"
    # the district above the decision's community may publish it
    assert publish(world, who="official_elsewhere", area="D2", kind="answer", source_key=f"answer:{answer.pk}")


@pytest.mark.django_db
def test_a_decision_is_published_once_then_only_corrected(world):
    answer = make_answer(world)
    key = f"answer:{answer.pk}"
    first = publish(world, kind="answer", source_key=key)
    with pytest.raises(Conflict) as error:
        publish(world, kind="answer", source_key=key, title="再发一次")
    assert error.value.code == "already_published"
    correction = publish(world, kind="answer", source_key=key, title="更正：楼道灯答复", corrects=first)
    assert correction.corrects == first
    assert OutcomeNotice.objects.filter(source_key=key).count() == 2


@pytest.mark.django_db
def test_a_correction_names_the_old_notice_which_stays_unchanged_and_the_chain_goes_on(world):
    first = publish(world, title="原公告")
    before = OutcomeNotice.objects.filter(pk=first.pk).values().get()
    second = publish(world, title="更正公告", corrects=first)
    third = publish(world, title="再次更正", corrects=second)
    assert OutcomeNotice.objects.filter(pk=first.pk).values().get() == before
    assert [n.title for n in first.corrections.all()] == ["更正公告"]
    assert third.corrects.corrects == first
    with pytest.raises(Conflict) as error:
        publish(world, title="另一个更正", corrects=first)
    assert error.value.code == "already_corrected"
    assert OutcomeNotice.objects.count() == 3


@pytest.mark.django_db
def test_a_correction_stays_in_the_area_of_the_notice_it_corrects(world):
    first = publish(world, area="C1")
    with pytest.raises(InvalidInput) as error:
        publish(world, who="official_city", area="C2", corrects=first)
    assert error.value.code == "corrects_other_area"
    assert OutcomeNotice.objects.count() == 1


# --- append-only -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_notice_is_never_changed_or_deleted_through_the_orm(world):
    notice = publish(world, title="原公告")
    notice.title = "改过的"
    with pytest.raises(ProtectedError):
        notice.save()
    with pytest.raises(ProtectedError):
        notice.delete()
    with pytest.raises(ProtectedError):
        OutcomeNotice.objects.filter(pk=notice.pk).update(title="改过的")
    with pytest.raises(ProtectedError):
        OutcomeNotice.objects.all().delete()
    assert OutcomeNotice.objects.get(pk=notice.pk).title == "原公告"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_to_change_a_published_notice(world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    notice = publish(world, title="原公告")
    for sql in (
        "UPDATE funding_outcomenotice SET title = 'x' WHERE id = %s",
        "DELETE FROM funding_outcomenotice WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [notice.pk])
    assert OutcomeNotice.objects.get(pk=notice.pk).title == "原公告"


# --- decisions waiting to be published ----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_of_decision_waits_until_a_notice_names_it(world):
    policy = make_policy(world)
    keys = one_of_each(world, policy)
    one_of_each(world, policy, area="C2")  # another district: not listed for D1
    make_session(world, decided=False)  # closed without deciding anything
    make_session(world, phase="open")  # still sitting
    make_ballot(world, state="scheduled")  # not counted yet
    make_payment(world, make_project(world), policy, kind="receipt")  # money in, not a payment
    waiting = selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 6))
    assert {d.source_key for d in waiting} == keys
    assert {d.kind for d in waiting} == set(NoticeKind.values) - {NoticeKind.OTHER}
    by_kind = {d.kind: d for d in waiting}
    assert by_kind["award"].decided_at == at(2024, 3, 4)
    assert by_kind["session"].decided_at == at(2024, 3, 4)
    assert by_kind["ballot"].source_url.startswith("/ballots/")
    assert by_kind["session"].source_url.endswith("/minutes/")
    assert all(d.area_code == world["C1"].code for d in waiting)

    publish(world, kind="award", source_key=by_kind["award"].source_key)
    left = selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 6))
    assert {d.source_key for d in left} == keys - {by_kind["award"].source_key}
    # the community itself sees the same; a grid cell under it has none of its own
    assert len(selectors.unpublished_decisions(world["C1"], now=at(2024, 3, 6))) == 4
    assert selectors.unpublished_decisions(world["c1a"], now=at(2024, 3, 6)) == []


@pytest.mark.django_db
def test_the_deadline_counts_working_days_of_the_policy_in_force(world):
    make_policy(world, answer_days=5)
    monday = make_answer(world, when=MONDAY)  # Mon 4 March 2024 + 5 working days = Mon 11 March
    before_holiday = make_answer(world, when=at(2024, 9, 30))  # National Day: 1–7 Oct off, Sat 12 Oct worked
    waiting = {d.source_key: d for d in selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 11, 18))}
    first = waiting[f"answer:{monday.pk}"]
    assert (first.answer_days, first.due, first.overdue) == (5, at(2024, 3, 11).date(), False)
    assert waiting[f"answer:{before_holiday.pk}"].due == at(2024, 10, 12).date()
    later = selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 12, 9))
    assert [(d.source_key, d.overdue) for d in later] == [  # the most urgent first
        (f"answer:{monday.pk}", True),
        (f"answer:{before_holiday.pk}", False),
    ]


@pytest.mark.django_db
def test_without_a_policy_five_working_days_and_a_community_policy_wins_below_it(world):
    answer = make_answer(world)
    assert selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 6))[0].answer_days == 5
    make_policy(world, area="D1", answer_days=3)
    make_policy(world, area="C1", answer_days=10)
    other = make_answer(world, area="C2")
    waiting = {d.source_key: d for d in selectors.unpublished_decisions(world["city"], now=at(2024, 3, 6))}
    assert waiting[f"answer:{answer.pk}"].answer_days == 10
    assert waiting[f"answer:{answer.pk}"].due == at(2024, 3, 18).date()
    assert waiting[f"answer:{other.pk}"].answer_days == 5  # district D2 has no policy


@pytest.mark.django_db
def test_the_waiting_list_costs_the_same_queries_whatever_the_number_of_decisions(world, django_assert_max_num_queries):
    policy = make_policy(world)
    one_of_each(world, policy)
    area = world["D1"]
    selectors.unpublished_decisions(area)  # warms the working-day calendar
    with CaptureQueriesContext(connection) as few:
        assert len(selectors.unpublished_decisions(area)) == 5
    for _i in range(4):
        one_of_each(world, policy, area="c1a")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.unpublished_decisions(area)) == 25
    assert len(few.captured_queries) <= 7


# --- how fast notices were published --------------------------------------------------------------------------


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


@pytest.mark.django_db
def test_each_notice_says_how_many_working_days_it_took(world):
    make_policy(world, answer_days=5)
    quick = notice_at(world, at(2024, 3, 4), at(2024, 3, 7), title="快")
    slow = notice_at(world, at(2024, 3, 4), at(2024, 3, 13), title="慢")
    holiday = notice_at(world, at(2024, 9, 30), at(2024, 10, 12), title="节后")
    timed = {n.title: n.timing for n in selectors.published_within_deadline(selectors.notices_for_area(world["D1"]))}
    assert (timed["快"].working_days, timed["快"].on_time) == (3, True)
    assert (timed["慢"].working_days, timed["慢"].allowed, timed["慢"].on_time) == (7, 5, False)
    assert (timed["节后"].working_days, timed["节后"].on_time) == (5, True)
    assert {quick.pk, slow.pk, holiday.pk} == {n.pk for n in selectors.notices_for_area(world["city"])}


@pytest.mark.django_db
def test_notices_of_an_area_and_below_newest_first_and_filtered_by_kind(world, django_assert_max_num_queries):
    notice_at(world, at(2024, 3, 1), at(2024, 3, 2), area="C1", title="社区")
    notice_at(world, at(2024, 3, 1), at(2024, 3, 3), area="D1", title="区")
    notice_at(world, at(2024, 3, 1), at(2024, 3, 4), area="C2", title="别处")
    assert [n.title for n in selectors.notices_for_area(world["D1"])] == ["区", "社区"]
    assert [n.title for n in selectors.notices_for_area(world["C1"])] == ["社区"]
    assert list(selectors.notices_for_area(world["D1"], kind="answer")) == []
    for i in range(10):
        notice_at(world, at(2024, 3, 1), at(2024, 3, 5), area="c1a", title=f"网格{i}")
    selectors.published_within_deadline([])  # warms the working-day calendar
    with django_assert_max_num_queries(3):
        notices = selectors.published_within_deadline(selectors.notices_for_area(world["D1"]))
        assert len(notices) == 12 and all(n.timing for n in notices)
        assert [n.corrects for n in notices] and [list(n.corrections.all()) for n in notices]
