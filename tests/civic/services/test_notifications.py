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
