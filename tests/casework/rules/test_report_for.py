"""casework.report_for: grid workers, organisers and officials covering the cell."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"grid_worker_here", "organiser_here", "official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_report_for(cw, role):
    obj = cw["c1a"]
    assert fresh(cw[role]).has_perm("casework.report_for", obj) is (role in ALLOWED)
