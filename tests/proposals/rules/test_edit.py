"""proposals.edit: the author (resident)."""

import pytest

from tests.world import ROLES, fresh, proposal_in

ALLOWED = {"admin", "resident"}


@pytest.mark.parametrize("role", ROLES)
def test_edit(world, role):
    w = world
    obj = proposal_in(w)
    assert fresh(w[role]).has_perm("proposals.edit", obj) is (role in ALLOWED)
