"""civic.moderate_area: moderators of an enclosing area."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"moderator_here", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_moderate_area(world, role):
    w = world
    obj = w["C1"]
    assert fresh(w[role]).has_perm("civic.moderate_area", obj) is (role in ALLOWED)
