"""civic.request_verification: every active signed-in person may ask to be verified."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {
    "unverified",
    "organiser_here",
    "official_here",
    "representative",
    "resident",
    "moderator_elsewhere",
    "member",
    "resident_elsewhere",
    "official_city",
    "official_elsewhere",
    "organiser_elsewhere",
    "moderator_here",
    "admin",
}


@pytest.mark.parametrize("role", ROLES)
def test_request_verification(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("civic.request_verification", obj) is (role in ALLOWED)
