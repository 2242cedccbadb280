"""civic.answer_join_request: the representatives of the organisation someone asks to join."""

import pytest

from civic.models import OrganisationRequest
from tests.world import ROLES, fresh

ALLOWED = {"representative", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_answer_join_request(world, role):
    w = world
    obj = OrganisationRequest.objects.create(
        organisation=w.organisation, user=w["resident"], kind="join", created_by=w["resident"]
    )
    assert fresh(w[role]).has_perm("civic.answer_join_request", obj) is (role in ALLOWED)
