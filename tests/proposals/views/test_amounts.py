"""Amounts on the pages: typed with the one rule of civic.money, shown as ¥12,000.50."""

import pytest
from django.urls import reverse

from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def _post(client, pworld, cost):
    client.force_login(pworld["resident"])
    return client.post(
        reverse("proposals:proposal-new"),
        {
            "title": "楼道灯长期不亮",
            "body": "3 栋楼道灯坏了两个月。",
            "category": pworld.category.pk,
            "area": pworld["C1"].pk,
            "estimated_cost": cost,
        },
    )


@pytest.mark.parametrize("cost", ["12,5", "1,2,3"])
def test_badly_typed_amounts_are_refused_on_the_form(client, pworld, cost):
    response = _post(client, pworld, cost)
    assert response.status_code == 200 and not Proposal.objects.exists()


def test_the_estimated_cost_is_shown_in_yuan(client, pworld):
    response = _post(client, pworld, "１２，０００．５")
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and str(proposal.estimated_cost) == "12000.50"
    assert "¥12,000.50" in client.get(proposal.get_absolute_url()).content.decode()
