"""civic.withdraw_organisation_request: whoever sent the request or invitation."""

import pytest

from civic.models import OrganisationRequest
from civic.services import holds_perm
from tests.world import ROLES, fresh

# personal: not even an administrator acts here for another person
ALLOWED = {"representative"}


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_organisation_request(world, role):
    w = world
    obj = OrganisationRequest.objects.create(
        organisation=w.organisation, user=w["resident"], kind="invitation", created_by=w["representative"]
    )
    assert holds_perm(fresh(w[role]), "civic.withdraw_organisation_request", obj, personal=True) is (role in ALLOWED)
