"""funding.manage_project: officials of the project's area or above."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_manage_project(fworld, project, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.manage_project", project) is (role in ALLOWED)
