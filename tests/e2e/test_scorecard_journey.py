import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from tests.e2e.conftest import off_loop, screenshot

pytestmark = pytest.mark.browser


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_visitor_reads_the_city_and_a_district_scorecard_and_the_yearly_report(live_asgi, page):
    off_loop(call_command, "seed_demo", quiet_logins=True)  # it publishes live notifications
    year = timezone.localdate().year
    axe = Axe()

    # from the main navigation to the whole city's scorecard, on a phone
    page.goto("/")
    page.locator(".main-nav").get_by_role("link", name=re.compile("五治|Scorecard|评价")).click()
    page.wait_for_url(re.compile(r"/scorecard/$"))
    assert page.locator(".sc-card").count() == 5
    assert page.locator("figure svg[role=img]").count() >= 8
    # a definition opens in place
    how = page.locator("details.sc-how").first
    how.locator("summary").click()
    assert how.locator("p").is_visible()
    no_sideways_scroll(page)
    assert axe.run(page).violations_count == 0, axe.run(page).generate_report()
    screenshot(page, "scorecard-city-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    no_sideways_scroll(page)
    screenshot(page, "scorecard-city-1280")

    # a bad custom period: the error next to the field, the page still there with this year
    page.set_viewport_size({"width": 375, "height": 812})
    page.locator("details.sc-choose summary").click()
    page.locator("#id_period").select_option("custom")
    page.locator("#id_start").fill("2026-03-01")
    page.locator("#id_end").fill("2026-01-01")
    page.locator(".sc-period-form button[type=submit]").click()
    assert page.locator(".sc-period-form .field.has-error").count() == 1
    assert page.locator("[role=alert]").count() >= 1
    assert str(year) in page.locator("#period-title").inner_text()
    assert page.locator(".sc-card").count() == 5

    # a district, through the comparison of the districts
    page.goto("/scorecard/")
    page.locator("table.sc-compare").get_by_role("link", name="东湖区").click()
    page.wait_for_url(re.compile(r"/areas/990102/scorecard/"))
    assert page.locator("table.sc-compare tbody tr").count() == 2  # 湖滨街道, 新桥街道
    assert page.locator(".breadcrumb").get_by_role("link", name="云河市").count() == 1
    page.get_by_role("link", name=re.compile("本季度|This quarter")).click()
    page.wait_for_url(re.compile(r"period=quarter"))
    assert page.locator(".sc-quick [aria-current=true]").count() == 1
    no_sideways_scroll(page)
    assert axe.run(page).violations_count == 0, axe.run(page).generate_report()
    screenshot(page, "scorecard-district-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "scorecard-district-1280")

    # the yearly report, printable
    page.goto(f"/areas/990102/scorecard/?period=year&year={year}")
    page.locator(".sc-more").get_by_role("link", name=re.compile(str(year))).click()
    page.wait_for_url(re.compile(rf"/areas/990102/report/{year}/$"))
    assert page.locator("table.sc-projects tbody tr").count() >= 1
    assert page.locator("[data-print]").is_visible()  # the script shows the print button
    assert axe.run(page).violations_count == 0, axe.run(page).generate_report()
    screenshot(page, "scorecard-report-1280")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator("[data-print]").is_visible()
    screenshot(page, "scorecard-report-print")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 375, "height": 812})
    no_sideways_scroll(page)
    screenshot(page, "scorecard-report-375")
    assert page.console_errors == []
