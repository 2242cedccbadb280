"""Amounts on the ballot pages read as people read them: ¥80,000.00 (civic.money.format_yuan)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from deliberation import services
from deliberation.models import BallotBox
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def pb(world):
    organiser = fresh(world["organiser_here"])
    box = services.box_create(actor=organiser, area=world["S1"], kind="budget", title="八万元预算", budget="80,000")
    for title, cost in [("健身步道", "50000"), ("楼道扶手", "30000.50"), ("图书角", "1,000")]:
        services.option_add(actor=organiser, box=box, title=title, cost=cost)
    now = timezone.now()
    return services.box_schedule(
        actor=organiser, box=box, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7)
    )


def test_ballot_confirm_manage_and_results_pages(client, api_client, world, pb):
    client.force_login(world["resident"])
    page = client.get(pb.get_absolute_url()).content.decode()
    assert "¥80,000.00" in page and "¥50,000.00" in page and "¥30,000.50" in page and "¥80000" not in page
    over = client.post(pb.get_absolute_url(), {"step": "review", "choice": ["1", "2"]})
    assert over.status_code == 400 and "您所选项目合计 ¥80,000.50，超过了预算 ¥80,000.00。" in over.content.decode()
    confirm = client.post(pb.get_absolute_url(), {"step": "review", "choice": ["1", "3"]}).content.decode()
    assert "合计 ¥51,000.00，预算 ¥80,000.00。" in confirm
    client.post(pb.get_absolute_url(), {"step": "cast", "choice": ["1", "3"]})
    client.force_login(world["organiser_here"])
    assert "¥50,000.00" in client.get(f"/ballots/{pb.pk}/manage/").content.decode()
    BallotBox.objects.filter(pk=pb.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    services.box_tally(box=pb)
    results = client.get(f"/ballots/{pb.pk}/results/").content.decode()
    assert "¥51,000.00" in results and "¥80,000.00" in results and "¥30,000.50" in results
    body = api_client.get(f"/api/ballots/{pb.pk}/").json()
    assert body["budget"] == "80000.00" and [o["cost"] for o in body["options"]] == ["50000.00", "30000.50", "1000.00"]


def test_amounts_typed_on_the_manage_page_are_read_the_one_way(client, world):
    client.force_login(world["official_here"])
    box = services.box_create(
        actor=fresh(world["official_here"]), area=world["S1"], kind="budget", title="预算投票", budget=1000
    )
    page = client.post(f"/ballots/{box.pk}/manage/", {"form": "option", "title": "路灯", "cost": "１，２００．５０"})
    assert page.status_code == 302 and box.options.get().cost == Decimal("1200.50")
    refused = client.post(f"/ballots/{box.pk}/manage/", {"form": "option", "title": "长椅", "cost": "1.005"})
    assert (
        refused.status_code == 200 and "金额最多保留两位小数" in refused.content.decode() and box.options.count() == 1
    )
