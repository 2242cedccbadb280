"""consultations.support ("同意此意见"): personal; someone else's public online opinion, by a person who may
take part."""

import pytest

from civic.services import holds_perm
from tests.world import ROLES, fresh

from ._world import consultation_in, opinion_in


def _may(world, role, opinion):
    return holds_perm(fresh(world[role]), "consultations.support", opinion, personal=True)


@pytest.mark.parametrize("role", ROLES)
def test_support_where_everyone_signed_in_takes_part(world, role):
    opinion = opinion_in(consultation_in(world, participation="signed_in"), world["resident"])
    assert _may(world, role, opinion) is (role not in {"visitor", "resident"})


@pytest.mark.parametrize("role", ROLES)
def test_support_among_residents(world, role):
    opinion = opinion_in(consultation_in(world), world["resident_elsewhere"])
    assert _may(world, role, opinion) is (role == "resident")


@pytest.mark.parametrize("role", ROLES)
def test_no_support_of_opinions_kept_to_the_drafters(world, role):
    opinion = opinion_in(consultation_in(world, participation="signed_in", opinions_public=False), world["resident"])
    assert _may(world, role, opinion) is False
