"""deliberation.manage_box (object: the area): organisers and officials of the area or above it, superusers."""

import pytest

from tests.deliberation.rules.boxes import MANAGERS
from tests.world import ROLES, fresh


@pytest.mark.parametrize("role", ROLES)
def test_manage_boxes_of_an_area(world, role):
    assert fresh(world[role]).has_perm("deliberation.manage_box", world["S1"]) is (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_manage_boxes_of_a_community_below(world, role):
    assert fresh(world[role]).has_perm("deliberation.manage_box", world["C1"]) is (role in MANAGERS)
