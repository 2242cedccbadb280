"""proposals.propose_in_area: residents in their cell and above; organisations in the areas they serve,
inside and above them; staff where they may enter proposals for residents. The areas offered on the
form (selectors.areas_to_propose_in) are exactly the areas where the permission holds."""

import pytest
from django.utils import timezone

from civic.models import Organisation
from proposals.selectors import areas_to_propose_in
from tests.world import ROLES, fresh

ALLOWED = {
    # S1 lies above the resident's cell c1a and above C1, which the organisation serves.
    "S1": {"resident", "organiser_here", "official_here", "official_city", "representative", "admin"},
    # c1b: beside the resident's cell, inside the organisation's community.
    "c1b": {"organiser_here", "official_here", "official_city", "representative", "admin"},
    "D2": {"resident_elsewhere", "official_elsewhere", "official_city", "admin"},
}


@pytest.fixture
def confirmed(world):
    Organisation.objects.filter(pk=world.organisation.pk).update(confirmed_at=timezone.now())
    return world


@pytest.mark.parametrize("area", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_propose_in_area(confirmed, role, area):
    w = confirmed
    assert fresh(w[role]).has_perm("proposals.propose_in_area", w[area]) is (role in ALLOWED[area])


@pytest.mark.parametrize("role", ROLES)
def test_the_areas_offered_are_those_of_the_permission(confirmed, role):
    w = confirmed
    person = fresh(w[role])
    offered = set(areas_to_propose_in(person).values_list("code", flat=True))
    allowed = {area.code for area in w.areas.values() if person.has_perm("proposals.propose_in_area", area)}
    assert offered == allowed
