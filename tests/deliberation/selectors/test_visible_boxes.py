"""visible_boxes / box_for: the one place where a draft is hidden (from everyone but its managers)."""

import pytest
import rules

from deliberation import selectors
from tests.deliberation.rules.boxes import MANAGERS, box_in
from tests.world import ROLES, fresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_query_agrees_with_the_permission(world, role):
    draft, announced = box_in(world["S1"], state="draft"), box_in(world["S1"])
    other_draft = box_in(world["S2"], state="draft")
    person = fresh(world[role])
    seen = set(selectors.visible_boxes(person).values_list("pk", flat=True))
    for box in (draft, announced, other_draft):
        assert (box.pk in seen) is person.has_perm("deliberation.view_box", box)
        assert (selectors.box_for(person, box.pk) is not None) is (box.pk in seen)
    assert (draft.pk in seen) is (role in MANAGERS)
    assert rules.has_perm("deliberation.view_box", person, announced)
