"""civic.register_organisation: every active signed-in person."""

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
def test_register_organisation(world, role):
    w = world
    obj = None
    assert fresh(w[role]).has_perm("civic.register_organisation", obj) is (role in ALLOWED)
