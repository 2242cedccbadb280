"""funding.inspect: officials of the project's area or above, never one who belongs to the implementer."""

import pytest
import rules

from civic.models import Membership
from tests.world import ROLES, fresh

ALLOWED = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_inspect(fworld, project, role):
    w = fworld
    assert fresh(w[role]).has_perm("funding.inspect", project) is (role in ALLOWED)


@pytest.mark.parametrize("role", ["official_here", "admin"])
def test_an_inspector_who_belongs_to_the_implementer_may_not_inspect(fworld, project, role):
    w = fworld
    Membership.objects.create(organisation=w.organisation, user=w[role], role="member")
    assert rules.has_perm("funding.inspect", fresh(w[role]), project) is False
