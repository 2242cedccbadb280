import re
import time
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from civic.models import AreaRole
from deliberation import services
from proposals.models import Category, Proposal
from tests.e2e.conftest import off_loop, screenshot
from tests.factories import PASSWORD, UserFactory, make_area_tree
from tests.world import verify

pytestmark = pytest.mark.browser


def _join(browser, live_asgi, user, url, width=375):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_asgi.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(url)
    return context, page


def _press(page, name):
    page.locator("[data-actions]").get_by_role("button", name=name, exact=True).click()


def _prepare():
    tree = make_area_tree()
    chair = UserFactory(display_name="刘芳")
    AreaRole.objects.create(user=chair, area=tree["subdistrict"], role="organiser")
    council = services.council_create(actor=chair, area=tree["subdistrict"], name="测试街道议事会")
    names = ["王秀英", "李建国", "张敏", "陈晓东"]
    members = [UserFactory(display_name=n) for n in names]
    for person in members:
        verify(person, tree["cells"][0])
        services.council_member_add(actor=chair, council=council, user=person)
    proposal = Proposal.objects.create(
        title="3 栋加装电梯",
        body="建议加装电梯。",
        category=Category.objects.create(name="老旧小区改造"),
        area=tree["subdistrict"],
        area_path=tree["subdistrict"].path,
        author=members[0],
        state="qualified",
    )
    session = services.session_schedule(
        actor=chair,
        council=council,
        title="十二月议事会",
        starts_at=timezone.now() + timedelta(hours=1),
        items=[("", proposal, 30)],
    )
    return chair, members, proposal, session


def test_a_council_session_runs_live_on_five_screens(browser, live_asgi, transactional_db):
    chair, members, proposal, session = off_loop(_prepare)
    url = f"/sessions/{session.pk}/"

    chair_ctx, chair_page = _join(browser, live_asgi, chair, url, width=1280)
    screens = [_join(browser, live_asgi, person, url) for person in members]
    pages = [p for _c, p in screens]
    a, b, c, d = pages

    for page in [chair_page, *pages]:
        _press(page, "签到")
    chair_page.get_by_text("到会 5 / 5 人").wait_for()
    _press(chair_page, "宣布开会")
    a.locator("[data-phase]", has_text="会议中").wait_for()

    a.get_by_label("动议内容").fill("同意为 3 栋加装电梯")
    _press(a, "提出动议")
    _press(b, "附议")
    c.locator("[data-stack]", has_text="同意为 3 栋加装电梯").wait_for()
    _press(c, "申请发言（支持）")
    _press(d, "申请发言（反对）")
    chair_page.locator("[data-queue] li").nth(1).wait_for()
    _press(chair_page, "请下一位发言")
    c.locator("[data-speaker]", has_text="张敏").wait_for()
    assert re.fullmatch(r"[12]:\d\d", c.locator("[data-timer]").inner_text())  # the server's two minutes
    screenshot(c, "session-member-375")
    _press(c, "结束发言")
    chair_page.locator("[data-speaker]", has_text="目前没有人在发言").wait_for()  # the chair's screen has caught up
    _press(chair_page, "请下一位发言")
    d.locator("[data-speaker]", has_text="陈晓东").wait_for()
    _press(d, "结束发言")
    chair_page.locator("[data-speaker]", has_text="目前没有人在发言").wait_for()

    _press(chair_page, "开始表决")
    for page, choice in zip(pages, ["赞成", "赞成", "赞成", "反对"], strict=True):
        _press(page, choice)
    chair_page.locator("[data-vote]", has_text="4 / 4").wait_for()
    _press(chair_page, "结束表决")
    started = time.monotonic()
    _press(chair_page, "宣布结果")
    for page in [chair_page, *pages]:
        page.locator("[data-result]", has_text="通过").wait_for(timeout=1000)  # on every screen within a second
    assert time.monotonic() - started < 2
    assert "赞成 3" in a.locator("[data-result]").inner_text()
    assert Axe().run(chair_page).violations_count == 0
    screenshot(chair_page, "session-chair-1280")

    _press(chair_page, "宣布散会")
    chair_page.locator("[data-phase]", has_text="已散会").wait_for()
    assert Proposal.objects.get(pk=proposal.pk).state == "adopted"
    chair_page.goto(f"/sessions/{session.pk}/minutes/")
    chair_page.get_by_label("摘要（公开）").fill("会议通过为 3 栋加装电梯的动议。")
    chair_page.get_by_role("button", name="发布会议纪要").click()
    minutes = chair_page.locator("article.minutes").inner_text()
    for line in (
        "王秀英 提出动议：“同意为 3 栋加装电梯”",
        "李建国 附议",
        "张敏 发言（支持）",  # the side in words, not its code
        "表决：赞成 3，反对 1，弃权 0",
        "通过",
    ):
        assert line in minutes
    for context in [chair_ctx, *[ctx for ctx, _p in screens]]:
        context.close()
    assert all(not p.console_errors for p in [chair_page, *pages])
