"""The elders' mode (适老化) on the main pages of the demo, at 375 px: type, targets, contrast and line height
measured from computed styles in the elders' mode, axe in both modes (tests/e2e/elders.py). A page joins with
one line in PAGES."""

import copy
import os
import re

import pytest
from django.core.management import call_command

from deliberation.models import BallotBox, Session
from funding.models import MicroProject
from proposals.models import Proposal
from tests.e2e.conftest import off_loop, screenshot
from tests.e2e.elders import assert_elder_friendly, measure

pytestmark = pytest.mark.browser

PASSWORD = "gongzhi-demo-2026"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def live_buttons(page):
    """A live session's member page is drawn by its script once the socket has said hello."""
    page.locator("[data-actions] button").first.wait_for()


def pages():
    """(name, url, ready) of every page measured: what a resident (王秀英, a council member) opens most."""
    proposal = Proposal.objects.filter(state="published").order_by("pk").first()
    ballot = BallotBox.objects.filter(kind="budget", state="scheduled").order_by("pk").first()
    project = MicroProject.objects.filter(state="in_progress").order_by("pk").first()
    session = Session.objects.filter(council__name="湖滨街道居民议事会", phase="scheduled").get()
    return [
        ("home", "/", None),
        ("proposal-list", "/proposals/", None),
        ("proposal", proposal.get_absolute_url(), None),
        ("ballot", ballot.get_absolute_url(), None),
        ("project", project.get_absolute_url(), None),
        ("session-member", f"/sessions/{session.pk}/", live_buttons),
        ("small-problem-form", "/casework/new/", None),
    ]


def test_the_main_pages_meet_the_elderly_friendly_guideline_in_the_elders_mode(page, live_asgi):
    off_loop(call_command, "seed_demo", quiet_logins=True)
    sign_in(page, "resident@yunhe.example")
    for name, url, ready in pages():
        assert_elder_friendly(page, url, name, ready=ready)


def test_the_switch_sets_the_mode_on_every_page_and_back(page, live_asgi):
    off_loop(call_command, "seed_demo", quiet_logins=True)
    page.goto("/proposals/")
    html = page.locator("html")
    assert "elder" not in (html.get_attribute("class") or "")
    page.get_by_role("button", name="长辈模式").click()
    page.wait_for_url(re.compile(r"/proposals/$"))  # back where the switch was pressed
    assert "elder" in html.get_attribute("class")
    assert float(page.locator("main p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24
    assert page.get_by_role("button", name="长辈模式").count() == 0
    page.goto("/ballots/")  # remembered: the next page opens in the mode
    assert "elder" in html.get_attribute("class") and measure(page)["problems"] == []
    screenshot(page, "elders-switch-375")
    page.get_by_role("button", name="标准模式").click()
    page.wait_for_url(re.compile(r"/ballots/$"))
    assert "elder" not in html.get_attribute("class")
    assert page.get_by_role("button", name="标准模式").count() == 0


def test_the_switch_works_without_javascript_and_the_mode_follows_when_it_is_back(browser, live_asgi, transactional_db):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, base_url=live_asgi.url, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/areas/")
    page.get_by_role("button", name="长辈模式").click()
    page.wait_for_url(re.compile(r"/areas/$"))
    assert {"name": "mode", "value": "elder"}.items() <= next(
        c for c in context.cookies() if c["name"] == "mode"
    ).items()
    context.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="a live event from this process needs Redis")
def test_in_the_elders_mode_a_live_notice_stays_until_it_is_closed(page, live_asgi, settings):
    """No time limit that rushes a person: the live notice that goes after 8 seconds stays in this mode."""
    from channels.layers import channel_layers

    from civic.services import notify

    # publish on the server's channel layer: the test run's own prefix, which the server inherited
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"]["CONFIG"]["prefix"] = os.environ["DJANGO_CACHE_PREFIX"]
    settings.CHANNEL_LAYERS = layers
    channel_layers.backends.clear()
    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.factories import UserFactory

    person = UserFactory(display_name="林阿姨")
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(person.email)
    page.get_by_label("密码").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("button", name="长辈模式").click()
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_timeout(3000)  # the page's socket is open
    off_loop(notify, recipient=person, kind="organisation.confirmed", title="您的组织已确认", url="/")
    toast = page.locator(".toast")
    toast.wait_for()
    page.wait_for_timeout(9000)  # longer than the standard mode's 8 seconds
    assert toast.is_visible()
    assert measure(page)["problems"] == []  # its close button is a 60 px target too
    toast.get_by_role("button", name="关闭").click()
    assert toast.count() == 0
    channel_layers.backends.clear()  # the next test's layer is built from its own settings again
