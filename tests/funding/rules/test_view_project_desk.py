"""funding.view_project_desk: officials of any area (the creation desk and the adopted proposals waiting)."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_elsewhere", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_view_project_desk(fworld, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.view_project_desk") is (role in ALLOWED)
