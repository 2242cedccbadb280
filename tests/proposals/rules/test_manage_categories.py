"""proposals.manage_categories: officials anywhere."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_city", "official_elsewhere", "admin", "official_here"}


@pytest.mark.parametrize("role", ROLES)
def test_manage_categories(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("proposals.manage_categories", obj) is (role in ALLOWED)
