import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from civic.models import AreaRole
from proposals.models import AreaPolicy, Category
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, UserFactory, make_area_tree
from tests.world import verify

pytestmark = pytest.mark.browser


def _browser_for(browser, live_asgi, user, width=375):
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
    return context, page


def test_a_proposal_is_published_co_signed_qualified_and_answered(browser, live_asgi, transactional_db):
    tree = make_area_tree()
    community = tree["cells"][0].parent
    AreaPolicy.objects.create(
        area=tree["subdistrict"], endorsement_threshold=3, collection_days=30, response_working_days=15
    )
    Category.objects.create(name="照明品质提升")
    author, n1, n2 = (
        UserFactory(display_name="王秀英"),
        UserFactory(display_name="李建国"),
        UserFactory(display_name="张敏"),
    )
    for person, cell in ((author, 0), (n1, 1), (n2, 0)):
        verify(person, tree["cells"][cell])
    organiser, official = UserFactory(display_name="刘芳"), UserFactory(display_name="赵志刚")
    AreaRole.objects.create(user=organiser, area=tree["subdistrict"], role="organiser")
    AreaRole.objects.create(user=official, area=tree["district"], role="official")

    # the organiser keeps a page open
    organiser_context, organiser_page = _browser_for(browser, live_asgi, organiser, width=1280)

    # a verified resident writes and publishes a proposal
    context, page = _browser_for(browser, live_asgi, author)
    page.goto("/proposals/new/")
    page.get_by_label("标题").fill("3 栋楼道灯长期不亮")
    page.get_by_label("说明").fill("3 栋楼道灯坏了两个月。\n\n建议：\n- 更换声控灯\n- 加装夜间指示灯")
    page.get_by_label("类别").select_option(label="照明品质提升")
    page.get_by_label("区域").select_option(value=str(community.pk))
    page.get_by_role("button", name="发布").click()
    assert page.locator("h1").inner_text() == "3 栋楼道灯长期不亮"
    assert page.locator("article.prose li").count() == 2
    url = page.url
    page.get_by_role("button", name="联署这条建议").click()  # the author co-signs too
    assert "1 / 3" in page.locator(".progress-panel").inner_text().replace("\n", " ")
    assert Axe().run(page).violations_count == 0
    screenshot(page, "proposal-published-375")

    # two neighbours co-sign from their own phones
    for neighbour in (n1, n2):
        ctx, neighbour_page = _browser_for(browser, live_asgi, neighbour)
        neighbour_page.goto(url)
        neighbour_page.get_by_role("button", name="联署这条建议").click()
        assert "感谢您的联署" in neighbour_page.locator(".messages").inner_text()
        ctx.close()

    # the organiser is told at once
    toast = organiser_page.locator(".toast")
    toast.wait_for(timeout=5000)
    assert "联署人数已达到议程门槛" in toast.inner_text()

    # an official answers
    official_context, official_page = _browser_for(browser, live_asgi, official, width=1280)
    official_page.goto(url)
    official_page.get_by_text("作为政府工作人员答复").click()
    official_page.get_by_label("同意提交议事").check()
    official_page.get_by_label("说明（公开）").fill("已列入下次议事会议题。")
    official_page.get_by_role("button", name="发布答复").click()
    assert "答复已发布" in official_page.locator(".messages").inner_text()

    # everyone sees the whole story
    page.goto(url)
    main = page.locator("main").inner_text()
    assert "已达联署门槛" in main and "已列入下次议事会议题。" in main and "用时 0 个工作日" in main
    timeline = page.locator(".timeline").inner_text()
    for line in ("开始征集联署", "获得 3 人联署，达到议程门槛", "赵志刚 作出答复"):
        assert line in timeline
    screenshot(page, "proposal-answered-375")
    assert page.console_errors == []
    for c in (context, organiser_context, official_context):
        c.close()
