"""civic.answer_invitation: the invited person (a representative cannot accept on their behalf)."""

import pytest

from civic.models import OrganisationRequest
from civic.services import holds_perm
from tests.world import ROLES, fresh

# personal: not even an administrator acts here for another person
ALLOWED = {"resident"}


@pytest.mark.parametrize("role", ROLES)
def test_answer_invitation(world, role):
    w = world
    obj = OrganisationRequest.objects.create(
        organisation=w.organisation, user=w["resident"], kind="invitation", created_by=w["representative"]
    )
    assert holds_perm(fresh(w[role]), "civic.answer_invitation", obj, personal=True) is (role in ALLOWED)
