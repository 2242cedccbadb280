"""deliberation.prepare_box (no object): an organiser or official of any area, or a superuser."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {
    "organiser_here",
    "organiser_elsewhere",
    "official_here",
    "official_elsewhere",
    "official_city",
    "admin",
}


@pytest.mark.parametrize("role", ROLES)
def test_prepare_a_box(world, role):
    assert fresh(world[role]).has_perm("deliberation.prepare_box") is (role in ALLOWED)
