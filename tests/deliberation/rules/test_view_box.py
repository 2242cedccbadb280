"""deliberation.view_box: an announced box is seen by everyone; a draft only by the people who may manage
the boxes of its area."""

import pytest

from tests.deliberation.rules.boxes import MANAGERS, box_in
from tests.world import ROLES, fresh


@pytest.mark.parametrize("role", ROLES)
def test_view_a_draft(world, role):
    box = box_in(world["S1"], state="draft")
    assert fresh(world[role]).has_perm("deliberation.view_box", box) is (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_view_an_announced_box(world, role):
    box = box_in(world["S1"])
    assert fresh(world[role]).has_perm("deliberation.view_box", box) is True
