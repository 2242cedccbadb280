"""casework.refer: the grid worker of the cell and the officials above it (not organisers)."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"grid_worker_here", "official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_refer(cw, file_report, role):
    obj = file_report()
    assert fresh(cw[role]).has_perm("casework.refer", obj) is (role in ALLOWED)
