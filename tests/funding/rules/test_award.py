"""funding.award: officials of the project's area or above."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_award(fworld, project, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.award", project) is (role in ALLOWED)
