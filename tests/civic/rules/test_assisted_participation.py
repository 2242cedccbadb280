"""The assisted-participation permissions (代办): staff of the resident's grid cell's areas (organisers and
officials of the area or above). Asked of the rule itself (require_perm(..., personal=True)): meeting a
resident in person is not the administrator's job, and nobody acts for themselves."""

import pytest
import rules

from tests.civic.assisted import register
from tests.world import ROLES, fresh

ASSISTING = {"organiser_here", "official_here", "official_city"}
ASSISTING_SOMEWHERE = ASSISTING | {"organiser_elsewhere", "official_elsewhere"}


@pytest.mark.parametrize("role", ROLES)
def test_register_assisted(world, role):
    assert rules.has_perm("civic.register_assisted", fresh(world[role]), world["c1a"]) is (role in ASSISTING)


@pytest.mark.parametrize("role", ROLES)
def test_view_assisted_residents(world, role):
    assert rules.has_perm("civic.view_assisted_residents", fresh(world[role])) is (role in ASSISTING_SOMEWHERE)


@pytest.mark.parametrize("perm", ["civic.act_for", "civic.view_assisted_resident", "civic.issue_claim_code"])
@pytest.mark.parametrize("role", ROLES)
def test_act_for_a_resident(world, role, perm):
    person = register(world)
    assert rules.has_perm(perm, fresh(world[role]), fresh(person)) is (role in ASSISTING)
    assert rules.has_perm(perm, fresh(world[role]), fresh(world["resident"])) is False  # not registered in person
