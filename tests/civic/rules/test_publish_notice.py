"""civic.publish_notice: officials of the area or above."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_publish_notice(world, role):
    w = world
    assert fresh(w[role]).has_perm("civic.publish_notice", w["C1"]) is (role in ALLOWED)
