"""civic.view_organisation: everyone, until moderation hides it; then its representatives (and admins)."""

import pytest

from tests.world import ROLES, fresh

HIDDEN_ALLOWED = {"representative", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_view_organisation(world, role):
    w = world
    obj = w.organisation
    assert fresh(w[role]).has_perm("civic.view_organisation", obj) is True
    obj.is_hidden = True
    obj.save(update_fields=["is_hidden"])
    assert fresh(w[role]).has_perm("civic.view_organisation", obj) is (role in HIDDEN_ALLOWED)
