"""proposals.answer: officials of an area enclosing the proposal's area."""

import pytest

from tests.world import ROLES, fresh, proposal_in

ALLOWED = {"official_city", "admin", "official_here"}


@pytest.mark.parametrize("role", ROLES)
def test_answer(world, role):
    w = world
    obj = proposal_in(w)
    assert fresh(w[role]).has_perm("proposals.answer", obj) is (role in ALLOWED)
