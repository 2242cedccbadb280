"""The whole chain in the browser, on the demo: an adopted proposal becomes a micro-project; the implementer
reports progress and completion; the official inspects and accepts; residents rate; the award is computed,
noticed, objected to and answered, approved, advanced and settled; the public page shows every step."""

import io
import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from funding.models import MicroProject, SubsidyAward
from proposals.models import Proposal
from tests.e2e.conftest import off_loop, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "gongzhi-demo-2026"
PARKING = "柳岸小区停车位重新划线"


def person(browser, live_asgi, email):
    """A browser of its own for one demo person, signed in."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_asgi.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    return page


def message(page) -> str:
    return page.locator(".messages").inner_text()


def time_passes(**updates):
    """The notice period or the rating period ends (the server reads the same database)."""
    past = timezone.now() - timedelta(days=1)
    if "award" in updates:
        SubsidyAward.objects.filter(pk=updates["award"]).update(notice_until=past, objections_until=past)
    if "accepted" in updates:
        MicroProject.objects.filter(pk=updates["accepted"]).update(accepted_at=timezone.now() - timedelta(days=40))


def photo(tmp_path):
    path = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "#5b8c3a").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_an_adopted_proposal_is_built_inspected_rated_and_paid(live_asgi, browser, page, tmp_path):
    off_loop(call_command, "seed_demo", quiet_logins=True)
    proposal = Proposal.objects.get(title=PARKING)
    official = person(browser, live_asgi, "official@yunhe.example")

    # the official picks the adopted proposal from the desk and creates its project, prefilled
    official.goto("/projects/new/")
    official.locator(f"a[href$='/proposals/{proposal.pk}/project/new/']").first.click()
    assert official.locator("input[name=title]").input_value() == PARKING
    official.locator("select[name=implementer]").select_option(label="云河绿城物业服务有限公司")
    today = timezone.localdate()
    official.locator("input[name=planned_start]").fill(today.isoformat())
    official.locator("input[name=planned_end]").fill((today + timedelta(days=40)).isoformat())
    official.locator("input[name='milestones-0-title']").fill("划线完成一半")
    official.locator("input[name='milestones-0-due_on']").fill((today + timedelta(days=20)).isoformat())
    official.locator("input[name='milestones-0-is_midpoint']").check()
    official.locator("main form button[type=submit]").last.click()
    official.wait_for_url(re.compile(r"/projects/\d+/$"))
    project = MicroProject.objects.get(proposal=proposal)
    assert project.budget > 0 and project.state == "planned"

    # residents' money: committed, then received
    official.locator("#form-commitment summary").click()
    official.locator("#form-commitment select[name=source]").select_option("residents")
    official.locator("#form-commitment input[name=funder]").fill("柳岸小区居民众筹")
    official.locator("#form-commitment input[name=amount]").fill("2000")
    official.locator("#form-commitment button[type=submit]").click()
    assert "柳岸小区居民众筹" in official.locator("main").inner_text()
    official.locator("#form-receipt summary").click()
    official.locator("#form-receipt select[name=commitment]").select_option(index=1)
    official.locator("#form-receipt input[name=amount]").fill("2000")
    official.locator("#form-receipt button[type=submit]").click()

    # the provisional award is computed and put under public notice
    official.locator("#compute-provisional").check()
    official.get_by_role("button", name="核算并公示").click()
    award = SubsidyAward.objects.get(project=project, stage="provisional")
    assert "公示" in official.locator("main").inner_text()

    # a resident objects; approving now is refused; the official answers
    resident = person(browser, live_asgi, "resident@yunhe.example")
    resident.goto(f"/projects/{project.pk}/")
    resident.locator(f"#objection-text-{award.pk}").fill("划线材料单价偏高，请核实。")
    resident.get_by_role("button", name="提出异议").click()
    assert "异议" in message(resident)
    official.goto(f"/projects/{project.pk}/")
    objection = award.objections.get()
    official.locator(f"#rejected-{objection.pk}").check()
    official.locator(f"#answer-{objection.pk}").fill("单价按区住建局 2026 年指导价核定，异议不成立。")
    official.get_by_role("button", name="答复异议").click()
    approve = official.locator(f"form[action$='/awards/{award.pk}/approve/'] button")
    assert approve.count() == 0  # the notice still runs: no approve button yet
    time_passes(award=award.pk)
    official.goto(f"/projects/{project.pk}/")
    official.locator(f"form[action$='/awards/{award.pk}/approve/'] button").click()
    assert "批准" in message(official)

    # the implementer starts, reports the mid-point with a photo, and reports completion
    implementer = person(browser, live_asgi, "enterprise@yunhe.example")
    implementer.goto(f"/projects/{project.pk}/")
    implementer.locator("#form-start button[type=submit]").click()
    implementer.locator("#form-progress summary").click()
    implementer.locator("#form-progress textarea[name=text]").fill("已完成东区 40 个车位划线。")
    implementer.locator("#form-progress input[name=spend_to_date]").fill("5200")
    implementer.locator("#form-progress select[name=milestone]").select_option(index=1)
    implementer.locator("#form-progress input[name=photos]").set_input_files(photo(tmp_path))
    implementer.locator("#form-progress button[type=submit]").click()
    assert implementer.locator("img[src*='projects/']").count() >= 1
    # the photo really loads, as in production (no DEBUG, no /media/ location in nginx)
    shown = implementer.locator("img[src*='projects/']").first
    shown.scroll_into_view_if_needed()
    implementer.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=shown.element_handle())

    # the official pays the start and mid-point advances; a second payment of the same one is refused
    official.goto(f"/projects/{project.pk}/")
    official.locator(f"#advance-{award.pk}-midpoint").check()
    official.get_by_role("button", name="支付预拨款").click()
    assert "预拨" in message(official)

    implementer.goto(f"/projects/{project.pk}/")
    implementer.locator("#form-completion summary").click()
    implementer.locator("#form-completion textarea[name=report]").fill("全部 96 个车位和消防通道标线完成。")
    implementer.locator("#form-completion button[type=submit]").click()

    # the official inspects and accepts
    official.goto(f"/projects/{project.pk}/")
    official.locator("#form-inspection summary").click()
    for i, (item, score) in enumerate([("标线质量", "9"), ("消防通道标识", "10"), ("资料票据", "8")]):
        official.locator(f"input[name='checklist-{i}-item']").fill(item)
        official.locator(f"input[name='checklist-{i}-score']").fill(score)
        official.locator(f"input[name='checklist-{i}-max']").fill("10")
    official.locator("#form-inspection input[name=result][value=accepted]").check()
    official.locator("#form-inspection input[name=verified_cost]").fill("11800")
    official.locator("#form-inspection button[type=submit]").click()
    assert "已验收" in official.locator("main").inner_text()

    # residents rate
    for page_of, level in ((resident, "5"), (person(browser, live_asgi, "resident2@yunhe.example"), "4")):
        page_of.goto(f"/projects/{project.pk}/")
        page_of.locator(f"#form-rating input[name=level][value='{level}']").check()
        page_of.locator("#form-rating button[type=submit]").click()
        assert "您的评价" in page_of.locator("main").inner_text() or "评价" in message(page_of)

    # after the rating period: the settlement is computed, noticed, approved and paid; the project closes
    time_passes(accepted=project.pk)
    official.goto(f"/projects/{project.pk}/")
    official.locator("#compute-settlement").check()
    official.get_by_role("button", name="核算并公示").click()
    settlement = SubsidyAward.objects.get(project=project, stage="settlement", status="notice")
    time_passes(award=settlement.pk)
    official.goto(f"/projects/{project.pk}/")
    official.locator(f"form[action$='/awards/{settlement.pk}/approve/'] button").click()
    official.locator(f"form[action$='/awards/{settlement.pk}/settlement/'] button").click()
    official.locator("#form-close button[type=submit]").click()
    assert "已结项" in official.locator("main").inner_text()

    # anyone sees the whole chain on the public page
    page.goto(f"/projects/{project.pk}/")
    main = page.locator("main").inner_text()
    for words in (PARKING, "云河绿城物业服务有限公司", "柳岸小区居民众筹", "标线质量", "审定造价", "非常满意", "结算"):
        assert words in main, words
    story = page.locator("ol.timeline").inner_text()
    for words in ("获得通过", "开始实施", "划线完成一半", "验收", "暂定奖补", "异议", "预拨", "结算", "已结项"):
        assert words in story, words
    assert Axe().run(page).violations_count == 0
    screenshot(page, "project-public-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "project-public-1280")
    paid = sum(e.amount for e in project.ledger.filter(kind__in=["advance", "settlement"]))
    assert paid == SubsidyAward.objects.get(pk=settlement.pk).amount  # 11,800 × 30 % paid in all
