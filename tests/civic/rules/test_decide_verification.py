"""civic.decide_verification: organisers and officials of an area enclosing the cell (never the applicant)."""

import pytest

from tests.world import ROLES, fresh, pending_request

ALLOWED = {"organiser_here", "official_city", "official_here", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_decide_verification(world, role):
    w = world
    obj = pending_request(w)
    assert fresh(w[role]).has_perm("civic.decide_verification", obj) is (role in ALLOWED)
