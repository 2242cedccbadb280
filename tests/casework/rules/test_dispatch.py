"""casework.dispatch: the grid worker of the cell and the organisers and officials above it."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"grid_worker_here", "organiser_here", "official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_dispatch(cw, file_report, role):
    obj = file_report()
    assert fresh(cw[role]).has_perm("casework.dispatch", obj) is (role in ALLOWED)
