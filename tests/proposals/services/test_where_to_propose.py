"""Where a person may propose, through the service (the rule of proposals/predicates.py)."""

import pytest
from django.utils import timezone

from civic.errors import NotAllowed
from civic.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(pworld):
    Organisation.objects.filter(pk=pworld.organisation.pk).update(confirmed_at=timezone.now())
    return Organisation.objects.get(pk=pworld.organisation.pk)


@pytest.mark.parametrize("area", ["S1", "D1", "city", "C1", "c1b"])
def test_an_organisation_proposes_in_its_area_inside_it_and_above_it(make_proposal, pworld, org, area):
    p = make_proposal(author="representative", organisation=org, area=area)
    assert p.area == pworld[area] and p.organisation == org


def test_an_organisation_does_not_propose_beside_its_area(make_proposal, org):
    with pytest.raises(NotAllowed) as raised:
        make_proposal(author="representative", organisation=org, area="D2")
    assert raised.value.code == "organisation_not_here"


def test_a_resident_proposes_in_their_cell_and_above_but_not_beside(make_proposal):
    assert make_proposal(area="S1").area.code == "7701001"
    with pytest.raises(NotAllowed) as raised:
        make_proposal(area="c1b")
    assert raised.value.code == "not_eligible"


def test_staff_propose_for_themselves_only_where_they_live(make_proposal):
    with pytest.raises(NotAllowed) as raised:
        make_proposal(author="organiser_here", area="C1")
    assert raised.value.code == "not_eligible"
