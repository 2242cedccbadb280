"""civic.states.StateMachine: the table of moves, checked before every transition, and the one move that
writes the state and its audit row."""

import pytest
from django.db import models
from django.utils import translation

from civic.errors import Conflict
from civic.models import AuditEntry
from civic.states import StateMachine
from proposals.lifecycle import MACHINE
from proposals.models import Proposal, ProposalState


class Light(models.TextChoices):
    OFF = "off", "off"
    ON = "on", "on"
    BROKEN = "broken", "broken"


TABLE = {Light.OFF: {Light.ON, Light.BROKEN}, Light.ON: {Light.OFF, Light.BROKEN}, Light.BROKEN: set()}


def test_a_state_missing_from_the_table_is_refused_at_construction():
    with pytest.raises(ValueError, match="broken"):
        StateMachine(Light, {Light.OFF: {Light.ON}, Light.ON: {Light.OFF}}, noun="light")


@pytest.mark.parametrize(
    "table",
    [
        {**TABLE, "lit": {Light.OFF}},  # a key that is no state
        {**TABLE, Light.OFF: {Light.ON, "of"}},  # a misspelt target would never be allowed
    ],
)
def test_a_table_naming_an_unknown_state_is_refused_at_construction(table):
    with pytest.raises(ValueError, match="unknown"):
        StateMachine(Light, table, noun="light")


def test_can_targets_final_and_check():
    machine = StateMachine(Light, TABLE, noun="light")
    assert machine.targets(Light.OFF) == {Light.ON, Light.BROKEN}
    assert machine.targets("nonsense") == frozenset()
    assert machine.can(Light.OFF, Light.ON) and not machine.can(Light.BROKEN, Light.ON)
    assert not machine.can(Light.OFF, Light.OFF)  # staying put is no move
    assert machine.final(Light.BROKEN) and not machine.final(Light.ON)
    machine.check(Light.ON, Light.OFF)
    with translation.override("en"), pytest.raises(Conflict) as caught:
        machine.check(Light.BROKEN, Light.ON)
    assert caught.value.code == "transition_not_allowed" and caught.value.status == 409
    assert str(caught.value.message) == "Something that is “broken” cannot become “on”."


def test_check_refuses_an_unknown_state_as_a_conflict_not_a_crash():
    machine = StateMachine(Light, TABLE, noun="light")
    for current, target in [(Light.OFF, "dimmed"), ("dimmed", Light.OFF)]:
        with pytest.raises(Conflict) as caught:
            machine.check(current, target)
        assert caught.value.code == "transition_not_allowed"


def test_the_refusal_is_translated():
    with translation.override("zh-hans"), pytest.raises(Conflict) as caught:
        MACHINE.check(ProposalState.DONE, ProposalState.DRAFT)
    message = str(caught.value.message)
    assert "“" in message and "不" in message and "%(" not in message


@pytest.mark.django_db
def test_move_writes_the_state_and_the_audit_row(make_proposal, pworld):
    proposal = make_proposal()
    assert proposal.state == ProposalState.PUBLISHED
    official = pworld["official_here"]
    audits = AuditEntry.objects.count()
    left = MACHINE.move(proposal, ProposalState.WITHDRAWN, actor=official, area=proposal.area, after={"why": "x"})
    assert left == ProposalState.PUBLISHED
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.WITHDRAWN
    entry = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == audits + 1
    assert entry.action == "proposal.withdrawn" and entry.actor == official and entry.area == proposal.area
    assert entry.before == {"state": "published"} and entry.after == {"state": "withdrawn", "why": "x"}


@pytest.mark.django_db
def test_move_refuses_a_move_not_in_the_table_and_writes_nothing(make_proposal, pworld):
    proposal = make_proposal()
    audits = AuditEntry.objects.count()
    with pytest.raises(Conflict) as caught:
        MACHINE.move(proposal, ProposalState.DONE, actor=pworld["resident"], fields=["title"])
    assert caught.value.code == "transition_not_allowed" and caught.value.status == 409
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.PUBLISHED
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_move_refuses_a_record_whose_state_changed_meanwhile(make_proposal, pworld):
    """Two people act on the same record read before either wrote: the second move starts from a state the
    record no longer has, and is refused rather than written over the first."""
    proposal = make_proposal()
    stale = Proposal.objects.get(pk=proposal.pk)
    MACHINE.move(proposal, ProposalState.WITHDRAWN, actor=pworld["resident"])
    audits = AuditEntry.objects.count()
    with pytest.raises(Conflict) as caught:
        MACHINE.move(stale, ProposalState.DECLINED, actor=pworld["resident"])
    assert caught.value.code == "state_changed" and caught.value.status == 409
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.WITHDRAWN
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_the_state_changed_refusal_is_translated(make_proposal, pworld):
    proposal = make_proposal()
    stale = Proposal.objects.get(pk=proposal.pk)
    MACHINE.move(proposal, ProposalState.WITHDRAWN, actor=pworld["resident"])
    with translation.override("zh-hans"), pytest.raises(Conflict) as caught:
        MACHINE.move(stale, ProposalState.DECLINED, actor=pworld["resident"])
    assert str(caught.value.message) == "内容刚刚已被他人更改，请刷新页面后重试。"
