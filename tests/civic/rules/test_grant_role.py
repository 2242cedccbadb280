"""civic.grant_role: officials of an enclosing area."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_grant_role(world, role):
    w = world
    obj = w["S1"]
    assert fresh(w[role]).has_perm("civic.grant_role", obj) is (role in ALLOWED)
