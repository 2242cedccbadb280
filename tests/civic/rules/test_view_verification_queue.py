"""civic.view_verification_queue: anyone who decides verifications somewhere."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"organiser_here", "official_here", "official_city", "official_elsewhere", "organiser_elsewhere", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_view_verification_queue(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("civic.view_verification_queue", obj) is (role in ALLOWED)
