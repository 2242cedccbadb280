"""civic.view_verification: the applicant, and whoever may decide."""

import pytest

from tests.world import ROLES, fresh, pending_request

ALLOWED = {"unverified", "official_here", "organiser_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_view_verification(world, role):
    w = world
    obj = pending_request(w)
    assert fresh(w[role]).has_perm("civic.view_verification", obj) is (role in ALLOWED)
