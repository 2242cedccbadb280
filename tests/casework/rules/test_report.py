"""casework.report: verified residents (in any cell) and the staff of the cell's area."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {
    "resident",
    "resident_elsewhere",
    "grid_worker_here",
    "organiser_here",
    "official_here",
    "official_city",
    "admin",
}


@pytest.mark.parametrize("role", CW_ROLES)
def test_report(cw, role):
    obj = cw["c1a"]
    assert fresh(cw[role]).has_perm("casework.report", obj) is (role in ALLOWED)
