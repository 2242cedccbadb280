"""A consultation from draft to every opinion answered, and each refusal on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.models import AuditEntry, Notification
from consultations import services
from consultations.models import Extension, Opinion, OpinionSupport, TextUnit
from tests.consultations.conftest import close

pytestmark = pytest.mark.django_db


def test_import_gives_units_with_anchors(make_consultation):
    consultation = make_consultation(publish=False)
    anchors = list(TextUnit.objects.filter(version__consultation=consultation).values_list("anchor", flat=True))
    assert anchors == [
        "ch1",
        "art1",
        "art1-p1",
        "art2",
        "art2-p1",
        "art2-p1-i1",
        "art2-p1-i2",
        "ch2",
        "art3",
        "art3-p1",
    ]


def test_reimport_replaces_the_units(world, make_consultation):
    consultation = make_consultation(publish=False)
    services.consultation_import_text(actor=world["official_here"], consultation=consultation, source="第一条 甲")
    assert TextUnit.objects.filter(version__consultation=consultation).count() == 2


def test_only_drafters_import_and_not_after_publication(world, open_consultation):
    with pytest.raises(NotAllowed):
        services.consultation_import_text(actor=world["resident"], consultation=open_consultation, source="第一条 甲")
    with pytest.raises(Conflict) as refused:
        services.consultation_import_text(
            actor=world["official_here"], consultation=open_consultation, source="第一条 甲"
        )
    assert refused.value.code == "not_draft"


def test_publish_needs_a_text_and_a_window(world):
    consultation = services.consultation_create(
        actor=world["official_here"], area=world["C1"], title="无文本", kind="plan"
    )
    with pytest.raises(Conflict) as refused:
        services.consultation_publish(actor=world["official_here"], consultation=consultation)
    assert refused.value.code == "text_missing"
    services.consultation_import_text(actor=world["official_here"], consultation=consultation, source="一、范围")
    with pytest.raises(InvalidInput) as refused:
        services.consultation_publish(actor=world["official_here"], consultation=consultation)
    assert refused.value.code == "closes_missing"


def test_publish_tells_subscribers_of_the_area_and_above(world, make_consultation):
    services.area_subscribe(user=world["resident"], area=world["C1"])
    services.area_subscribe(user=world["resident_elsewhere"], area=world["C2"])
    services.area_subscribe(user=world["member"], area=world["c1a"])  # a cell inside the community
    consultation = make_consultation()
    told = set(
        Notification.objects.filter(kind="consultation.opened").values_list("recipient__display_name", flat=True)
    )
    assert told == {"resident", "member"}
    assert consultation.state == "open"


def test_an_official_elsewhere_cannot_create_here(world):
    with pytest.raises(NotAllowed):
        services.consultation_create(actor=world["official_elsewhere"], area=world["C1"], title="x", kind="plan")


def test_resident_comments_on_a_unit_with_wording(world, open_consultation):
    opinion = services.opinion_submit(
        author=world["resident"],
        consultation=open_consultation,
        unit="art1-p1",
        text="建议写明依据。",
        wording="为了维护业主的合法权益，根据民法典，制定本规约。",
    )
    assert opinion.unit.anchor == "art1-p1"
    open_consultation.refresh_from_db()
    assert open_consultation.opinion_count == 1
    assert open_consultation.follower_count == 2  # the official who published and the author


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"unit": "art99"}, NotFound, "unit_unknown"),
        ({"text": "   "}, InvalidInput, "required"),
        ({"text": "长" * 2001}, InvalidInput, "too_long"),
        ({"unit": None, "wording": "新的表述"}, InvalidInput, "wording_without_unit"),
    ],
)
def test_bad_opinions_are_refused_and_nothing_is_written(world, open_consultation, kwargs, error, code):
    values = {"unit": "art1", "text": "意见", **kwargs}
    with pytest.raises(error) as refused:
        services.opinion_submit(author=world["resident"], consultation=open_consultation, **values)
    assert refused.value.code == code
    assert Opinion.objects.count() == 0
    open_consultation.refresh_from_db()
    assert open_consultation.opinion_count == 0


def test_outside_the_area_or_the_window_is_refused(world, open_consultation):
    with pytest.raises(NotAllowed) as refused:
        services.opinion_submit(author=world["resident_elsewhere"], consultation=open_consultation, text="意见")
    assert refused.value.code == "not_eligible"
    with pytest.raises(Conflict) as refused:
        services.opinion_submit(
            author=world["resident"],
            consultation=open_consultation,
            text="意见",
            now=open_consultation.closes_at + timedelta(seconds=1),
        )
    assert refused.value.code == "window_closed"
    assert Opinion.objects.count() == 0


def test_everyone_signed_in_may_comment_when_the_consultation_says_so(world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    services.opinion_submit(author=world["resident_elsewhere"], consultation=consultation, text="意见")
    with pytest.raises(NotAllowed):
        services.opinion_submit(author=world["visitor"], consultation=consultation, text="意见")


def test_organisation_speaks_as_organisation(world, open_consultation):
    world.organisation.confirmed_at = timezone.now()
    world.organisation.save(update_fields=["confirmed_at"])
    opinion = services.opinion_submit(
        author=world["representative"], consultation=open_consultation, text="意见", organisation=world.organisation
    )
    assert opinion.organisation == world.organisation
    with pytest.raises(NotAllowed) as refused:
        services.opinion_submit(author=world["representative"], consultation=open_consultation, text="以个人身份")
    assert refused.value.code == "not_eligible"
    with pytest.raises(NotAllowed):
        services.opinion_submit(
            author=world["member"], consultation=open_consultation, text="意见", organisation=world.organisation
        )


def test_support_once_not_own_and_counted(world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    opinion = services.opinion_submit(author=world["resident"], consultation=consultation, text="意见")
    services.opinion_support(user=world["resident_elsewhere"], opinion=opinion)
    with pytest.raises(Conflict) as refused:
        services.opinion_support(user=world["resident_elsewhere"], opinion=opinion)
    assert refused.value.code == "already_supported"
    with pytest.raises(NotAllowed):
        services.opinion_support(user=world["resident"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.support_count == OpinionSupport.objects.count() == 1
    services.opinion_unsupport(user=world["resident_elsewhere"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.support_count == 0


def test_no_support_where_opinions_are_kept_to_the_drafters(world, make_consultation):
    consultation = make_consultation(participation="signed_in", opinions_public=False)
    opinion = services.opinion_submit(author=world["resident"], consultation=consultation, text="意见")
    with pytest.raises(NotAllowed):
        services.opinion_support(user=world["resident_elsewhere"], opinion=opinion)


def test_extension_is_later_with_a_reason_and_recorded(world, open_consultation):
    later = open_consultation.closes_at + timedelta(days=5)
    with pytest.raises(InvalidInput):
        services.consultation_extend(
            actor=world["official_here"], consultation=open_consultation, closes_at=later, reason=""
        )
    with pytest.raises(InvalidInput) as refused:
        services.consultation_extend(
            actor=world["official_here"],
            consultation=open_consultation,
            closes_at=open_consultation.closes_at - timedelta(days=1),
            reason="缩短",
        )
    assert refused.value.code == "extension_not_later"
    services.consultation_extend(
        actor=world["official_here"], consultation=open_consultation, closes_at=later, reason="应居民要求延长"
    )
    open_consultation.refresh_from_db()
    assert open_consultation.closes_at == later
    assert Extension.objects.get().reason == "应居民要求延长"


def test_symposium_and_offline_opinions(world, open_consultation):
    today = timezone.localdate()
    symposium = services.symposium_record(
        staff=world["organiser_here"], consultation=open_consultation, held_on=today, place="会议室", attendance=12
    )
    opinion = services.opinion_enter_offline(
        staff=world["organiser_here"],
        consultation=open_consultation,
        source="symposium",
        symposium=symposium,
        unit="art2",
        text="座谈会上的意见",
    )
    assert (opinion.received_on, opinion.entered_by, opinion.author) == (today, world["organiser_here"], None)
    letter = services.opinion_enter_offline(
        staff=world["organiser_here"], consultation=open_consultation, source="letter", received_on=today, text="来信"
    )
    assert letter.source == "letter"
    with pytest.raises(InvalidInput) as refused:
        services.opinion_enter_offline(
            staff=world["organiser_here"],
            consultation=open_consultation,
            source="hotline",
            received_on=today + timedelta(days=1),
            text="热线",
        )
    assert refused.value.code == "date_in_future"
    with pytest.raises(NotAllowed):
        services.opinion_enter_offline(
            staff=world["organiser_elsewhere"],
            consultation=open_consultation,
            source="letter",
            received_on=today,
            text="来信",
        )
    with pytest.raises(InvalidInput):
        services.symposium_record(
            staff=world["organiser_here"], consultation=open_consultation, held_on=today, place="会议室", attendance=0
        )


def test_tick_closes_once_and_sets_the_answer_deadline(world, open_consultation):
    assert services.close_due_consultations(now=open_consultation.closes_at - timedelta(seconds=1)) == 0
    assert services.close_due_consultations(now=open_consultation.closes_at) == 1
    assert services.close_due_consultations(now=open_consultation.closes_at + timedelta(hours=1)) == 0
    open_consultation.refresh_from_db()
    assert open_consultation.state == "closed"
    assert open_consultation.answer_due > timezone.localdate(open_consultation.closes_at)


def test_answering_alone_and_in_groups_then_the_close_guard(world, open_consultation):
    a = services.opinion_submit(author=world["resident"], consultation=open_consultation, unit="art1", text="甲")
    b = services.opinion_submit(author=world["resident"], consultation=open_consultation, unit="art2", text="乙")
    c = services.opinion_submit(author=world["resident"], consultation=open_consultation, text="丙")
    official = world["official_here"]
    with pytest.raises(Conflict) as refused:
        services.opinion_answer(actor=official, opinion=a, classification="adopted", reason="采纳")
    assert refused.value.code == "window_still_open"
    close(open_consultation)
    services.opinion_answer(actor=official, opinion=a, classification="adopted", reason="已修改第一条")
    with pytest.raises(Conflict) as refused:
        services.opinion_answer(actor=official, opinion=a, classification="not_adopted", reason="再答")
    assert refused.value.code == "already_answered"
    with pytest.raises(InvalidInput):
        services.opinion_answer(actor=official, opinion=b, classification="maybe", reason="理由")
    with pytest.raises(InvalidInput):
        services.opinion_answer(actor=official, opinion=b, classification="adopted", reason=" ")
    group = services.group_create(actor=official, consultation=open_consultation, title="相近意见", opinions=[b, c])
    with pytest.raises(Conflict) as refused:
        services.opinion_answer(actor=official, opinion=b, classification="adopted", reason="理由")
    assert refused.value.code == "answer_with_group"
    with pytest.raises(Conflict) as refused:
        services.group_create(actor=official, consultation=open_consultation, title="再分组", opinions=[a])
    assert refused.value.code == "already_answered"
    with pytest.raises(NotAllowed):
        services.consultation_finish_answering(actor=world["resident"], consultation=open_consultation)
    with pytest.raises(Conflict) as refused:
        services.consultation_finish_answering(actor=official, consultation=open_consultation)
    assert refused.value.code == "opinions_unanswered"
    services.group_answer(actor=official, group=group, classification="already_provided", reason="第三条已有规定")
    with pytest.raises(Conflict):
        services.group_answer(actor=official, group=group, classification="adopted", reason="再答")
    assert set(Opinion.objects.values_list("classification", flat=True)) == {"adopted", "already_provided"}
    services.consultation_finish_answering(actor=official, consultation=open_consultation)
    open_consultation.refresh_from_db()
    assert open_consultation.state == "answered"
    told = Notification.objects.filter(recipient=world["resident"], kind="consultation.answered").count()
    assert told == 3
    assert AuditEntry.objects.filter(action="consultation.answered").count() == 1


def test_named_drafter_answers(world, make_consultation):
    consultation = make_consultation(drafters=[world["member"]])
    assert consultation.follows.filter(user=world["member"]).exists()  # told when the window closes
    opinion = services.opinion_submit(author=world["resident"], consultation=consultation, text="甲")
    close(consultation)
    services.opinion_answer(actor=world["member"], opinion=opinion, classification="out_of_scope", reason="不在范围")
    with pytest.raises(NotAllowed):
        services.opinion_answer(actor=world["organiser_here"], opinion=opinion, classification="adopted", reason="x")


def test_questions(world, make_consultation):
    consultation = make_consultation(publish=False, participation="signed_in")
    question = services.question_add(
        actor=world["official_here"],
        consultation=consultation,
        kind="single",
        text="是否赞成？",
        options=["赞成", "反对"],
    )
    with pytest.raises(InvalidInput):
        services.question_add(
            actor=world["official_here"], consultation=consultation, kind="single", text="一项", options=["只有一项"]
        )
    services.consultation_publish(actor=world["official_here"], consultation=consultation)
    yes = question.options.get(text="赞成")
    services.question_answer(user=world["resident"], question=question, options=[yes.pk])
    with pytest.raises(Conflict):
        services.question_answer(user=world["resident"], question=question, options=[yes.pk])
    with pytest.raises(InvalidInput):
        services.question_answer(user=world["official_here"], question=question, options=list(question.options.all()))
