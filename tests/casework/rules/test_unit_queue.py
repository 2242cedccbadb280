"""casework.unit_queue: the unit's members."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"unit_member", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_unit_queue(cw, role):
    obj = cw.unit
    assert fresh(cw[role]).has_perm("casework.unit_queue", obj) is (role in ALLOWED)
