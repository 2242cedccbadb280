"""casework.acknowledge: officials and organisers of the escalation's area or above."""

import pytest

from tests.casework.conftest import CW_ROLES, escalation_in
from tests.world import fresh

ALLOWED = {"official_here", "official_city", "organiser_here", "admin"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_acknowledge(cw, at_state, role):
    obj = escalation_in(cw, at_state("dispatched"))
    assert fresh(cw[role]).has_perm("casework.acknowledge", obj) is (role in ALLOWED)
