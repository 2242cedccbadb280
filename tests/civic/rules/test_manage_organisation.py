"""civic.manage_organisation: its representatives."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"admin", "representative"}


@pytest.mark.parametrize("role", ROLES)
def test_manage_organisation(world, role):
    w = world
    obj = w.organisation
    assert fresh(w[role]).has_perm("civic.manage_organisation", obj) is (role in ALLOWED)
