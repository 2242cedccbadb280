"""proposals.edit_comment: the comment's author (the resident); not the proposal's author."""

import pytest

from proposals.models import Comment
from tests.world import ROLES, fresh, proposal_in

ALLOWED = {"admin", "resident_elsewhere"}


@pytest.mark.parametrize("role", ROLES)
def test_edit_comment(world, role):
    w = world
    proposal = proposal_in(w)  # written by "resident"
    obj = Comment.objects.create(proposal=proposal, author=w["resident_elsewhere"], body="同意")
    assert fresh(w[role]).has_perm("proposals.edit_comment", obj) is (role in ALLOWED)
