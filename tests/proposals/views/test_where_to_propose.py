"""Where a person may propose, through the page: the areas offered are those the service accepts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from civic.models import Organisation
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_an_organisation_is_offered_and_may_use_an_area_above_the_one_it_serves(client, pworld):
    Organisation.objects.filter(pk=pworld.organisation.pk).update(confirmed_at=timezone.now())
    client.force_login(pworld["representative"])
    form = client.get(reverse("proposals:proposal-new")).content.decode()
    assert f'value="{pworld["S1"].pk}"' in form and f'value="{pworld["D2"].pk}"' not in form
    response = client.post(
        reverse("proposals:proposal-new"),
        {
            "title": "街道路灯统一改造",
            "body": "一街道的主干道路灯老化，建议统一改造。",
            "category": pworld.category.pk,
            "area": pworld["S1"].pk,
            "organisation": pworld.organisation.pk,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.area == pworld["S1"] and proposal.organisation_id == pworld.organisation.pk


def test_a_resident_is_not_offered_the_cell_beside_their_own(client, pworld):
    client.force_login(pworld["resident"])
    form = client.get(reverse("proposals:proposal-new")).content.decode()
    assert f'value="{pworld["S1"].pk}"' in form and f'value="{pworld["c1b"].pk}"' not in form
    response = client.post(
        reverse("proposals:proposal-new"),
        {
            "title": "隔壁网格的路灯",
            "body": "隔壁网格的路灯坏了很久。",
            "category": pworld.category.pk,
            "area": pworld["c1b"].pk,
        },
    )
    assert response.status_code == 200 and not Proposal.objects.exists()
