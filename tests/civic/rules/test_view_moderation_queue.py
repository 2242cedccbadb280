"""civic.view_moderation_queue: moderators anywhere."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"moderator_here", "admin", "moderator_elsewhere"}


@pytest.mark.parametrize("role", ROLES)
def test_view_moderation_queue(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("civic.view_moderation_queue", obj) is (role in ALLOWED)
