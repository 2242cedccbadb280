"""consultations.manage and consultations.answer: the drafters — officials of the area or above, staff they
named, administrators."""

import pytest

from tests.world import ROLES, fresh

from ._world import consultation_in

DRAFTERS = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("perm", ["consultations.manage", "consultations.answer"])
@pytest.mark.parametrize("role", ROLES)
def test_drafters(world, role, perm):
    consultation = consultation_in(world)
    assert fresh(world[role]).has_perm(perm, consultation) is (role in DRAFTERS)


@pytest.mark.parametrize("perm", ["consultations.manage", "consultations.answer"])
@pytest.mark.parametrize("role", ROLES)
def test_a_named_drafter_joins_them(world, role, perm):
    consultation = consultation_in(world)
    consultation.drafters.add(world["member"])
    assert fresh(world[role]).has_perm(perm, consultation) is (role in DRAFTERS | {"member"})
