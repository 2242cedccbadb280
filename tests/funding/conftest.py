"""A funding world: the district's subsidy policy, an adopted proposal with pledges, helpers to move a
project through its life and to let time pass."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services
from funding.models import MicroProject, SubsidyAward
from proposals.models import CoSponsor, Proposal, ProposalState

POLICY = {
    "share": Decimal("0.30"),
    "cap_per_project": Decimal("100000"),
    "cap_per_area_year": Decimal("250000"),
    "min_self_funded_share": Decimal("0.10"),
    "min_acceptance_score": Decimal("80"),
    "min_satisfaction_rate": Decimal("0.8"),
    "advance_start": Decimal("0.3"),
    "advance_midpoint": Decimal("0.5"),
    "advance_completion": Decimal("0.8"),
    "rating_days": 10,
    "notice_days": 7,
    "objection_days": 7,
    "answer_days": 5,
}


@pytest.fixture
def fworld(pworld):
    w = pworld
    w.policy = services.policy_publish(actor=w["official_here"], area=w["D1"], data=POLICY)
    return w


@pytest.fixture
def adopted(fworld, make_proposal):
    """An adopted proposal with a resident's money pledge and the organisation's in-kind pledge."""
    proposal = make_proposal(estimated_cost=Decimal("120000"))
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ADOPTED)
    proposal.refresh_from_db()
    CoSponsor.objects.create(
        proposal=proposal, user=fworld["resident"], pledge_kind="money", pledge_amount=Decimal("15000")
    )
    CoSponsor.objects.create(
        proposal=proposal,
        user=fworld["representative"],
        organisation=fworld.organisation,
        pledge_kind="in_kind",
        pledge_amount=Decimal("3000"),
        pledge_description="志愿者清运建筑垃圾",
    )
    return proposal


def plan(**changes):
    today = timezone.localdate()
    data = {
        "title": "3 栋楼道灯更换",
        "scope": "更换 3 栋 1–6 层楼道灯为声控 LED 灯，含线路检修。",
        "budget_lines": [{"item": "LED 灯具", "amount": "80000"}, {"item": "线路检修", "amount": "40000"}],
        "planned_start": today,
        "planned_end": today + timedelta(days=60),
        "milestones": [
            {"title": "灯具到货", "due_on": today + timedelta(days=10)},
            {"title": "一半楼层完工", "due_on": today + timedelta(days=30), "is_midpoint": True},
        ],
    }
    data.update(changes)
    return data


@pytest.fixture
def project(fworld, adopted):
    return services.project_create(
        actor=fworld["official_here"], proposal=adopted, implementer=fworld.organisation, **plan()
    )


def shift(model, pk, **deltas):
    """Move recorded moments into the past (time passes without sleeping)."""
    obj = model.objects.get(pk=pk)
    for field, delta in deltas.items():
        setattr(obj, field, getattr(obj, field) - delta)
    obj.save(update_fields=list(deltas))


def end_notice(award):
    shift(SubsidyAward, award.pk, notice_until=timedelta(days=30), objections_until=timedelta(days=30))


def end_rating(project):
    shift(MicroProject, project.pk, accepted_at=timedelta(days=30))
