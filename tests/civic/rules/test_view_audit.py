"""civic.view_audit: officials anywhere."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "official_elsewhere", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_view_audit(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("civic.view_audit", obj) is (role in ALLOWED)
