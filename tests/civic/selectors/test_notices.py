"""Outcome notices (公告): the decisions that still wait to be published within the policy's working days, and
how fast the published ones followed their decisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic import selectors, workdays
from deliberation.models import Minutes
from tests.civic.notices import (
    MONDAY,
    at,
    make_answer,
    make_ballot,
    make_payment,
    make_policy,
    make_project,
    make_session,
    notice_at,
    one_of_each,
    publish,
)

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
    assert {d.kind for d in waiting} == set(selectors.notice_kinds()) - {"other"}
    by_kind = {d.kind: d for d in waiting}
    assert by_kind["award"].decided_at == at(2024, 3, 4)
    assert by_kind["session"].decided_at == at(2024, 3, 4)
    assert by_kind["ballot"].source_url.startswith("/ballots/")
    session_id = int(by_kind["session"].source_key.split(":")[1])
    assert by_kind["session"].source_url == f"/sessions/{session_id}/"  # no minutes yet: not a link to a 404
    Minutes.objects.create(session_id=session_id, summary="通过装灯动议。", published_by=world["organiser_here"])
    waiting = selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 6))
    by_kind = {d.kind: d for d in waiting}
    assert by_kind["session"].source_url == f"/sessions/{session_id}/minutes/"
    assert all(d.area_code == world["C1"].code for d in waiting)

    publish(world, kind="award", source_key=by_kind["award"].source_key)
    left = selectors.unpublished_decisions(world["D1"], now=at(2024, 3, 6))
    assert {d.source_key for d in left} == keys - {by_kind["award"].source_key}
    # the community itself sees the same; a grid cell under it has none of its own
    assert len(selectors.unpublished_decisions(world["C1"], now=at(2024, 3, 6))) == 5
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
        assert len(selectors.unpublished_decisions(area)) == 6
    for _i in range(4):
        one_of_each(world, policy, area="c1a")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.unpublished_decisions(area)) == 30
    assert len(few.captured_queries) <= 8  # one per kind of decision, the deadline rules and the calendar


# --- how fast notices were published --------------------------------------------------------------------------


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
    workdays.add_working_days(at(2024, 3, 1).date(), 1)  # the calendar corrections: read once per process
    with django_assert_max_num_queries(3):
        notices = selectors.published_within_deadline(selectors.notices_for_area(world["D1"]))
        assert len(notices) == 12 and all(n.timing for n in notices)
        assert [n.corrects for n in notices] and [list(n.corrections.all()) for n in notices]
