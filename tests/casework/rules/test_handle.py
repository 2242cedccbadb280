"""casework.handle: the members of the unit the report is dispatched to."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"unit_member", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_handle(cw, at_state, role):
    obj = at_state("dispatched")
    assert fresh(cw[role]).has_perm("casework.handle", obj) is (role in ALLOWED)
