"""casework.view_private: those who handle the report: intake staff above the cell and the unit's members."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"grid_worker_here", "organiser_here", "official_here", "official_city", "unit_member", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_view_private(cw, at_state, role):
    obj = at_state("dispatched")
    assert fresh(cw[role]).has_perm("casework.view_private", obj) is (role in ALLOWED)
