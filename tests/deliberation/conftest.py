"""Fixtures shared by the deliberation tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import services
from tests.world import fresh


@pytest.fixture
def pb(world):
    """An open participatory budget of ¥100 in 一街道 with three options (¥60, ¥50, ¥30)."""
    box = services.box_create(
        actor=fresh(world["organiser_here"]), area=world["S1"], kind="budget", title="一街道微项目预算", budget=100
    )
    for title, cost in [("甲项目", 60), ("乙项目", 50), ("丙项目", 30)]:
        services.option_add(actor=fresh(world["organiser_here"]), box=box, title=title, cost=cost)
    now = timezone.now()
    return services.box_schedule(
        actor=fresh(world["organiser_here"]),
        box=box,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
    )
