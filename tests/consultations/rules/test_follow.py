"""consultations.follow: anyone signed in, on a published consultation."""

import pytest

from civic.services import holds_perm
from tests.world import ROLES, fresh

from ._world import consultation_in


@pytest.mark.parametrize("role", ROLES)
def test_follow(world, role):
    may = holds_perm(fresh(world[role]), "consultations.follow", consultation_in(world), personal=True)
    assert may is (role != "visitor")
