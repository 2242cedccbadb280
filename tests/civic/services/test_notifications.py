import pytest
from django.core import mail
from django.core.management import call_command

from civic import services
from civic.errors import InvalidInput
from civic.models import Notification
from civic.selectors import unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_immediate_notifications_are_emailed_in_the_recipients_language(django_capture_on_commit_callbacks):
    person = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind="verification.decided", title="Hello", body="Body", url="/me/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email] and "Hello" in message.subject
    assert "Open on the platform:" in message.body and "/me/" in message.body
    assert Notification.objects.get().emailed_at is not None


def test_a_mail_server_that_refuses_does_not_fail_the_committed_action(django_capture_on_commit_callbacks, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr("civic.services.notifications.send_mail", refuse)
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind="verification.decided", title="你好")
    notification = Notification.objects.get()
    assert notification.emailed_at is None and unread_count(person) == 1


def test_daily_notifications_wait_for_the_digest(django_capture_on_commit_callbacks):
    person = UserFactory()
    services.notification_preference_set(user=person, kind="role.changed", delivery="daily")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            services.notify(recipient=person, kind="role.changed", title=f"第{i}条")
    assert mail.outbox == []
    call_command("send_digests", stdout=None)
    assert len(mail.outbox) == 1
    assert "3 条新通知" in mail.outbox[0].subject and "第2条" in mail.outbox[0].body
    call_command("send_digests")
    assert len(mail.outbox) == 1  # nothing twice


def test_off_means_inbox_only(django_capture_on_commit_callbacks):
    person = UserFactory()
    services.notification_preference_set(user=person, kind="role.changed", delivery="off")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, kind="role.changed", title="x")
    services.send_digests()
    assert mail.outbox == [] and unread_count(person) == 1


def test_mark_read_only_touches_ones_own(user):
    other = UserFactory()
    mine = services.notify(recipient=user, kind="role.changed", title="a")
    theirs = services.notify(recipient=other, kind="role.changed", title="b")
    assert services.notification_mark_read(user=user, ids=[mine.pk, theirs.pk]) == 1
    assert unread_count(user) == 0 and unread_count(other) == 1


def test_unknown_preferences_are_refused(user):
    with pytest.raises(InvalidInput):
        services.notification_preference_set(user=user, kind="nope", delivery="daily")
    with pytest.raises(InvalidInput):
        services.notification_preference_set(user=user, kind="role.changed", delivery="sms")


def test_a_notification_is_written_in_the_recipients_language_not_the_actors(world):
    """An English-speaking official acts; the Chinese resident reads the news in Chinese (and vice versa)."""
    from django.utils import translation

    from proposals.services import proposal_decline, proposal_follow
    from tests.world import proposal_in

    chinese, english = world["resident"], world["resident_elsewhere"]
    type(chinese).objects.filter(pk=chinese.pk).update(preferred_language="zh-hans")
    type(english).objects.filter(pk=english.pk).update(preferred_language="en")
    chinese.refresh_from_db()
    english.refresh_from_db()
    with translation.override("en"):
        services.area_role_grant(actor=world["admin"], user=chinese, area=world["C1"], role="organiser")
    with translation.override("zh-hans"):
        services.area_role_grant(actor=world["admin"], user=english, area=world["C2"], role="organiser")
    assert Notification.objects.get(recipient=chinese, kind="role.changed").title == "您已成为一社区的社区组织者"
    assert Notification.objects.get(recipient=english, kind="role.changed").title == "You are now organiser of 二社区"

    proposal = proposal_in(world)
    proposal_follow(user=english, proposal=proposal)
    with translation.override("zh-hans"):
        proposal_decline(actor=world["official_here"], proposal=proposal, reason="不在本区职责范围 100%")
    notice = Notification.objects.get(recipient=english, kind="proposal.state")
    assert notice.title == "“测试建议” was declined"
    assert notice.body == "不在本区职责范围 100%"  # what the official typed is kept as typed


def test_the_mail_body_comes_from_its_template_with_links_on_the_configured_site(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://gongzhi.example.cn"
    person = UserFactory(preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=person, kind="verification.decided", title="标题", body="理由 <不转义> & 100%", url="/me/"
        )
    body = mail.outbox[0].body
    assert body.startswith("理由 <不转义> & 100%\n\n在平台上查看： https://gongzhi.example.cn/me/")
    assert body.endswith("https://gongzhi.example.cn/notifications/preferences/")
