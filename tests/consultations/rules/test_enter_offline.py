"""consultations.enter_offline: the drafters and the organisers of the area."""

import pytest

from tests.world import ROLES, fresh

from ._world import consultation_in

ALLOWED = {"official_here", "official_city", "organiser_here", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_enter_offline(world, role):
    assert fresh(world[role]).has_perm("consultations.enter_offline", consultation_in(world)) is (role in ALLOWED)
