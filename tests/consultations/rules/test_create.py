"""consultations.create (anywhere) and consultations.create_in_area: officials, of the area or above it."""

import pytest

from tests.world import ROLES, fresh

ANYWHERE = {"official_here", "official_elsewhere", "official_city", "admin"}
IN_C1 = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_create(world, role):
    assert fresh(world[role]).has_perm("consultations.create") is (role in ANYWHERE)


@pytest.mark.parametrize("role", ROLES)
def test_create_in_area(world, role):
    assert fresh(world[role]).has_perm("consultations.create_in_area", world["C1"]) is (role in IN_C1)
