"""civic.join_organisation: any signed-in person with an open account."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = set(ROLES) - {"visitor"}


@pytest.mark.parametrize("role", ROLES)
def test_join_organisation(world, role):
    assert fresh(world[role]).has_perm("civic.join_organisation") is (role in ALLOWED)
