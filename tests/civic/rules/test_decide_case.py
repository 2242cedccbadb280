"""civic.decide_case: moderators of the case's area (or above)."""

import pytest

from tests.world import ROLES, case_in, fresh

ALLOWED = {"moderator_here", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_decide_case(world, role):
    w = world
    obj = case_in(w["C1"])
    assert fresh(w[role]).has_perm("civic.decide_case", obj) is (role in ALLOWED)
