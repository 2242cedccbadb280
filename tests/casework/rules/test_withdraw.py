"""casework.withdraw: the reporter alone (asked of the rule itself: no administrator acts for a reporter)."""

import pytest
import rules

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"resident"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_withdraw(cw, file_report, role):
    obj = file_report()
    assert rules.has_perm("casework.withdraw", fresh(cw[role]), obj) is (role in ALLOWED)
