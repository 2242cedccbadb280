from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry, Notification, Organisation
from civic.selectors import timeline_for
from proposals import services
from proposals.models import CoSponsor, Endorsement, Follow, Proposal, ProposalRevision
from proposals.selectors import effective_state, is_overdue, stance_counts
from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def neighbours(world, n, cell="c1a"):
    people = [UserFactory() for _ in range(n)]
    for person in people:
        verify(person, world[cell])
    return people


def test_publish_snapshots_the_areas_rules(make_proposal):
    p = make_proposal()
    assert p.state == "published" and p.threshold == 3
    assert p.collection_deadline - p.published_at == timedelta(days=30)
    assert p.response_due > timezone.localdate()
    assert Follow.objects.filter(proposal=p, user=p.author).exists()
    assert AuditEntry.objects.filter(action="proposal.published", object_id=str(p.pk)).exists()
    assert "发布：“楼道灯长期不亮”开始征集联署" in [e.text for e in timeline_for(p)]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"title": "灯"}, "title_too_short"),
        ({"body": "太短"}, "body_too_short"),
        ({"estimated_cost": "-1"}, "amount_negative"),
        ({"estimated_cost": "1.005"}, "amount_precision"),
        ({"estimated_cost": "abc"}, "amount_invalid"),
        ({"estimated_cost": "12,5"}, "amount_invalid"),
        ({"estimated_cost": "1,2,3"}, "amount_invalid"),
        ({"estimated_cost": "1000000000000"}, "amount_too_large"),
    ],
)
def test_bad_proposals_write_nothing(make_proposal, kwargs, code):
    with pytest.raises(InvalidInput) as raised:
        make_proposal(**kwargs)
    assert raised.value.code == code
    assert not Proposal.objects.exists()


def test_only_residents_of_the_area_or_organisations_serving_it_propose(make_proposal, pworld):
    with pytest.raises(NotAllowed) as raised:
        make_proposal(author="resident_elsewhere")
    assert raised.value.code == "not_eligible"
    with pytest.raises(NotAllowed):
        make_proposal(author="representative", organisation=pworld.organisation)  # not confirmed yet
    Organisation.objects.filter(pk=pworld.organisation.pk).update(confirmed_at=timezone.now())
    org = Organisation.objects.get(pk=pworld.organisation.pk)
    p = make_proposal(author="representative", organisation=org)
    assert p.organisation == org and p.actor_kind == "social"
    with pytest.raises(NotAllowed) as raised:
        make_proposal(author="member", organisation=org)
    assert raised.value.code == "not_representative"


def test_staff_enter_proposals_for_residents_who_phoned(make_proposal, pworld):
    with pytest.raises(InvalidInput):
        make_proposal(author="organiser_here", channel="phone")
    p = make_proposal(author="organiser_here", channel="phone", on_behalf_of="赵阿姨")
    assert p.channel == "phone" and p.on_behalf_of == "赵阿姨"
    with pytest.raises(NotAllowed):
        make_proposal(author="organiser_elsewhere", channel="phone", on_behalf_of="赵阿姨")


def test_reaching_the_threshold_qualifies_at_once_and_tells_the_organisers(make_proposal, pworld):
    p = make_proposal()
    people = neighbours(pworld, 3)
    services.proposal_endorse(user=people[0], proposal=p)
    services.proposal_endorse(user=people[1], proposal=p)
    assert Proposal.objects.get(pk=p.pk).state == "published"
    services.proposal_endorse(user=people[2], proposal=p)
    p = Proposal.objects.get(pk=p.pk)
    assert p.state == "qualified" and p.endorsement_count == 3 and p.qualified_at
    told = set(Notification.objects.filter(kind="proposal.qualified").values_list("recipient__display_name", flat=True))
    assert {"organiser_here", "resident"} <= told and "organiser_elsewhere" not in told
    with pytest.raises(Conflict):
        services.proposal_endorse(user=fresh(pworld["resident"]), proposal=p)  # no longer collecting


def test_endorsement_guards(make_proposal, pworld):
    p = make_proposal()
    person = neighbours(pworld, 1)[0]
    services.proposal_endorse(user=person, proposal=p)
    with pytest.raises(Conflict) as raised:
        services.proposal_endorse(user=person, proposal=p)
    assert raised.value.code == "already_endorsed"
    with pytest.raises(NotAllowed):
        services.proposal_endorse(user=fresh(pworld["resident_elsewhere"]), proposal=p)
    with pytest.raises(NotAllowed):
        services.proposal_endorse(user=fresh(pworld["unverified"]), proposal=p)
    services.proposal_unendorse(user=person, proposal=p)
    assert Proposal.objects.get(pk=p.pk).endorsement_count == 0
    with pytest.raises(Conflict):
        services.proposal_unendorse(user=person, proposal=p)
    draft = make_proposal(publish=False, title="另一条建议")
    with pytest.raises(Conflict):
        services.proposal_endorse(user=person, proposal=draft)


def test_the_window_closes_by_the_clock_and_the_tick_records_it(make_proposal, pworld):
    p = make_proposal()
    Proposal.objects.filter(pk=p.pk).update(collection_deadline=timezone.now() - timedelta(seconds=1))
    p = Proposal.objects.get(pk=p.pk)
    assert effective_state(p) == "expired"
    with pytest.raises(Conflict) as raised:
        services.proposal_endorse(user=neighbours(pworld, 1)[0], proposal=p)
    assert raised.value.code == "collection_closed"
    call_command("tick", verbosity=0)
    call_command("tick", verbosity=0)  # idempotent
    p = Proposal.objects.get(pk=p.pk)
    assert p.state == "expired" and AuditEntry.objects.filter(action="proposal.expired").count() == 1


def test_answers_are_timed_in_working_days(make_proposal, pworld):
    p = make_proposal()
    with pytest.raises(NotAllowed):
        services.proposal_answer(
            official=fresh(pworld["official_elsewhere"]), proposal=p, status="accepted", reason="同意提交议事"
        )
    with pytest.raises(InvalidInput):
        services.proposal_answer(
            official=fresh(pworld["official_here"]), proposal=p, status="maybe", reason="同意提交议事"
        )
    answer = services.proposal_answer(
        official=fresh(pworld["official_here"]), proposal=p, status="more_info", reason="请补充具体楼层"
    )
    assert answer.on_time and answer.working_days_taken == 0
    assert not is_overdue(Proposal.objects.get(pk=p.pk))


def test_late_answers_are_marked_late_and_unanswered_ones_overdue(make_proposal, pworld):
    p = make_proposal()
    long_ago = timezone.now() - timedelta(days=40)
    Proposal.objects.filter(pk=p.pk).update(published_at=long_ago, response_due=(long_ago + timedelta(days=21)).date())
    p = Proposal.objects.get(pk=p.pk)
    assert is_overdue(p)
    answer = services.proposal_answer(
        official=fresh(pworld["official_city"]), proposal=p, status="planned", reason="已列入明年计划"
    )
    assert not answer.on_time and answer.working_days_taken >= 20
    assert not is_overdue(Proposal.objects.get(pk=p.pk))


def test_a_declining_answer_declines_the_proposal(make_proposal, pworld):
    p = make_proposal()
    follower = neighbours(pworld, 1)[0]
    services.proposal_follow(user=follower, proposal=p)
    services.proposal_answer(
        official=fresh(pworld["official_here"]), proposal=p, status="declined", reason="不在本区职责范围"
    )
    p = Proposal.objects.get(pk=p.pk)
    assert p.state == "declined" and p.decline_reason == "不在本区职责范围"
    assert Notification.objects.filter(recipient=follower, kind="proposal.answered").exists()


def test_only_small_corrections_after_publication(make_proposal, pworld):
    p = make_proposal(body="3 栋楼道灯坏了两个月，晚上很不安全，老人上下楼容易摔倒。")
    author = fresh(pworld["resident"])
    services.proposal_update(
        actor=author, proposal=p, title="楼道灯长期不亮了", body=p.body.replace("两个月", "三个月")
    )
    assert ProposalRevision.objects.filter(proposal=p).count() == 1
    with pytest.raises(Conflict) as raised:
        services.proposal_update(
            actor=author, proposal=p, title="完全不同的另一件事情", body="换成一个全新的建议内容，和原来毫无关系。"
        )
    assert raised.value.code == "edit_too_large"
    with pytest.raises(NotAllowed):
        services.proposal_update(actor=fresh(pworld["member"]), proposal=p, title=p.title, body=p.body)


def test_transitions_out_of_order_are_refused(make_proposal, pworld):
    p = make_proposal()
    with pytest.raises(Conflict) as raised:
        services.proposal_decide(proposal=p, adopted=True)  # not qualified yet
    assert raised.value.code == "transition_not_allowed"
    with pytest.raises(Conflict):
        services.proposal_start_implementation(proposal=p)
    services.proposal_withdraw(actor=fresh(pworld["resident"]), proposal=p, reason="已解决")
    with pytest.raises(Conflict):
        services.proposal_withdraw(actor=fresh(pworld["resident"]), proposal=p)


def test_full_life_through_the_later_stages(make_proposal, pworld):
    p = make_proposal()
    for person in neighbours(pworld, 3):
        services.proposal_endorse(user=person, proposal=p)
    services.proposal_schedule(proposal=p, where="一社区议事会")
    services.proposal_decide(proposal=p, adopted=True, how="（表决通过）")
    services.proposal_start_implementation(proposal=p)
    services.proposal_complete(proposal=p)
    p = Proposal.objects.get(pk=p.pk)
    assert p.state == "done"
    actions = list(
        AuditEntry.objects.filter(object_id=str(p.pk), action__startswith="proposal.").values_list("action", flat=True)
    )
    for state in ("published", "qualified", "scheduled", "adopted", "in_implementation", "done"):
        assert f"proposal.{state}" in actions


def test_cosponsors_and_pledges(make_proposal, pworld):
    p = make_proposal()
    Organisation.objects.filter(pk=pworld.organisation.pk).update(confirmed_at=timezone.now())
    org = Organisation.objects.get(pk=pworld.organisation.pk)
    with pytest.raises(InvalidInput):
        services.cosponsor_join(user=pworld["representative"], proposal=p, organisation=org, pledge_kind="money")
    with pytest.raises(InvalidInput) as raised:
        services.cosponsor_join(
            user=pworld["representative"], proposal=p, organisation=org, pledge_kind="money", pledge_amount="-5"
        )
    assert raised.value.code == "amount_negative"
    for typed in ("12,5", "1,2,3"):
        with pytest.raises(InvalidInput) as raised:
            services.cosponsor_join(
                user=pworld["representative"], proposal=p, organisation=org, pledge_kind="money", pledge_amount=typed
            )
        assert raised.value.code == "amount_invalid"
    sponsor = services.cosponsor_join(
        user=pworld["representative"], proposal=p, organisation=org, pledge_kind="money", pledge_amount="2000.50"
    )
    assert sponsor.pledge_amount == Decimal("2000.50")
    with pytest.raises(Conflict):
        services.cosponsor_join(user=pworld["representative"], proposal=p, organisation=org)
    with pytest.raises(NotAllowed):
        services.cosponsor_join(user=fresh(pworld["resident_elsewhere"]), proposal=p)
    kind = services.cosponsor_join(
        user=neighbours(pworld, 1)[0], proposal=p, pledge_kind="in_kind", pledge_description="两天义务劳动"
    )
    assert kind.pledge_amount is None
    assert CoSponsor.objects.filter(proposal=p).count() == 2


def test_comments_thread_two_levels_and_count_stances(make_proposal, pworld, settings):
    p = make_proposal()
    a = services.comment_add(author=pworld["member"], proposal=p, body="支持！", stance="for")
    b = services.comment_add(author=pworld["resident"], proposal=p, body="谢谢", parent=a)
    c = services.comment_add(author=pworld["unverified"], proposal=p, body="回复的回复", parent=b, stance="against")
    assert c.parent == a  # a reply to a reply joins the same thread
    assert stance_counts(p) == {"for": 1, "against": 1, "neutral": 1}
    assert Proposal.objects.get(pk=p.pk).comment_count == 3
    with pytest.raises(InvalidInput):
        services.comment_add(author=pworld["member"], proposal=p, body=" ")
    with pytest.raises(NotAllowed):
        services.comment_edit(actor=pworld["resident"], comment=a, body="改")
    services.comment_edit(actor=pworld["member"], comment=a, body="非常支持！", stance="for")
    settings.PROPOSAL_COMMENT_EDIT_MINUTES = 0
    with pytest.raises(Conflict):
        services.comment_edit(actor=pworld["member"], comment=a, body="再改")


def test_comments_notify_followers_except_the_writer(make_proposal, pworld):
    p = make_proposal()
    services.comment_add(author=pworld["member"], proposal=p, body="我有个想法")
    assert Notification.objects.filter(recipient=pworld["resident"], kind="proposal.comment").exists()
    assert not Notification.objects.filter(recipient=pworld["member"], kind="proposal.comment").exists()


def test_endorsements_are_unique_in_the_database(make_proposal, pworld):
    from django.db import IntegrityError, transaction

    p = make_proposal()
    person = neighbours(pworld, 1)[0]
    Endorsement.objects.create(proposal=p, user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(proposal=p, user=person)
