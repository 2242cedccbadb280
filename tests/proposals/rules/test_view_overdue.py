"""proposals.view_overdue: officials anywhere."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_city", "official_elsewhere", "admin", "official_here"}


@pytest.mark.parametrize("role", ROLES)
def test_view_overdue(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("proposals.view_overdue", obj) is (role in ALLOWED)
