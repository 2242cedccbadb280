"""proposals.edit_comment: the comment's author (the resident); not the proposal's author."""

import pytest

from proposals.models import Comment
from proposals.predicates import authors_may
from tests.world import ROLES, fresh, proposal_in

ALLOWED = {"resident_elsewhere"}  # asked of the rule itself: an administrator is not the author


@pytest.mark.parametrize("role", ROLES)
def test_edit_comment(world, role):
    w = world
    proposal = proposal_in(w)  # written by "resident"
    obj = Comment.objects.create(proposal=proposal, author=w["resident_elsewhere"], body="同意")
    assert authors_may(fresh(w[role]), "proposals.edit_comment", obj) is (role in ALLOWED)
