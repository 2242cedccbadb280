import re
import time
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from civic.models import AreaRole
from deliberation import services
from deliberation.models import Session
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


SPEECH_SECONDS = 12  # short speeches, so the test can wait for one to run out


def _actions(page):
    return page.locator("[data-actions]")


def _press(page, name):
    _actions(page).get_by_role("button", name=name, exact=True).click()


# Notes on the page when the time-up notice appears (seconds, the browser's clock).
NOTE_WHEN_TIME_IS_UP = """() => {
  const notice = document.querySelector("[data-notice]");
  window.timeUpShownAt = null;
  new MutationObserver(() => {
    if (!notice.hidden && window.timeUpShownAt === null) window.timeUpShownAt = Date.now() / 1000;
  }).observe(notice, { attributes: true, childList: true, subtree: true });
}"""


def _watch(browser, live_asgi, url, width=1280):
    """The room's projector: nobody signed in, nothing pressed."""
    context = browser.new_context(viewport={"width": width, "height": 720}, base_url=live_asgi.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(10_000)
    page.goto(url)
    return context, page


def _prepare():
    tree = make_area_tree()
    chair = UserFactory(display_name="刘芳")
    AreaRole.objects.create(user=chair, area=tree["subdistrict"], role="organiser")
    council = services.council_create(actor=chair, area=tree["subdistrict"], name="测试街道议事会")
    council.overrides = {"speech_seconds": SPEECH_SECONDS}
    council.save()
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
    projector_ctx, projector = _watch(browser, live_asgi, f"/sessions/{session.pk}/screen/")

    # the upcoming session shows its agenda
    assert "3 栋加装电梯" in a.locator("[data-agenda]").inner_text()
    for page in [chair_page, *pages]:
        _press(page, "签到")
    chair_page.get_by_text("到会 5 / 5 人").wait_for()
    assert "button-primary" in _actions(chair_page).get_by_role("button", name="宣布开会").get_attribute("class")
    _press(chair_page, "宣布开会")
    a.locator("[data-phase]", has_text="会议中").wait_for()

    # the motions are one control; the text comes in a second step
    _actions(a).locator("summary", has_text="动议").click()
    _press(a, "提出动议")
    a.locator("[data-step]").get_by_label("动议内容").fill("同意为 3 栋加装电梯")
    a.locator("[data-step]").get_by_role("button", name="提出动议").click()
    a.locator("[data-step]").wait_for(state="hidden")
    _press(b, "附议")
    c.locator("[data-stack]", has_text="同意为 3 栋加装电梯").wait_for()
    _press(c, "申请发言（支持）")
    _press(d, "申请发言（反对）")
    chair_page.locator("[data-queue] li").nth(1).wait_for()
    projector.locator("[data-queue] li").nth(1).wait_for()  # the projector shows who waits to speak
    grant = _actions(chair_page).get_by_role("button", name="请下一位发言")
    assert "button-primary" in grant.get_attribute("class")  # what the rules expect next
    close = _actions(chair_page).get_by_role("button", name="宣布散会")
    assert "button-irreversible" in close.get_attribute("class") and "button-primary" not in close.get_attribute(
        "class"
    )
    screenshot(chair_page, "session-chair-1280")
    grant.click()
    c.locator("[data-speaker]", has_text="张敏").wait_for()
    assert re.fullmatch(r"0:(0\d|1[0-2])", c.locator("[data-timer]").inner_text())  # the server's clock
    # the speaker's own act comes first and stands out; leaving comes last
    _actions(c).get_by_role("button", name="结束发言").wait_for()
    buttons = c.locator(".actions-panel button:visible")
    assert buttons.first.inner_text() == "结束发言" and "button-primary" in buttons.first.get_attribute("class")
    assert buttons.last.inner_text() == "退出"
    assert buttons.count() <= 4  # the motions wait behind one control
    projector.locator("[data-speaker]", has_text="张敏").wait_for()
    screenshot(c, "session-member-375")
    screenshot(projector, "session-projector-1280")
    _press(c, "结束发言")
    chair_page.locator("[data-speaker]", has_text="目前没有人在发言").wait_for()  # the chair's screen has caught up

    # the next speech runs out: nobody presses anything, every screen hears it from the server
    everyone = [chair_page, *pages, projector]
    for page in everyone:
        page.evaluate(NOTE_WHEN_TIME_IS_UP)
    _press(chair_page, "请下一位发言")
    d.locator("[data-speaker]", has_text="陈晓东").wait_for()
    deadline = Session.objects.get(pk=session.pk).speech_deadline.timestamp()
    for page in everyone:
        page.locator("[data-notice]", has_text="陈晓东的发言时间已到").wait_for(timeout=(SPEECH_SECONDS + 5) * 1000)
        page.locator("[data-speaker]", has_text="目前没有人在发言").wait_for(timeout=1000)
    # when each screen showed it (the browser's clock is this machine's); a little slack over the second
    # the two-process test holds the server to, for six browsers sharing a busy machine
    assert all(page.evaluate("window.timeUpShownAt") - deadline < 1.5 for page in everyone)
    ended = Session.objects.get(pk=session.pk).records.filter(kind="event", payload__type="speech_ended")
    assert [e.payload["reason"] for e in ended.order_by("seq")] == ["yielded", "time_up"]

    _press(chair_page, "开始表决")
    yes = _actions(a).get_by_role("button", name="赞成")
    yes.wait_for()
    assert "button-primary" in yes.get_attribute("class")  # voting is what the rules expect of a member now
    assert Axe().run(a).violations_count == 0
    screenshot(a, "session-member-vote-375")
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

    # closing cannot be undone: it asks first, and cancelling changes nothing
    _press(chair_page, "宣布散会")
    step = chair_page.locator("[data-step]")
    step.get_by_text("确定现在宣布散会吗").wait_for()
    assert Axe().run(chair_page).violations_count == 0
    screenshot(chair_page, "session-chair-confirm-1280")
    step.get_by_role("button", name="取消").click()
    step.wait_for(state="hidden")
    time.sleep(0.5)
    assert Session.objects.get(pk=session.pk).phase == "open"
    _press(chair_page, "宣布散会")
    step.get_by_role("button", name="确认散会").click()
    chair_page.locator("[data-phase]", has_text="已散会").wait_for()
    assert Proposal.objects.get(pk=proposal.pk).state == "adopted"

    # minutes are linked once they exist; until then the page says they are to come
    a.reload()
    a.locator("[data-minutes-pending]", has_text="纪要待发布").wait_for()
    assert a.locator(f'a[href="/sessions/{session.pk}/minutes/"]').count() == 0
    chair_page.reload()
    chair_page.get_by_role("link", name="发布会议纪要").click()
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
    a.reload()
    a.get_by_role("link", name="会议纪要").click()
    a.locator("article.minutes").wait_for()
    for context in [chair_ctx, projector_ctx, *[ctx for ctx, _p in screens]]:
        context.close()
    assert [p.console_errors for p in [chair_page, *pages, projector]] == [[]] * 6
