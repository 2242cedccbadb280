"""civic.withdraw_verification: only the applicant."""

import pytest

from civic.services import holds_perm
from tests.world import ROLES, fresh, pending_request

# personal: not even an administrator acts here for another person
ALLOWED = {"unverified"}


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_verification(world, role):
    w = world
    obj = pending_request(w)
    assert holds_perm(fresh(w[role]), "civic.withdraw_verification", obj, personal=True) is (role in ALLOWED)
