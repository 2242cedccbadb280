"""关键小事 in the browser, on the demo district: a resident reports with a photo, the grid worker accepts and
dispatches, the unit resolves with a photo of the result, the resident is not satisfied and the report goes
back; resolved again, the resident is satisfied and the public board shows it. And an overdue report with a
public holiday inside its limit, escalated by the tick and acknowledged."""

import io
import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from casework import services
from casework.hours import WorkingTime, local
from casework.models import Escalation, Report
from civic.models import CalendarDay, User
from civic.workdays import bump_calendar, is_workday
from tests.e2e.conftest import off_loop, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "gongzhi-demo-2026"


def person(browser, live_asgi, email, width=375):
    context = browser.new_context(viewport={"width": width, "height": 812}, base_url=live_asgi.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    return page


def photo(tmp_path, name, colour):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_report_dispatch_resolve_reopen_and_rate(live_asgi, browser, page, tmp_path):
    off_loop(call_command, "seed_demo", quiet_logins=True)

    # the grid worker has the work queue open while the resident reports
    grid = person(browser, live_asgi, "grid@yunhe.example")
    grid.goto("/casework/queue/")
    assert Axe().run(grid).violations_count == 0

    # the resident reports in her own cell; the open street-lamp report there is offered first
    resident = person(browser, live_asgi, "resident@yunhe.example")
    resident.goto("/casework/")
    resident.get_by_role("link", name="反映问题").first.click()
    resident.locator("select[name=category]").select_option("lamp")
    resident.locator("[data-similar] .similar-reports").wait_for()
    assert "已经有人反映过" in resident.locator("[data-similar]").inner_text()
    resident.locator("input[name=place]").fill("柳岸小区 5 栋东侧路灯")
    resident.locator("textarea[name=text]").fill("5 栋东侧路灯灯罩掉了，灯也不亮。")
    resident.locator("input[name=photos]").set_input_files(photo(tmp_path, "lamp.jpg", "#223355"))
    screenshot(resident, "casework-report-form-375")
    resident.locator("form.report-form button.button-primary").click()
    resident.wait_for_url(re.compile(r"/casework/reports/\d+/$"))
    report = Report.objects.get(place="柳岸小区 5 栋东侧路灯")
    assert report.state == "submitted" and report.photo_count == 1
    assert "待受理" in resident.locator("main").inner_text()

    # it appears in the grid worker's queue without a reload; accepted and dispatched to the default unit
    new_item = grid.locator(f"[data-queue-url] a[href='/casework/reports/{report.pk}/']").first
    new_item.wait_for(timeout=40_000)
    screenshot(grid, "casework-queue-375")
    new_item.click()
    grid.get_by_role("button", name="受理", exact=True).click()
    assert "已受理" in grid.locator(".messages").inner_text()
    grid.get_by_role("button", name="派单").click()
    report.refresh_from_db()
    assert report.state == "dispatched" and report.unit.name == "云河市路灯管理所"

    # the unit starts and resolves with a photo of the result
    unit = person(browser, live_asgi, "unit@yunhe.example")
    unit.goto("/casework/queue/")
    unit.locator(f"a[href='/casework/reports/{report.pk}/']").first.click()
    unit.get_by_role("button", name="开始办理").click()
    unit.locator("textarea[name=note]").fill("已更换灯罩和灯泡。")
    unit.locator("input[name=photos]").set_input_files(photo(tmp_path, "after.jpg", "#ddcc55"))
    unit.locator("form[action$='/resolve/'] button[type=submit]").click()
    assert "已办结" in unit.locator(".messages").inner_text()

    # the resident is not satisfied: back to the same unit
    resident.goto(f"/casework/reports/{report.pk}/")
    resident.get_by_label("不满意", exact=True).check()
    resident.locator("#rate-comment").fill("灯亮了但一闪一闪的。")
    resident.get_by_role("button", name="提交评价").click()
    report.refresh_from_db()
    assert report.state == "dispatched" and report.reopen_count == 1
    assert "重办 1 次" in resident.locator("main").inner_text()

    # resolved again, and this time satisfied
    unit.goto(f"/casework/reports/{report.pk}/")
    unit.get_by_role("button", name="开始办理").click()
    unit.locator("textarea[name=note]").fill("已更换镇流器，不再闪烁。")
    unit.locator("input[name=photos]").set_input_files(photo(tmp_path, "after2.jpg", "#eedd66"))
    unit.locator("form[action$='/resolve/'] button[type=submit]").click()
    resident.goto(f"/casework/reports/{report.pk}/")
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    report.refresh_from_db()
    assert report.state == "closed" and report.rating_level == 4
    screenshot(resident, "casework-report-closed-375")
    assert Axe().run(resident).violations_count == 0

    # the public board (no account) shows it closed and reopened once, and never names the reporter
    page.goto(f"/areas/990102001001/casework/?cell={report.cell.code}")
    card = page.locator(".case-card", has_text="柳岸小区 5 栋东侧路灯")
    assert "已结案" in card.inner_text() and "重办 1 次" in card.inner_text()
    page.goto(f"/casework/reports/{report.pk}/")
    assert "王秀英" not in page.locator("main").inner_text()
    steps = page.locator(".timeline").inner_text()
    assert steps.count("办结") >= 2 and "评价不满意，重办" in steps
    assert Axe().run(page).violations_count == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/areas/990102/casework/")
    screenshot(page, "casework-board-1280")
    assert Axe().run(page).violations_count == 0
    assert not page.console_errors


def test_overdue_with_a_holiday_inside_is_escalated_and_acknowledged(live_asgi, browser, page):
    off_loop(call_command, "seed_demo", quiet_logins=True)
    resident = User.objects.get(email="resident2@yunhe.example")
    grid = User.objects.get(email="grid@yunhe.example")
    from casework.selectors import category_in
    from civic.models import Area

    cell = Area.objects.get(code="990102001001002")
    # the next working day becomes a holiday (a correction officials enter in the calendar)
    day = timezone.localdate() + timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    CalendarDay.objects.create(date=day, is_workday=False, note="测试：临时调休")
    bump_calendar()

    def file_and_dispatch():
        report = services.report_file(
            actor=resident, cell=cell, category=category_in(cell, "drain"), place="柳岸小区 9 栋后", text="下水道返水。"
        )
        services.report_accept(actor=grid, report=report)
        return services.report_dispatch(actor=grid, report=report)

    report = off_loop(file_and_dispatch)
    report.refresh_from_db()
    clock = WorkingTime.official()
    assert local(report.accepted_at).date() < day < local(report.handling_due).date()
    without_holiday = WorkingTime(lambda d: d == day or clock.is_workday(d), clock.day_start, clock.day_end)
    assert report.handling_due > without_holiday.add_days(local(report.accepted_at), 2)  # the holiday added a day

    # the tick runs after the limit, and after each grace
    moment = report.handling_due + timedelta(minutes=1)
    assert off_loop(services.flag_overdue_reports, now=moment) >= 1  # the demo's other open reports too
    report.refresh_from_db()
    assert report.handling_overdue_at == moment
    for _level in range(2):
        report.refresh_from_db()
        off_loop(services.escalate_overdue_reports, now=report.next_escalation_at + timedelta(minutes=1))
    levels = list(Escalation.objects.filter(report=report).order_by("level").values_list("level", "area__name"))
    assert levels == [(1, "柳岸社区"), (2, "湖滨街道")]
    # time has passed for the pages too
    Report.objects.filter(pk=report.pk).update(handling_due=timezone.now() - timedelta(hours=1))

    organiser = person(browser, live_asgi, "organiser@yunhe.example", width=1280)
    organiser.goto("/casework/escalations/")
    item = organiser.locator(".queue-item", has_text="柳岸小区 9 栋后").first
    item.locator("input[name=note]").fill("请水务公司今天处理。")
    item.get_by_role("button", name="签收").click()
    assert Escalation.objects.filter(report=report, acknowledged_at__isnull=False).count() == 1
    screenshot(organiser, "casework-escalations-1280")
    assert Axe().run(organiser).violations_count == 0

    page.goto(f"/casework/reports/{report.pk}/")
    text = page.locator("main").inner_text()
    assert "已逾期" in text
    assert "刘芳 已签收" in text
    page.goto("/areas/990102/casework/overdue/")
    assert "柳岸小区 9 栋后" in page.locator("main").inner_text()
