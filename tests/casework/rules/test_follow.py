"""casework.follow: verified residents other than the reporter (me too); no administrator bypass."""

import pytest
import rules

from tests.casework.conftest import CW_ROLES
from tests.world import fresh

ALLOWED = {"resident_elsewhere"}


@pytest.mark.parametrize("role", CW_ROLES)
def test_follow(cw, file_report, role):
    obj = file_report()
    assert rules.has_perm("casework.follow", fresh(cw[role]), obj) is (role in ALLOWED)
