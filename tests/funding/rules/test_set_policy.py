"""funding.set_policy: officials of the area or above (the policy of community C1)."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_set_policy(fworld, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.set_policy", w["C1"]) is (role in ALLOWED)
