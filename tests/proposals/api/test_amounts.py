"""Amounts through the API: the one rule of civic.money."""

import pytest

from proposals.models import Proposal
from tests.world import fresh

pytestmark = pytest.mark.django_db


def _create(api_client, pworld, cost):
    api_client.force_authenticate(fresh(pworld["resident"]))
    return api_client.post(
        "/api/proposals/",
        {
            "title": "楼道灯长期不亮",
            "body": "3 栋楼道灯坏了两个月。",
            "category": pworld.category.pk,
            "area": pworld["C1"].code,
            "estimated_cost": cost,
        },
        format="json",
    )


@pytest.mark.parametrize("cost", ["12,5", "1,2,3", "-3", "1.005"])
def test_badly_typed_amounts_are_refused(api_client, pworld, cost):
    response = _create(api_client, pworld, cost)
    assert response.status_code == 400 and list(response.json()) == ["estimated_cost"]
    assert not Proposal.objects.exists()


def test_thousands_separators_are_read_and_answered_with_two_decimals(api_client, pworld):
    response = _create(api_client, pworld, "12,000.5")
    assert response.status_code == 201 and response.json()["estimated_cost"] == "12000.50"
