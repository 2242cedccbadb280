"""consultations.comment: a personal permission (an administrator does not comment in someone's stead),
judged by the consultation's participation rule."""

import pytest
from django.utils import timezone

from civic.services import holds_perm
from tests.world import ROLES, fresh

from ._world import consultation_in


def _may(world, role, consultation):
    return holds_perm(fresh(world[role]), "consultations.comment", consultation, personal=True)


@pytest.mark.parametrize("role", ROLES)
def test_residents_of_the_area(world, role):
    assert _may(world, role, consultation_in(world)) is (role == "resident")


@pytest.mark.parametrize("role", ROLES)
def test_an_organisation_serving_the_area_through_its_representative(world, role):
    world.organisation.confirmed_at = timezone.now()
    world.organisation.save(update_fields=["confirmed_at"])
    assert _may(world, role, consultation_in(world)) is (role in {"resident", "representative"})
    closed_to_organisations = consultation_in(world, organisations_take_part=False)
    assert _may(world, role, closed_to_organisations) is (role == "resident")


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in(world, role):
    assert _may(world, role, consultation_in(world, participation="signed_in")) is (role != "visitor")


@pytest.mark.parametrize("role", ROLES)
def test_never_on_a_draft(world, role):
    assert _may(world, role, consultation_in(world, state="draft", participation="signed_in")) is False
