"""casework.rate: the reporter alone (asked of the rule itself)."""

import pytest
import rules

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"resident"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_rate(cw, file_report, role):
    obj = file_report()
    assert rules.has_perm("casework.rate", fresh(cw[role]), obj) is (role in ALLOWED)
