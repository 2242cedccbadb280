"""civic.confirm_organisation: officials of an area the organisation serves (or above)."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_confirm_organisation(world, role):
    w = world
    obj = w.organisation
    assert fresh(w[role]).has_perm("civic.confirm_organisation", obj) is (role in ALLOWED)
