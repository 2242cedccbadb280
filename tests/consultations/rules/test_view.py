"""consultations.view: everyone once published; a draft only its drafters."""

import pytest

from tests.world import ROLES, fresh

from ._world import consultation_in


@pytest.mark.parametrize("role", ROLES)
def test_a_draft(world, role):
    consultation = consultation_in(world, state="draft")
    assert fresh(world[role]).has_perm("consultations.view", consultation) is (
        role in {"official_here", "official_city", "admin"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_published(world, role):
    assert fresh(world[role]).has_perm("consultations.view", consultation_in(world)) is True
