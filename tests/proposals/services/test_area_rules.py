import pytest

from civic.errors import InvalidInput, NotAllowed
from proposals import services
from proposals.models import AreaPolicy
from proposals.selectors import policy_for
from tests.world import fresh

pytestmark = pytest.mark.django_db


def test_officials_set_rules_that_areas_below_inherit(pworld):
    services.area_policy_set(
        actor=fresh(pworld["official_here"]),
        area=pworld["D1"],
        endorsement_threshold=50,
        collection_days=45,
        response_working_days=10,
    )
    assert policy_for(pworld["c1a"]).endorsement_threshold == 3  # S1 keeps its own
    assert policy_for(pworld["D1"]).collection_days == 45
    with pytest.raises(NotAllowed):
        services.area_policy_set(
            actor=fresh(pworld["official_elsewhere"]),
            area=pworld["C1"],
            endorsement_threshold=5,
            collection_days=30,
            response_working_days=15,
        )
    with pytest.raises(InvalidInput) as raised:
        services.area_policy_set(
            actor=fresh(pworld["official_here"]),
            area=pworld["C1"],
            endorsement_threshold=0,
            collection_days=30,
            response_working_days=15,
        )
    assert raised.value.field == "endorsement_threshold"
    assert not AreaPolicy.objects.filter(area=pworld["C1"]).exists()
