"""Answering a request to join or leave an organisation, from its page."""

import pytest

from civic.models import OrganisationRequest

pytestmark = pytest.mark.django_db


def test_an_unknown_action_on_a_membership_request_changes_nothing(client, world):
    request = OrganisationRequest.objects.create(
        organisation=world.organisation, user=world["resident"], kind="join", created_by=world["resident"]
    )
    client.force_login(world["representative"])
    response = client.post(f"/organisation-requests/{request.pk}/", {"action": "maybe"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == "pending"
