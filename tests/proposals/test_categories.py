"""Proposal categories: a name is used once."""

import pytest

from civic.errors import Conflict
from proposals import services as proposal_services
from proposals.models import Category

pytestmark = pytest.mark.django_db


def test_a_category_name_taken_is_a_conflict(world):
    Category.objects.create(name="停车管理")
    other = Category.objects.create(name="绿化美化")
    with pytest.raises(Conflict):
        proposal_services.category_save(actor=world["admin"], category=other, name="停车管理")
    other.refresh_from_db()
    assert other.name == "绿化美化"
