"""deliberation.vote (object: the box): a verified resident of the box's area, whatever their other roles.
Whether the box is open now is the service's rule, not a permission. Asked of the rule (`rules.has_perm`),
as the service asks it: Django's `user.has_perm` would let a superuser through, and an administrator is
no voter unless verified in the area."""

import pytest
import rules

from tests.deliberation.rules.boxes import box_in
from tests.world import ROLES, fresh


@pytest.mark.parametrize("role", ROLES)
def test_vote(world, role):
    box = box_in(world["S1"])
    assert rules.has_perm("deliberation.vote", fresh(world[role]), box) is (role == "resident")


@pytest.mark.parametrize("role", ROLES)
def test_vote_elsewhere(world, role):
    box = box_in(world["C2"])
    assert rules.has_perm("deliberation.vote", fresh(world[role]), box) is (role == "resident_elsewhere")
