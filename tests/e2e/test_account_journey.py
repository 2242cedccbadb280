import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


def test_visitor_signs_up_confirms_logs_in_and_switches_language(page, live_asgi):
    page.goto("/")
    assert page.locator("h1").inner_text() == "邻里事，大家议"
    screenshot(page, "home-375")

    page.get_by_role("link", name="注册", exact=True).click()
    page.get_by_label("显示名称").fill("林小满")
    page.get_by_label("电子邮件").fill("xiaoman@example.org")
    page.get_by_label("密码", exact=True).fill("a-long-pass-phrase-2026")
    page.get_by_label("密码（重复）").fill("a-long-pass-phrase-2026")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert "验证" in page.locator("main").inner_text()

    mails = live_asgi.outbox()
    assert len(mails) == 1 and "xiaoman@example.org" in mails[0]
    link = re.search(r"http://127\.0\.0\.1:\d+/accounts/confirm-email/[^\s]+/", mails[0]).group(0)
    page.goto(link)
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(live_asgi.url + "/")
    assert "林小满" in page.locator("header").inner_text()

    page.locator("details.menu summary").click()
    page.get_by_role("button", name="退出登录").click()
    assert "登录" in page.locator("header").inner_text()

    page.get_by_role("link", name="登录", exact=True).click()
    page.get_by_label("电子邮件").fill("xiaoman@example.org")
    page.get_by_label("密码").fill("a-long-pass-phrase-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_asgi.url + "/")
    assert "林小满" in page.locator("header").inner_text()

    page.get_by_label("语言").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("h1").inner_text() == "Neighbourhood affairs, decided together"
    page.goto("/areas/")
    assert page.locator("h1").inner_text() == "Areas"
    assert page.console_errors == []


def test_a_visitor_switches_language_and_mode_with_no_csrf_cookie(page, live_asgi):
    """A visitor's pages carry no CSRF token: the switches work all the same, and no cookie is made for it."""
    page.goto("/proposals/")
    page.get_by_label("语言").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url == live_asgi.url + "/proposals/"
    page.get_by_role("button", name="Large text mode").click()
    page.wait_for_function("document.documentElement.classList.contains('elder')")
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names == {"lang", "mode"}
    assert page.console_errors == []


def test_wrong_password_is_refused_in_chinese(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(user.email)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    assert "不正确" in page.locator("main").inner_text()
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/areas/"])
def test_pages_pass_the_accessibility_check(page, path, tree):
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    if path == "/":
        screenshot(page, "home-1280")
