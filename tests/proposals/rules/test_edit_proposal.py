"""proposals.edit_proposal: the author (resident); a neighbour in the same cell may not."""

import pytest

from proposals.predicates import authors_may
from tests.factories import UserFactory
from tests.world import ROLES, fresh, proposal_in, verify

ALLOWED = {"resident"}  # asked of the rule itself: an administrator is not the author


@pytest.mark.parametrize("role", ROLES)
def test_edit_proposal(world, role):
    w = world
    obj = proposal_in(w)
    assert authors_may(fresh(w[role]), "proposals.edit_proposal", obj) is (role in ALLOWED)


def test_a_neighbour_and_a_deactivated_author_may_not(world):
    obj = proposal_in(world)
    neighbour = UserFactory()
    verify(neighbour, world["c1a"])
    assert not authors_may(fresh(neighbour), "proposals.edit_proposal", obj)
    world["resident"].is_active = False
    world["resident"].save(update_fields=["is_active"])
    assert not authors_may(fresh(world["resident"]), "proposals.edit_proposal", obj)
