import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic import services
from civic.models import AreaRole, Membership, ModerationCase, Organisation, PagePart, ResidencyVerification
from tests.factories import UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_resident_asks_for_verification_step_by_step(client, world):
    login(client, world["unverified"])
    page = client.get("/verification/").content.decode()
    assert "七七市" in page
    page = client.get(f"/verification/?area={world['C1'].code}").content.decode()
    assert "一网格" in page and "二网格" in page
    form = client.get(f"/verification/?area={world['c1a'].code}").content.decode()
    assert 'name="address"' in form
    bad = client.post("/verification/", {"cell": world["c1a"].code, "address": "x"})
    assert bad.status_code == 200 and "请填写住址" in bad.content.decode()
    response = client.post("/verification/", {"cell": world["c1a"].code, "address": "一社区 3 栋 501"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    me = client.get("/me/").content.decode()
    assert "您的申请正在等待审核。" in me


def test_organiser_approves_from_the_queue(client, world):
    v = ResidencyVerification.objects.create(user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501")
    login(client, world["organiser_here"])
    queue = client.get("/verifications/").content.decode()
    assert "一社区 3 栋 501" in queue and "unverified" in queue
    response = client.post(
        f"/verifications/{v.pk}/decide/", {"action": "approve"}, HTTP_REFERER="http://testserver/verifications/"
    )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.status == "approved"
    login(client, world["unverified"])
    assert "已核验居民" in client.get("/me/").content.decode()


def test_reject_without_reason_shows_a_message_and_changes_nothing(client, world):
    v = ResidencyVerification.objects.create(user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501")
    login(client, world["organiser_here"])
    response = client.post(f"/verifications/{v.pk}/decide/", {"action": "reject", "reason": ""}, follow=True)
    assert "请填写理由。" in response.content.decode()
    v.refresh_from_db()
    assert v.status == "pending"


def test_the_queue_is_closed_to_others(client, world):
    assert client.get("/verifications/").status_code == 302  # to the login page
    login(client, world["resident"])
    response = client.get("/verifications/")
    assert response.status_code == 403 and "您没有查看此页面的权限。" in response.content.decode()


def test_proof_is_served_only_to_the_applicant_and_deciders(client, world, private_root):
    from django.core.files.base import ContentFile

    v = ResidencyVerification.objects.create(user=world["unverified"], cell=world["c1a"], address="一社区 3 栋 501")
    v.proof.save("p.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    for role, status in [("unverified", 200), ("organiser_here", 200), ("organiser_elsewhere", 403), ("resident", 403)]:
        response = login(client, world[role]).get(f"/verifications/{v.pk}/proof/")
        assert response.status_code == status, role
        if status == 200:
            assert response["Cache-Control"] == "private, no-store"


def test_register_an_organisation_through_the_form(client, world):
    login(client, world["resident"])
    bad = client.post(
        "/organisations/new/",
        {"name": "协会", "kind": "enterprise", "credit_code": "91350100M000100Y44", "areas": [world["C1"].pk]},
    )
    assert "校验位不正确" in bad.content.decode()
    response = client.post(
        "/organisations/new/",
        {
            "name": "一社区老年协会",
            "kind": "social",
            "credit_code": valid_credit_code(9, "52"),
            "areas": [world["C1"].pk],
        },
    )
    org = Organisation.objects.get(name="一社区老年协会")
    assert response["Location"] == f"/organisations/{org.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "等待政府工作人员确认" in page and "一社区老年协会 在平台登记" in page
    login(client, world["official_here"])
    assert "确认该组织" in client.get(f"/organisations/{org.pk}/").content.decode()
    client.post(f"/organisations/{org.pk}/confirm/")
    assert Organisation.objects.get(pk=org.pk).confirmed_at


def test_members_page_invites_and_answers(client, world):
    org = world.organisation
    login(client, world["representative"])
    page = client.post(f"/organisations/{org.pk}/members/", {"email": "nobody@example.org", "role": "member"})
    assert "平台上没有使用该邮箱注册的用户。" in page.content.decode()
    client.post(f"/organisations/{org.pk}/members/", {"email": world["resident"].email, "role": "member"})
    login(client, world["resident"])
    me = client.get("/me/").content.decode()
    assert "一社区服务中心 邀请您以成员身份加入。" in me
    invitation = org.requests.get()
    client.post(f"/organisation-requests/{invitation.pk}/", {"action": "accept"})
    assert Membership.objects.filter(organisation=org, user=world["resident"]).exists()


def test_roles_page_for_officials(client, world):
    login(client, world["official_here"])
    response = client.post(
        f"/areas/{world['C1'].code}/roles/", {"grant": "1", "email": world["resident"].email, "role": "organiser"}
    )
    assert response.status_code == 302
    role = AreaRole.objects.get(user=world["resident"])
    client.post(f"/roles/{role.pk}/revoke/", {"reason": "换届"})
    assert not AreaRole.objects.filter(pk=role.pk).exists()
    login(client, world["official_elsewhere"])
    assert client.get(f"/areas/{world['C1'].code}/roles/").status_code == 403


def test_report_and_moderate_through_pages(client, world, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 5
    org = world.organisation
    org.confirmed_at = org.created_at
    org.save()
    login(client, world["resident"])
    assert client.get(f"/report/civic.area/{world['C1'].pk}/").status_code == 404
    form = client.post(f"/report/civic.organisation/{org.pk}/", {"reason": "other", "text": ""})
    assert "请描述具体问题。" in form.content.decode()
    client.post(f"/report/civic.organisation/{org.pk}/", {"reason": "spam"})
    case = ModerationCase.objects.get()
    login(client, world["moderator_here"])
    assert org.name in client.get("/moderation/").content.decode()
    client.post(f"/moderation/{case.pk}/", {"decision": "hide", "reason": "广告"})
    assert Organisation.objects.get(pk=org.pk).is_hidden
    login(client, world["resident"])
    assert client.get(f"/organisations/{org.pk}/").status_code == 404


def test_notifications_inbox_and_header_count(client, world):
    person = world["resident"]
    n = services.notify(recipient=person, kind="role.changed", title="您已成为组织者", url="/me/")
    login(client, person)
    home = client.get("/").content.decode()
    assert "data-unread-count>1<" in home
    assert "您已成为组织者" in client.get("/notifications/").content.decode()
    response = client.get(f"/notifications/{n.pk}/")
    assert response["Location"] == "/me/"
    assert "data-unread-count hidden>0<" in client.get("/").content.decode()


def test_preferences_page_saves_choices(client, user):
    login(client, user)
    page = client.get("/notifications/preferences/").content.decode()
    assert "角色的授予和撤销" in page
    from civic.registry import NOTIFICATION_KINDS

    client.post("/notifications/preferences/", {key.replace(".", "__"): "off" for key in NOTIFICATION_KINDS})
    assert user.notification_preferences.filter(delivery="off").count() == len(NOTIFICATION_KINDS)


def test_close_account_page(client, user):
    login(client, user)
    client.post("/me/close/", {})
    user.refresh_from_db()
    assert user.is_active
    client.post("/me/close/", {"confirm": "yes"})
    user.refresh_from_db()
    assert not user.is_active and user.anonymised_at


def test_audit_page_filters(client, world):
    services.audit_record(actor=world["resident"], action="verification.approved", area=world["C1"])
    login(client, world["official_here"])
    page = client.get("/audit/", {"action": "verification"}).content.decode()
    assert "verification.approved" in page
    assert "没有使用该代码的区域" in client.get("/audit/", {"area": "nope"}).content.decode()


def test_public_profile_and_area_page(client, world):
    html = client.get(f"/people/{world['resident'].pk}/").content.decode()
    assert "已核验居民" in html
    html = client.get(f"/areas/{world['C1'].code}/").content.decode()
    assert "organiser_here" in html and "一社区服务中心" not in html  # unconfirmed organisations are not listed


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/organisations/", None),
        ("/verifications/", "organiser_here"),
        ("/audit/", "official_city"),
        ("/notifications/", "resident"),
        ("/moderation/", "moderator_here"),
        ("/me/", "resident"),
    ],
)
def test_page_queries_do_not_grow_with_rows(client, world, url, who):
    if who:
        login(client, world[who])

    def grow(n):
        for i in range(n):
            person = UserFactory()
            org = Organisation.objects.create(
                name=f"组织{person.pk}", kind="residents_group", confirmed_at=person.date_joined
            )
            org.areas.set([world["C1"], world["S1"]])
            Membership.objects.create(organisation=org, user=world["resident"])
            ResidencyVerification.objects.create(user=person, cell=world["c1b"], address="某路 1 号")
            services.audit_record(actor=person, action="grow", area=world["C1"], obj=org)
            services.notify(recipient=world["resident"], kind="role.changed", title=f"t{i}")
            services.content_report(reporter=person, obj=org, reason="spam")

    grow(2)
    PagePart.objects.all().delete()  # both readings compute everything, nothing kept (civic.pagecache)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(8)
    PagePart.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]
