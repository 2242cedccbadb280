"""funding.create_project: officials of the area or above."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_create_project(fworld, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.create_project", w["C1"]) is (role in ALLOWED)
