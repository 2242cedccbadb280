"""civic.remove_membership: the member themself (leaving) and the organisation's representatives."""

import pytest

from civic.models import Membership
from tests.world import ROLES, fresh

ALLOWED = {"member", "representative", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_remove_membership(world, role):
    w = world
    obj = Membership.objects.get(organisation=w.organisation, user=w["member"])
    assert fresh(w[role]).has_perm("civic.remove_membership", obj) is (role in ALLOWED)
