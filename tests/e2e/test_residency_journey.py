import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from civic.models import AreaRole
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, UserFactory, make_area_tree

pytestmark = pytest.mark.browser


def _log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def test_resident_is_verified_by_the_organiser_and_sees_it(browser, live_asgi, page):
    tree = make_area_tree()
    organiser = UserFactory(display_name="刘芳")
    AreaRole.objects.create(user=organiser, area=tree["subdistrict"], role="organiser")

    # a new resident signs up and confirms the e-mail address
    page.goto("/accounts/signup/")
    page.get_by_label("显示名称").fill("林小满")
    page.get_by_label("电子邮件").fill("linxm@example.org")
    page.get_by_label("密码", exact=True).fill("a-long-pass-phrase-2026")
    page.get_by_label("密码（重复）").fill("a-long-pass-phrase-2026")
    page.get_by_role("button", name="注册").click()
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", live_asgi.outbox()[0]).group(0)
    page.goto(link)
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(live_asgi.url + "/")

    # and asks to be verified, choosing the grid cell step by step
    page.goto("/me/")
    page.get_by_role("link", name="申请居住核验").click()
    for name in ("测试市", "测试区", "测试街道", "测试社区1", "网格2"):
        page.get_by_role("link", name=re.compile(name)).first.click()
    page.get_by_label("住址").fill("测试社区 3 栋 2 单元 501")
    page.get_by_role("button", name="提交申请").click()
    assert "您的申请正在等待审核。" in page.locator("main").inner_text()
    screenshot(page, "me-pending-375")

    # the organiser, in another browser, sees the queue and approves
    organiser_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_asgi.url)
    organiser_page = organiser_context.new_page()
    _log_in(organiser_page, organiser.email, PASSWORD)
    organiser_page.locator("details.menu summary").click()
    organiser_page.get_by_role("link", name="居住核验审核").click()
    item = organiser_page.locator(".queue-item", has_text="林小满")
    assert "测试社区 3 栋 2 单元 501" in item.inner_text()
    assert Axe().run(organiser_page).violations_count == 0
    screenshot(organiser_page, "verification-queue-1280")
    item.get_by_role("button", name="通过").click()
    assert "已通过" in organiser_page.locator(".messages").inner_text()

    # the resident's open page is told at once, and the profile shows the eligibility
    toast = page.locator(".toast")
    toast.wait_for(timeout=5000)
    assert "居住核验" in toast.inner_text()
    assert page.locator("[data-unread-count]").inner_text() == "1"
    page.reload()
    main = page.locator("main").inner_text()
    assert "已核验居民" in main and "测试社区1网格2" in main
    assert Axe().run(page).violations_count == 0
    screenshot(page, "me-verified-375")
    organiser_context.close()
    assert page.console_errors == []
