import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from civic.models import AreaRole
from deliberation import services
from deliberation.models import BallotBox
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, UserFactory, make_area_tree
from tests.world import verify

pytestmark = pytest.mark.browser


def test_a_resident_fills_a_budget_ballot_on_a_phone_and_checks_the_count(page, live_asgi):
    tree = make_area_tree()
    official = UserFactory()
    AreaRole.objects.create(user=official, area=tree["district"], role="official")
    box = services.box_create(
        actor=official,
        area=tree["subdistrict"],
        kind="budget",
        title="测试街道微项目预算",
        budget=100000,
        rule="mes-add1",
    )
    for title, cost in [("健身步道翻新", 60000), ("楼道扶手加装", 30000), ("图书角书架", 20000), ("绿化补植", 50000)]:
        services.option_add(actor=official, box=box, title=title, cost=cost)
    now = timezone.now()
    services.box_schedule(
        actor=official, box=box, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7)
    )
    resident = UserFactory(display_name="林小满")
    verify(resident, tree["cells"][0])
    for i, choice in enumerate([["1"], ["1", "2"], ["4"]]):
        neighbour = UserFactory()
        verify(neighbour, tree["cells"][i % 2])
        services.vote_cast(user=neighbour, box=box, choices=choice)

    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(resident.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(box.get_absolute_url())
    total = page.locator("[data-total]")
    submit = page.get_by_role("button", name="核对我的选票")

    page.get_by_label(re.compile("健身步道翻新")).check()
    assert total.inner_text() == "¥60,000.00"
    page.get_by_label(re.compile("绿化补植")).check()  # 110,000 > 100,000
    assert total.inner_text() == "¥110,000.00" and page.locator("[data-over]").is_visible() and submit.is_disabled()
    page.get_by_label(re.compile("绿化补植")).uncheck()
    page.get_by_label(re.compile("楼道扶手加装")).press("Space")  # by keyboard
    assert total.inner_text() == "¥90,000.00" and submit.is_enabled()
    screenshot(page, "ballot-375")
    assert Axe().run(page).violations_count == 0
    submit.click()

    assert "合计 ¥90,000.00，预算 ¥100,000.00。" in page.locator("main").inner_text()
    page.get_by_role("button", name="投出选票").click()
    code = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)

    # the vote closes and is counted
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    services.box_tally(box=box)

    page.goto("/ballots/receipt/")
    page.get_by_label("回执码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    main = page.locator("main").inner_text()
    assert "这张选票在“测试街道微项目预算”的票箱中" in main and "它已计入公布的结果" in main
    page.get_by_role("link", name="查看结果").click()
    main = page.locator("main").inner_text()
    assert "共计入 4 张选票" in main and "获资助" in main
    # the chart in words: each option by its name with its votes, the budget's use with each funded project
    assert page.locator(".result-bars li").count() == 4
    assert re.search(r"健身步道翻新\s*3 票 · 获资助", page.locator(".result-bars").inner_text())
    assert re.search(r"获资助的项目共用去预算 ¥100,000.00 中的 ¥\d{2},\d{3}\.00", main)
    assert "健身步道翻新：¥60,000.00（占预算 60%）" in page.locator(".budget-parts").inner_text()
    assert "余款逐步补足" in main and "Add1" not in main and "怎样计票" in main
    assert Axe().run(page).violations_count == 0
    screenshot(page, "ballot-results-375")
    assert page.console_errors == []
