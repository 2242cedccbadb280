"""The demo shows projects in every state, a whole award paid, and a consistent ledger."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from funding.ledger_check import check_ledger
from funding.models import AwardStatus, EntryKind, LedgerEntry, MicroProject, ProjectState, SubsidyAward
from proposals.models import Proposal, ProposalState

pytestmark = pytest.mark.django_db


def test_the_demo_has_projects_in_every_state_and_a_whole_award_paid():
    call_command("seed_demo", quiet_logins=True)
    assert set(MicroProject.objects.values_list("state", flat=True)) >= {
        ProjectState.PLANNED,
        ProjectState.IN_PROGRESS,
        ProjectState.COMPLETED,
        ProjectState.ACCEPTED,
        ProjectState.CLOSED,
        ProjectState.SUSPENDED,
        ProjectState.CANCELLED,
    }
    park = MicroProject.objects.get(state=ProjectState.CLOSED)
    assert park.proposal.state == ProposalState.DONE
    paid = {
        kind: sum(LedgerEntry.objects.filter(project=park, kind=kind).values_list("amount", flat=True), Decimal(0))
        for kind in (EntryKind.AWARD, EntryKind.ADVANCE, EntryKind.SETTLEMENT)
    }
    # 14,800 verified × 30 % = 4,440: three advances (80 % of 4,500) and the settlement make it up exactly
    assert paid == {
        EntryKind.AWARD: Decimal("4440.00"),
        EntryKind.ADVANCE: Decimal("3600.00"),
        EntryKind.SETTLEMENT: Decimal("840.00"),
    }
    assert SubsidyAward.objects.filter(status=AwardStatus.NOTICE, objections__isnull=False).exists()
    # one adopted proposal is left for an official to turn into a project
    assert Proposal.objects.filter(state=ProposalState.ADOPTED, project__isnull=True).exists()
    assert check_ledger() == []
    from civic.models import Area, OutcomeNotice
    from civic.selectors import unpublished_decisions

    district = Area.objects.get(code="990102")
    assert OutcomeNotice.objects.filter(kind="payment").count() == 4  # three advances and the settlement
    assert unpublished_decisions(district)  # the ramp's award and advance wait for their notices
