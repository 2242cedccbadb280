"""The consultation's states, the database's own guards, the tick, moderation."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from civic.errors import Conflict
from civic.models import ModerationCase
from civic.services import content_report
from consultations import services
from consultations.models import MACHINE, Consultation, ConsultationState, Extension, Opinion, OpinionSupport

S = ConsultationState


def test_the_only_moves():
    assert {state: set(MACHINE.targets(state)) for state in S.values} == {
        "draft": {"open"},
        "open": {"closed"},
        "closed": {"answered"},
        "answered": {"concluded"},
        "concluded": set(),
    }
    with pytest.raises(Conflict) as refused:
        MACHINE.check(S.OPEN, S.ANSWERED)
    assert refused.value.code == "transition_not_allowed"


@pytest.mark.django_db
def test_the_database_refuses_half_an_answer_and_a_second_support(world, open_consultation):
    opinion = services.opinion_submit(author=world["resident"], consultation=open_consultation, text="意见")
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.filter(pk=opinion.pk).update(classification="adopted")  # no reason, no time
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.filter(pk=opinion.pk).update(source="letter")  # offline without the staff who entered it
    OpinionSupport.objects.create(opinion=opinion, user=world["member"])
    with pytest.raises(IntegrityError), transaction.atomic():
        OpinionSupport.objects.create(opinion=opinion, user=world["member"])


@pytest.mark.django_db
def test_a_published_consultation_always_has_its_window(world, make_consultation):
    consultation = make_consultation(publish=False, closes_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(state="open")


@pytest.mark.django_db
def test_extensions_are_append_only(world, open_consultation):
    services.consultation_extend(
        actor=world["official_here"],
        consultation=open_consultation,
        closes_at=open_consultation.closes_at + timedelta(days=1),
        reason="延长",
    )
    with pytest.raises(Exception):  # noqa: B017 - the ORM or the database refuses, either is right
        Extension.objects.update(reason="改写")
    assert Extension.objects.get().reason == "延长"


@pytest.mark.django_db
def test_tick_closes_a_consultation_whose_window_passed(world, open_consultation):
    Consultation.objects.filter(pk=open_consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=5), closes_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("tick", verbosity=0)
    call_command("tick", verbosity=0)
    open_consultation.refresh_from_db()
    assert open_consultation.state == "closed"
    assert open_consultation.answer_due is not None


@pytest.mark.django_db
def test_an_opinion_can_be_reported_to_the_moderators_of_the_area(world, open_consultation):
    opinion = services.opinion_submit(author=world["resident"], consultation=open_consultation, text="不文明的话")
    content_report(reporter=world["member"], obj=opinion, reason="abuse")
    case = ModerationCase.objects.get()
    assert case.area == open_consultation.area
    assert case.author == world["resident"]


def test_the_answers_read_as_answers_to_an_opinion_not_as_a_proposal_s_fate():
    """采纳 / 未采纳, not the 已通过 / 未通过 of a proposal that shares the English words."""
    from django.utils import translation

    from consultations.models import Classification
    from proposals.models import ProposalState

    with translation.override("zh-hans"):
        assert [str(label) for _, label in Classification.choices] == [
            "采纳",
            "部分采纳",
            "未采纳",
            "已有规定",
            "不属于本次范围",
        ]
        assert str(ProposalState.ADOPTED.label) == "已通过"
    with translation.override("en"):
        assert str(Classification.ADOPTED.label) == "adopted"
