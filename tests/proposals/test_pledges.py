"""What co-sponsors pledge: a money amount is a number, given as text or not."""

from decimal import Decimal

import pytest

from civic.errors import InvalidInput
from proposals import services as proposal_services
from tests.factories import UserFactory
from tests.world import verify

pytestmark = pytest.mark.django_db


def _neighbour(w):
    person = UserFactory()
    verify(person, w["c1a"])
    return person


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-inf", "sNaN"])
def test_a_pledge_that_is_no_number_is_refused(make_proposal, pworld, amount):
    proposal = make_proposal()
    with pytest.raises(InvalidInput) as refused:
        proposal_services.cosponsor_join(
            user=_neighbour(pworld),
            proposal=proposal,
            pledge_kind="money",
            pledge_amount=amount,
        )
    assert refused.value.field == "pledge_amount"


def test_money_helper_still_takes_plain_amounts(make_proposal, pworld):
    proposal = make_proposal()
    sponsor = proposal_services.cosponsor_join(
        user=_neighbour(pworld),
        proposal=proposal,
        pledge_kind="money",
        pledge_amount="1200.50",
    )
    assert sponsor.pledge_amount == Decimal("1200.50")
