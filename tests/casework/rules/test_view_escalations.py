"""casework.view_escalations: officials and organisers anywhere."""

import pytest

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"official_here", "official_elsewhere", "official_city", "organiser_here", "organiser_elsewhere", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_view_escalations(cw, role):
    assert fresh(cw[role]).has_perm("casework.view_escalations") is (role in ALLOWED)
