"""casework.manage_units: officials of the area or above."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_manage_units(cw, role):
    obj = cw["D1"]
    assert fresh(cw[role]).has_perm("casework.manage_units", obj) is (role in ALLOWED)
