"""civic.close_account: the person themself, and an administrator."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"resident", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_close_account(world, role):
    w = world
    assert fresh(w[role]).has_perm("civic.close_account", w["resident"]) is (role in ALLOWED)
