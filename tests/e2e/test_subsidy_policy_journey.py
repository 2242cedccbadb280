import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from civic.models import AreaRole
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, UserFactory, make_area_tree

pytestmark = pytest.mark.browser


def test_an_official_publishes_a_policy_that_a_community_inherits(live_asgi, page):
    tree = make_area_tree()
    official = UserFactory(display_name="赵志刚")
    AreaRole.objects.create(user=official, area=tree["district"], role="official")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(official.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"/areas/{tree['district'].code}/")
    page.get_by_role("link", name="以奖代补政策").click()
    assert "本区域暂无适用的以奖代补政策。" in page.locator("main").inner_text()
    page.get_by_label("补助比例（%）").fill("30")
    page.get_by_label("单个项目补助上限（元）").fill("100000")
    page.get_by_label("本区域年度补助总额上限（元）").fill("50000")
    page.get_by_role("button", name="发布政策").click()
    # a cap per project above the yearly cap is refused next to its field, nothing published
    field = page.locator(".field.has-error")
    assert "单个项目上限不能高于区域年度总额上限。" in field.inner_text()
    page.get_by_label("本区域年度补助总额上限（元）").fill("250000")
    page.get_by_label("开工预拨（占暂定奖补的 %）").fill("30")
    page.get_by_role("button", name="发布政策").click()
    assert "第 1 版补助政策已生效。" in page.locator(".messages").inner_text()
    assert Axe().run(page).violations_count == 0
    screenshot(page, "subsidy-policy-official-375")

    page.goto(f"/areas/{tree['cells'][0].code}/subsidy-policy/")
    main = page.locator("main").inner_text()
    assert "继承自测试区第 1 版。" in main and "开工时支付暂定奖补的 30%" in main
    assert page.get_by_role("button", name="发布政策").count() == 1  # the district official may publish here too
