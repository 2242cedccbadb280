"""funding.object_to_award: anyone signed in with an active account."""

import pytest

from funding import services
from tests.world import ROLES, fresh

ALLOWED = set(ROLES) - {"visitor"}


@pytest.mark.parametrize("role", ROLES)
def test_object_to_award(fworld, project, role):
    w = fworld
    award = services.award_compute(actor=w["official_here"], project=project, stage="provisional")
    assert fresh(w[role]).has_perm("funding.object_to_award", award) is (role in ALLOWED)
