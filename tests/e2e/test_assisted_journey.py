"""Assisted participation (代办) on a phone-sized screen: an organiser registers a resident who has no e-mail,
votes with her in a secret ballot (her receipt proves it was counted), co-signs and rates for her; she later
claims her account with the code handed over and sees everything done in her name."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import services as ballot_services
from deliberation.models import BallotBox, Participation
from funding.models import SatisfactionRating
from proposals.models import Endorsement
from tests.deliberation.conftest import pb  # noqa: F401  (the open participatory budget of 一街道)
from tests.e2e.conftest import off_loop, screenshot
from tests.factories import PASSWORD
from tests.funding.conftest import adopted, fworld, project  # noqa: F401
from tests.funding.services.test_projects import accept

pytestmark = pytest.mark.browser

NEW_PASSWORD = "liu-an-xiao-qu-2026"


def _log_in(page, login, password):
    page.goto("/accounts/login/")
    page.get_by_label("电子邮件或手机号").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def test_an_organiser_takes_part_with_a_resident_who_has_no_e_mail(page, fworld, project, pb, make_proposal):  # noqa: F811
    w = fworld
    off_loop(accept, w, project)  # the finished project can be rated now
    proposal = off_loop(make_proposal, title="柳岸小区增设休息座椅")
    organiser = w["organiser_here"]

    # register her in person
    _log_in(page, organiser.email, PASSWORD)
    page.goto("/assisted/")
    page.get_by_role("link", name="当面登记居民").click()
    page.get_by_label("姓名").fill("王秀兰")
    page.get_by_label("所在网格（当面核验）").select_option(label="一社区 · 一网格")
    page.get_by_label("住址").fill("柳岸小区 3 栋 2 单元 501")
    page.get_by_label("身份证号后四位").fill("123x")
    page.get_by_label("手机号（选填）").fill("138 0013 8000")
    page.get_by_role("button", name="登记并核验").click()
    assert "须经居民本人当面同意登记和代办。" in page.locator("main").inner_text()  # nothing written yet
    screenshot(page, "assisted-register-refused-375")
    page.get_by_label(re.compile("居民本人当面同意")).check()
    page.get_by_role("button", name="登记并核验").click()
    page.wait_for_url(re.compile(r"/assisted/\d+/$"))
    assert "123X" in page.locator("main").inner_text()
    screenshot(page, "assisted-resident-375")

    # act for her: co-sign
    page.goto("/assisted/")
    assert "王秀兰" in page.locator("main").inner_text()
    screenshot(page, "assisted-list-375")
    page.get_by_role("button", name="为王秀兰代办").click()
    page.goto(proposal.get_absolute_url())
    banner = page.get_by_role("region", name="代办")
    assert "正在为 王秀兰 代办" in banner.inner_text()
    screenshot(page, "assisted-acting-375")
    page.get_by_role("button", name="为王秀兰联署").click()
    assert "已为王秀兰联署。" in page.locator(".messages").inner_text()
    endorsement = Endorsement.objects.get(proposal=proposal)
    assert (endorsement.user.display_name, endorsement.channel) == ("王秀兰", "assisted")

    # vote with her in the secret ballot, behind the privacy step
    page.goto(pb.get_absolute_url())
    assert page.get_by_role("heading", name="请将设备交给居民本人").is_visible()
    screenshot(page, "assisted-privacy-375")
    page.get_by_role("link", name="我是王秀兰：开始投票").click()
    page.get_by_label(re.compile("丙项目")).check()
    page.get_by_role("button", name="核对我的选票").click()
    page.get_by_role("button", name="投出选票").click()
    code = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert "丙项目" not in page.locator("main").inner_text()
    screenshot(page, "assisted-receipt-375")
    page.goto(pb.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "王秀兰已投票。" in main and "丙项目" not in main  # the staff member's pages never show the choice

    # rate the finished project for her
    page.goto(project.get_absolute_url())
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交王秀兰的评价").click()
    assert SatisfactionRating.objects.get(project=project).assisted_by == organiser

    # hand over a claim code, stop acting
    person = endorsement.user
    page.goto(f"/assisted/{person.pk}/")
    page.get_by_role("button", name="发放认领码").click()
    claim_code = page.locator("[data-claim-code]").inner_text().strip()
    screenshot(page, "assisted-claim-code-375")
    page.get_by_role("button", name="结束代办").click()
    assert page.get_by_role("region", name="代办").count() == 0
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="退出").click()

    # the vote closes and is counted; her receipt proves her ballot was counted
    BallotBox.objects.filter(pk=pb.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    off_loop(ballot_services.box_tally, box=pb)
    page.goto("/ballots/receipt/")
    page.get_by_label("回执码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert "它已计入公布的结果" in page.locator("main").inner_text()
    assert Participation.objects.get(box=pb, user=person).channel == "assisted"

    # she claims her account and sees what was done in her name
    page.goto("/claim/")
    screenshot(page, "assisted-claim-page-375")
    page.get_by_label("认领码").fill(claim_code.lower())
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="认领我的账号").click()
    page.wait_for_url(re.compile(r"/me/assisted/$"))
    history = page.locator("table.assisted-acts").inner_text()
    for line in ("当面登记", "联署建议", "投票（所选内容保密）", "评价项目", "发放认领码", "认领账号"):
        assert line in history
    assert f"代办：{organiser.public_name}" in history
    screenshot(page, "assisted-history-375")

    # and signs in again with her mobile number
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="退出").click()
    page.goto("/accounts/login/")
    screenshot(page, "assisted-login-375")
    _log_in(page, "13800138000", NEW_PASSWORD)
    page.goto("/me/")
    assert "王秀兰" in page.locator("h1").inner_text()
    # the one refused form (no consent yet) answered 400, as it should; nothing else went wrong
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    assert len(page.console_errors) == 1
