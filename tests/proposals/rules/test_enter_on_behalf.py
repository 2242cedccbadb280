"""proposals.enter_on_behalf: organisers and officials of an enclosing area."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_city", "official_here", "admin", "organiser_here"}


@pytest.mark.parametrize("role", ROLES)
def test_enter_on_behalf(world, role):
    w = world
    obj = w["C1"]
    assert fresh(w[role]).has_perm("proposals.enter_on_behalf", obj) is (role in ALLOWED)
