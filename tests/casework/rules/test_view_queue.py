"""casework.view_queue: anyone who takes in or handles reports somewhere."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {
    "grid_worker_here",
    "grid_worker_elsewhere",
    "organiser_here",
    "organiser_elsewhere",
    "official_here",
    "official_elsewhere",
    "official_city",
    "unit_member",
    "other_unit_member",
    "admin",
}


@pytest.mark.parametrize("role", CW_ROLES)
def test_view_queue(cw, role):
    assert fresh(cw[role]).has_perm("casework.view_queue") is (role in ALLOWED)
