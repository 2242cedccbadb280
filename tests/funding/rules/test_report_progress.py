"""funding.report_progress: the implementer's members and officials of the project's area or above."""

import pytest

from tests.world import ROLES, fresh

ALLOWED = {"representative", "member", "official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_report_progress(fworld, project, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.report_progress", project) is (role in ALLOWED)
