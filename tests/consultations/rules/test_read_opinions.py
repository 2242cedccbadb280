"""consultations.read_opinions and consultations.view_opinion: public where the consultation says so (and
once every opinion is answered); otherwise the drafters, and each author their own."""

import pytest

from tests.world import ROLES, fresh

from ._world import consultation_in, opinion_in

DRAFTERS = {"official_here", "official_city", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_public_opinions(world, role):
    consultation = consultation_in(world)
    assert fresh(world[role]).has_perm("consultations.read_opinions", consultation) is True
    opinion = opinion_in(consultation, world["resident"])
    assert fresh(world[role]).has_perm("consultations.view_opinion", opinion) is True


@pytest.mark.parametrize("role", ROLES)
def test_opinions_kept_to_the_drafters(world, role):
    consultation = consultation_in(world, opinions_public=False)
    assert fresh(world[role]).has_perm("consultations.read_opinions", consultation) is (role in DRAFTERS)
    opinion = opinion_in(consultation, world["resident"])
    assert fresh(world[role]).has_perm("consultations.view_opinion", opinion) is (role in DRAFTERS | {"resident"})


@pytest.mark.parametrize("role", ROLES)
def test_public_once_answered(world, role):
    consultation = consultation_in(world, opinions_public=False, state="answered")
    assert fresh(world[role]).has_perm("consultations.read_opinions", consultation) is True


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_opinion(world, role):
    opinion = opinion_in(consultation_in(world), world["resident"], is_hidden=True)
    assert fresh(world[role]).has_perm("consultations.view_opinion", opinion) is (role in DRAFTERS | {"resident"})
