"""funding.rate_project: verified residents of the project's area, nobody else (no superuser bypass: the
service and the page ask the rule itself, so an administrator is not counted as a resident)."""

import pytest
import rules

from tests.world import ROLES, fresh

ALLOWED = {"resident"}


@pytest.mark.parametrize("role", ROLES)
def test_rate_project(fworld, project, role):
    w = fworld
    assert rules.has_perm("funding.rate_project", fresh(w[role]), project) is (role in ALLOWED)
