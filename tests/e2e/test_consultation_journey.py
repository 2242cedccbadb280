"""开门立法 in the browser, on the demo: the official imports a Markdown draft with chapters and articles,
corrects what the preview shows and publishes; two residents comment on different articles (one with a
wording), one agrees with the other; staff enter a symposium's opinions; the window closes (a near closing
time, then the tick, as cron runs it); the official answers every opinion (one adopted with a change of
wording), writes the final text and publishes it with the feedback report; the residents read their answers,
the comparison and the report, and hear of it."""

import math
import re
import time
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Consultation, Opinion
from tests.e2e.conftest import SCREENSHOTS, off_loop, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "gongzhi-demo-2026"
TITLE = "柳岸小区电动自行车停放充电管理办法（征求意见稿）"

# 第三条 is mistyped as 第三十条: the preview warns, the official corrects the line and looks again.
DRAFT = """# 第一章 总则
第一条 为了规范小区电动自行车停放和充电，消除火灾隐患，制定本办法。
第二条 本办法适用于柳岸小区全体业主和物业使用人。
# 第二章 停放与充电
第三十条 电动自行车应当在集中停放点停放，不得进入楼道和电梯。
第四条 物业服务企业应当在集中停放点设置充电设施：
（一）每二十个停放位至少设置一个充电口；
（二）充电设施每月检查一次。
第五条 违反本办法的，由物业服务企业劝阻；劝阻无效的，报告社区居民委员会。
"""
CORRECTED = DRAFT.replace("第三十条", "第三条")

WORDING = "电动自行车应当在集中停放点停放，不得进入楼道、电梯和地下室。"


def person(browser, live_asgi, email, width=375):
    """A browser of its own for one demo person, signed in."""
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=live_asgi.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    return page


def message(page) -> str:
    return page.locator(".messages").inner_text()


def no_serious_violations(page):
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], serious


def both_widths(page, name):
    """Screenshots at a phone's width and a desk's, axe at both."""
    page.set_viewport_size({"width": 375, "height": 812})
    no_serious_violations(page)
    screenshot(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    no_serious_violations(page)
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 375, "height": 812})
    # nothing spills out sideways on the phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def submit_in(page, form_selector):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def test_a_draft_is_consulted_answered_and_concluded(live_asgi, browser, page):
    started = time.monotonic()
    off_loop(call_command, "seed_demo", quiet_logins=True)
    official = person(browser, live_asgi, "official@yunhe.example")

    # the official starts the consultation in 柳岸社区
    official.goto("/consultations/new/")
    official.locator("select[name=area]").select_option(label="柳岸社区")
    official.locator("input[name=title]").fill(TITLE)
    official.locator("select[name=kind]").select_option("community_rules")
    official.locator("textarea[name=background]").fill("楼道充电引发的火情时有发生，业主委员会和物业共同起草本办法。")
    official.locator("input[name=closes_at]").fill(
        timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    official.locator("main form button[type=submit]").click()
    official.wait_for_url(re.compile(r"/consultations/\d+/text/$"))
    consultation = Consultation.objects.get(title=TITLE)

    # imports the Markdown draft; the preview warns of the mistyped article number; corrected, it reads well
    official.locator("input[name=source_format][value=markdown]").check()
    official.locator("textarea[name=source]").fill(DRAFT)
    official.get_by_role("button", name="预览").click()
    warning = official.locator(".message-warning").inner_text()
    assert "请检查以下各行" in warning and "第 5 行：编号为" in warning, warning
    rows = official.locator("table.preview tbody tr")
    assert "章" in rows.nth(0).inner_text() and "ch1" in rows.nth(0).inner_text()
    official.locator("textarea[name=source]").fill(CORRECTED)
    official.get_by_role("button", name="预览").click()
    assert official.locator(".message-warning").count() == 0
    preview = official.locator("table.preview").inner_text()
    for anchor in ("ch1", "art1", "ch2", "art3", "art4-p1-i1", "art4-p1-i2", "art5"):
        assert anchor in preview, anchor
    official.get_by_role("button", name="保存文本").click()
    official.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/$"))
    assert "第三条" in official.locator(".legal-text").inner_text()

    # the window: closes at the next full minute at least 25 seconds away (the form takes minutes); the
    # publication, the opinions and the symposium fill the wait
    closes = timezone.localtime(timezone.now() + timedelta(seconds=25))
    closes = closes.replace(second=0, microsecond=0) + timedelta(minutes=1)
    official.goto(f"/consultations/{consultation.pk}/edit/")
    official.locator("input[name=closes_at]").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    official.locator("main form button[type=submit]").first.click()
    official.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/$"))
    official.get_by_role("button", name="发布并开始征求意见").click()
    assert "发布" in message(official)
    consultation.refresh_from_db()
    assert consultation.state == "open"

    # 王秀英 proposes a new wording of 第三条; the page shows it as a diff against the draft
    wang = person(browser, live_asgi, "resident@yunhe.example")
    wang.goto(f"/consultations/{consultation.pk}/")
    wang.locator("#art3 > p > a[href='?unit=art3#give-opinion']").click()
    assert wang.locator("select[name=unit]").input_value() == "art3"
    wang.locator("textarea[name=text]").fill("地下室通风差，电动自行车停进去充电同样危险，建议一并禁止。")
    wang.locator("textarea[name=wording]").fill(WORDING)
    wang.get_by_role("button", name="提交意见").click()
    wang.wait_for_url(re.compile(r"/opinions/\d+/$"))
    assert "您的意见已记录" in message(wang), message(wang)
    diff = wang.locator(".diff")
    # 不得进入楼道和电梯 → 不得进入楼道、电梯和地下室
    assert diff.locator("del").all_inner_texts() == ["和"]
    assert diff.locator("ins").all_inner_texts() == ["、", "和地下室"]
    wording_opinion = Opinion.objects.get(consultation=consultation, author__email="resident@yunhe.example")

    # 李建国 comments on 第四条 and agrees with 王秀英's opinion
    li = person(browser, live_asgi, "resident2@yunhe.example")
    li.goto(f"/consultations/{consultation.pk}/?unit=art4-p1#give-opinion")
    li.locator("textarea[name=text]").fill("每二十个停放位一个充电口太少，晚上排队充电，建议每十个停放位一个。")
    li.get_by_role("button", name="提交意见").click()
    li.wait_for_url(re.compile(r"/opinions/\d+/$"))
    li.goto(wording_opinion.get_absolute_url())
    assert "0 人同意" in li.locator(".actions").inner_text(), li.locator(".actions").inner_text()
    li.get_by_role("button", name="同意此意见").click()
    assert "1 人同意" in li.locator(".actions").inner_text(), li.locator(".actions").inner_text()
    wording_opinion.refresh_from_db()
    assert wording_opinion.support_count == 1

    # staff record the symposium held today and enter what was said at it
    official.goto(f"/consultations/{consultation.pk}/offline/")
    official.locator("input[name=held_on]").fill(timezone.localdate().isoformat())
    official.locator("input[name=place]").fill("柳岸社区党群服务中心")
    official.locator("input[name=attendance]").fill("18")
    official.get_by_role("button", name="记录座谈会").click()
    official.wait_for_url(re.compile(r"/offline/\?symposium=\d+$"))
    for unit, text in (
        ("art5", "劝阻无效的情形要写明后续处理，比如通报和停止充电服务。"),
        ("", "办法印发到每户，楼栋长上门讲解。"),
    ):
        official.locator("select[name=source]").select_option("symposium")
        official.locator("select[name=unit]").select_option(unit)
        official.locator("textarea[name=text]").fill(text)
        official.get_by_role("button", name="录入意见").click()
        assert "意见已录入" in message(official), message(official)
    entered = official.locator("ol.comments").inner_text()
    assert "劝阻无效" in entered and "印发到每户" in entered

    # the consultation page: the opinions with the support count and the symposium's source
    page.goto(f"/consultations/{consultation.pk}/opinions/?source=symposium")
    listed = page.locator("main").inner_text()
    assert "劝阻无效" in listed and "印发到每户" in listed and "地下室" not in listed
    symposium_opinion = Opinion.objects.get(consultation=consultation, text__startswith="劝阻无效")
    page.goto(symposium_opinion.get_absolute_url())
    source = page.locator(".meta").inner_text()
    assert "座谈会" in source and "柳岸社区党群服务中心" in source and "18" in source, source
    page.goto(f"/consultations/{consultation.pk}/")
    assert "1 人同意" in page.locator(f"#opinion-{wording_opinion.pk}").inner_text()
    both_widths(page, "consultation-open")

    # the window closes: the tick runs once the closing time has passed
    left = (closes - timezone.now()).total_seconds()
    if left > 0:
        time.sleep(math.ceil(left) + 1)
    off_loop(call_command, "tick", verbosity=0)
    consultation.refresh_from_db()
    assert consultation.state == "closed" and consultation.answer_due

    # the official answers; closing the answering with one opinion left is refused, in Chinese
    official.goto(f"/consultations/{consultation.pk}/answers/")
    opinions = {o.text[:4]: o for o in Opinion.objects.filter(consultation=consultation)}
    answers = [
        (wording_opinion, "adopted", "采纳。第三条增加“地下室”。"),
        (opinions["每二十个"], "partly_adopted", "部分采纳。第四条改为每十五个停放位至少一个充电口。"),
        (opinions["劝阻无效"], "not_adopted", "未采纳。小区规约无权设定处罚，由居委会协调处理。"),
    ]
    for opinion, classification, reason in answers:
        item = official.locator(f"#opinion-{opinion.pk}")
        item.locator("summary").click()
        item.locator(f"input[value={classification}]").check()
        item.locator("textarea[name=reason]").fill(reason)
        item.get_by_role("button", name="发布答复").click()
        assert "已答复" in message(official), message(official)
    with official.expect_navigation():
        official.get_by_role("button", name="全部意见已答复").click()
    refusal = message(official)
    assert "还有 1 条意见未答复，请先答复全部意见。" in refusal, refusal
    consultation.refresh_from_db()
    assert consultation.state == "closed"
    official.goto(f"/consultations/{consultation.pk}/answers/")
    item = official.locator(f"#opinion-{opinions['办法印发'].pk}")
    item.locator("summary").click()
    item.locator("input[value=already_provided]").check()
    item.locator("textarea[name=reason]").fill("已有规定。社区每次发布规约都会印发到户。")
    item.get_by_role("button", name="发布答复").click()
    official.get_by_role("button", name="全部意见已答复").click()
    consultation.refresh_from_db()
    assert consultation.state == "answered"

    # the final text: 第三条 revised with the adopted opinion named as its cause
    official.goto(f"/consultations/{consultation.pk}/final/")
    official.get_by_role("button", name="以草案为底稿开始撰写最终文本").click()
    # the opinion is on 第三条, its words are in the article's paragraph
    official.locator("li#art3-p1").get_by_role("link", name="修改").click()
    paragraph = official.locator("li#art3-p1")
    paragraph.locator("textarea[name=text]").fill(WORDING)
    paragraph.get_by_label(re.compile(rf"^#{wording_opinion.pk} 采纳")).check()
    paragraph.get_by_role("button", name="保存这一部分").click()
    assert "已保存" in message(official)
    changed = official.locator("li#art3-p1")
    assert "地下室" in changed.inner_text()
    assert changed.locator(f"a[href$='/opinions/{wording_opinion.pk}/']").count() == 1
    both_widths(official, "consultation-final")
    official.get_by_role("button", name="发布最终文本和意见采纳情况说明").click()
    consultation.refresh_from_db()
    assert consultation.state == "concluded"

    # 王秀英 hears of her answer and reads it, the comparison and the report
    wang.goto("/notifications/")
    told = wang.locator("main").inner_text()
    assert f"您对“{TITLE}”提出的意见已答复：采纳" in told, told
    wang.goto(wording_opinion.get_absolute_url())
    answer = wang.locator("section.panel")
    assert answer.locator(".badge").inner_text() == "采纳"
    assert "第三条增加“地下室”" in answer.inner_text()
    wang.goto(f"/consultations/{consultation.pk}/comparison/")
    row = wang.locator(".comparison-row#art3-p1")
    assert row.locator("del").all_inner_texts() == ["和"]
    assert row.locator("ins").all_inner_texts() == ["、", "和地下室"]
    assert "地下室" in row.locator(".comparison-final").inner_text()
    assert row.locator(f"a[href$='/opinions/{wording_opinion.pk}/']").count() == 1
    both_widths(wang, "consultation-comparison")

    li.goto(f"/consultations/{consultation.pk}/report/")
    report = li.locator("article.report").inner_text()
    # 2 online authors + 18 at the symposium; 2 of the 4 answered opinions (部分) adopted
    assert "共收到意见 4 条，参与人次 20。" in report, report
    assert "采纳率为 50.0%" in report and "在答复期限内答复的占 100.0%" in report, report
    assert "第四条第一款" in report
    for reason in (
        "第三条增加“地下室”",
        "每十五个停放位",
        "小区规约无权设定处罚",
        "印发到户",
    ):
        assert reason in report, reason
    both_widths(li, "consultation-report")
    li.emulate_media(media="print")
    li.set_viewport_size({"width": 1280, "height": 900})
    screenshot(li, "consultation-report-print")
    li.pdf(path=str(SCREENSHOTS / "consultation-report.pdf"))
    li.emulate_media(media="screen")

    # the outcome notice on the area's board
    page.goto("/areas/990102001001/notices/")
    assert TITLE in page.locator("main").inner_text()

    for someone in (official, wang, li, page):
        assert someone.console_errors == [], someone.console_errors
    # up to a minute of it is the wait for the closing time (the form takes minutes); the rest is ~40 s
    assert time.monotonic() - started < 150
