"""The civic core's lists on the exact page cache (civic.pagecache, civic.pages): the areas, the register of
organisations and an organisation's page, an area's notice board and a person's public page show every write
at once, stay kept while nothing they show changes, and never serve a hidden thing to a visitor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civic import pagecache
from civic.models import AreaLevel, Membership, ResidencyVerification
from civic.services import (
    area_create,
    content_report,
    moderation_decide,
    notice_publish,
    organisation_confirm,
    organisation_request_decide,
    organisation_request_join,
    verification_revoke,
)
from tests.factories import UserFactory
from tests.pages import page_queries, page_text
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db

ORGANISATIONS = reverse("civic:organisation-list")


def _notice(world, area="C1", title="三号楼道灯更换完成公告", days_ago=1):
    return notice_publish(
        actor=fresh(world["official_here"]),
        area=world[area],
        kind="other",
        title=title,
        body="经社区议事会决定，已更换 3 号楼楼道灯。",
        decided_at=timezone.now() - timedelta(days=days_ago),
    )


def test_each_page_read_twice_without_a_write_is_kept(client, world):
    organisation_confirm(actor=fresh(world["official_here"]), organisation=world.organisation)
    for url in [
        reverse("civic:area-list"),
        ORGANISATIONS,
        world.organisation.get_absolute_url(),
        reverse("civic:notice-list", args=[world["D1"].code]),
        reverse("civic:person-detail", args=[world["member"].pk]),
    ]:
        first = page_queries(client, url)
        assert page_queries(client, url) < first, url
        assert page_queries(client, url) == 1, url  # a visitor's kept page: one query for versions and page


def test_the_areas_list_shows_a_new_city_at_once(client, world):
    url = reverse("civic:area-list")
    assert "七八市" not in page_text(client, url)
    area_create(code="78", name="七八市", level=AreaLevel.CITY)
    assert "七八市" in page_text(client, url)


def test_the_register_shows_a_confirmation_a_new_member_and_a_hidden_organisation_at_once(client, world):
    org = world.organisation
    assert "一社区服务中心" not in page_text(client, ORGANISATIONS)  # not confirmed yet
    organisation_confirm(actor=fresh(world["official_here"]), organisation=org)
    body = page_text(client, ORGANISATIONS)
    assert "一社区服务中心" in body and "2 名成员" in body
    assert "一社区服务中心" in page_text(client, ORGANISATIONS, area=world["C1"].code)
    kept = page_queries(client, ORGANISATIONS)

    _notice(world)  # a write elsewhere leaves the register kept
    assert page_queries(client, ORGANISATIONS) == kept

    request = organisation_request_join(user=fresh(world["resident"]), organisation=org)
    organisation_request_decide(actor=fresh(world["representative"]), request=request, accept=True)
    assert "3 名成员" in page_text(client, ORGANISATIONS)

    case = content_report(reporter=fresh(world["resident_elsewhere"]), obj=org, reason="spam", text="广告").case
    moderation_decide(actor=fresh(world["moderator_here"]), case=case, hide=True, reason="冒用名义")
    assert "一社区服务中心" not in page_text(client, ORGANISATIONS)


def test_an_organisations_page_shows_its_members_and_deeds_and_goes_when_hidden(client, world):
    org = world.organisation
    url = org.get_absolute_url()
    assert "等待政府工作人员确认" in page_text(client, url)
    organisation_confirm(actor=fresh(world["official_here"]), organisation=org)
    body = page_text(client, url)
    assert "badge-ok" in body and "<dd>2</dd>" in body
    Membership.objects.create(organisation=org, user=UserFactory(), role="member")
    assert "<dd>3</dd>" in page_text(client, url)
    world["representative"].display_name = "改名的负责人"
    world["representative"].save()
    assert "改名的负责人" in page_text(client, url)

    client.force_login(world["resident"])
    body = page_text(client, url)  # the shared parts, and their own button
    assert "改名的负责人" in body and "csrfmiddlewaretoken" in body
    client.logout()
    case = content_report(reporter=fresh(world["resident_elsewhere"]), obj=org, reason="spam", text="广告").case
    moderation_decide(actor=fresh(world["moderator_here"]), case=case, hide=True, reason="冒用名义")
    assert client.get(url).status_code == 404  # the kept page is not served once it is hidden
    client.force_login(world["representative"])
    assert client.get(url).status_code == 200  # its representatives still see it, never kept for others
    client.logout()
    assert client.get(url).status_code == 404


def test_a_notice_is_on_its_areas_board_and_every_board_above_at_once(client, world):
    boards = {key: reverse("civic:notice-list", args=[world[key].code]) for key in ("city", "D1", "S1", "C1", "D2")}
    for url in boards.values():
        page_text(client, url)
    kept_elsewhere = page_queries(client, boards["D2"])
    _notice(world)
    for key in ("city", "D1", "S1", "C1"):
        assert "三号楼道灯更换完成公告" in page_text(client, boards[key]), key
    assert "三号楼道灯更换完成公告" not in page_text(client, boards["D2"])
    assert page_queries(client, boards["D2"]) == kept_elsewhere  # another district's board stays kept


def test_an_officials_waiting_decisions_are_theirs_and_the_board_is_shared(client, world):
    url = reverse("civic:notice-list", args=[world["D1"].code])
    page_text(client, url)
    client.force_login(world["official_here"])
    body = page_text(client, url)
    assert 'id="waiting"' in body and reverse("civic:notice-new", args=[world["D1"].code]) in body
    client.logout()
    body = page_text(client, url)
    assert 'id="waiting"' not in body and reverse("civic:notice-new", args=[world["D1"].code]) not in body


def test_the_board_costs_the_same_queries_whatever_the_number_of_notices(client, world):
    url = reverse("civic:notice-list", args=[world["D1"].code])

    def rendered():
        pagecache.bump("notices:7701")  # a rendering, not the kept page
        return page_queries(client, url)

    _notice(world)
    rendered()  # warms the working-day calendar (kept per process)
    few = rendered()
    for i in range(30):
        _notice(world, title=f"第{i}号公告")
    assert rendered() == few
    assert "下一页" in page_text(client, url)


def test_a_new_deadline_rule_is_shown_at_once(client, world):
    from tests.civic.notices import make_policy

    url = reverse("civic:notice-list", args=[world["D1"].code])
    _notice(world, days_ago=30)  # late by the default rule of 5 working days
    assert "badge-late" in page_text(client, url) and "badge-ok" not in page_text(client, url)
    make_policy(world, answer_days=60)  # the district's policy allows 60 working days
    body = page_text(client, url)
    assert "badge-ok" in body and "badge-late" not in body


def test_a_persons_page_shows_an_organisation_and_verification_and_goes_when_hidden(client, world):
    person = world["unverified"]
    url = reverse("civic:person-detail", args=[person.pk])
    assert "已核验居民" not in page_text(client, url)
    verification = verify(person, world["c1a"])
    assert "已核验居民" in page_text(client, url)
    Membership.objects.create(organisation=world.organisation, user=person, role="member")
    organisation_confirm(actor=fresh(world["official_here"]), organisation=world.organisation)
    assert "一社区服务中心" in page_text(client, url)
    verification_revoke(verification=verification, actor=fresh(world["official_here"]), reason="已搬离本社区")
    assert "已核验居民" not in page_text(client, url)

    case = content_report(reporter=fresh(world["resident"]), obj=fresh(person), reason="spam", text="广告").case
    moderation_decide(actor=fresh(world["admin"]), case=case, hide=True, reason="冒用他人身份")
    assert client.get(url).status_code == 404


def test_a_verification_running_out_is_shown_without_a_write(client, world, monkeypatch):
    person = world["unverified"]
    url = reverse("civic:person-detail", args=[person.pk])
    soon = timezone.now() + timedelta(seconds=30)
    verification = verify(person, world["c1a"])
    ResidencyVerification.objects.filter(pk=verification.pk).update(expires_at=soon)
    pagecache.bump(f"profile:{person.pk}")  # the line above stands for a verification granted 30 seconds ago
    assert "已核验居民" in page_text(client, url)
    assert page_queries(client, url) == 1
    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(pagecache.time, "time", lambda: later.timestamp())
    assert "已核验居民" not in page_text(client, url)


def test_the_register_costs_the_same_queries_whatever_the_number_of_organisations(client, world):
    from civic.models import Organisation

    def rendered():
        pagecache.bump("organisations")  # a rendering, not the kept page
        return page_queries(client, ORGANISATIONS)

    organisation_confirm(actor=fresh(world["official_here"]), organisation=world.organisation)
    few = rendered()
    for i in range(25):
        made = Organisation.objects.create(name=f"第{i}居民小组", kind="residents_group", confirmed_at=timezone.now())
        made.areas.set([world["C1"], world["S1"]])
        Membership.objects.create(organisation=made, user=UserFactory(), role="representative")
    assert rendered() == few
    assert "下一页" in page_text(client, ORGANISATIONS)


def test_a_correction_marks_the_notice_it_corrects_at_once(client, world):
    url = reverse("civic:notice-list", args=[world["S1"].code])
    old = _notice(world)
    assert "已更正" not in page_text(client, url)
    notice_publish(
        actor=fresh(world["official_here"]),
        area=world["C1"],
        kind="other",
        title="更正：三号楼道灯更换完成公告",
        body="更换的是 3 号楼东单元的楼道灯。",
        decided_at=old.decided_at,
        corrects=old,
    )
    body = page_text(client, url)
    assert "已更正" in body and "更正：三号楼道灯更换完成公告" in body
