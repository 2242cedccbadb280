"""Notifications: inbox, e-mail per the recipient's preferences, digests."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .. import events, pagecache
from ..errors import InvalidInput
from ..models import (
    DeliveryChoice,
    Notification,
    NotificationPreference,
)
from ..net import site_url
from ..registry import NOTIFICATION_KINDS

logger = logging.getLogger(__name__)

User = get_user_model()


def notification_delivery(*, user, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    if pref:
        return pref
    return NOTIFICATION_KINDS.get(kind, (None, DeliveryChoice.IMMEDIATE))[1]


def _mail_after_commit(notification_id: int) -> None:
    """After commit the action has happened: a mail server that refuses is logged, never an error for the
    person who acted. The notification stays in the inbox, with `emailed_at` empty."""
    try:
        _send_notification_mail(notification_id)
    except Exception:
        logger.warning("Could not e-mail notification %s", notification_id, exc_info=True)


def _send_notification_mail(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email or recipient.anonymised_at:
        return
    with translation.override(recipient.preferred_language):
        body = render_to_string(
            "civic/email/notification.txt",
            {
                "body": notification.body.strip(),
                "link": site_url(notification.url),
                "preferences": site_url(reverse("civic:notification-preferences")),
            },
        )
        send_mail(f"[{settings.SITE_NAME}] {notification.title}", body.strip(), None, [recipient.email])
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


def _in_language(text, params) -> str:
    """A lazy translation rendered now (in the active language), its `%(name)s` filled from `params`.

    Plain text (a reason someone typed) is kept as written: a `%` in it is no placeholder.
    """
    if isinstance(text, Promise):
        return str(text) % params if params else str(text)
    return str(text)


def notify(*, recipient, kind: str, title, body="", url: str = "", params: dict | None = None) -> Notification:
    """Tell one person something: in the inbox always, by e-mail as they chose, live if online.

    Pass `title` (and a translated `body`) as lazy translations with their `params`, never as text already
    translated: they are rendered here in the recipient's language, not in the language of whoever acted.
    """
    delivery = notification_delivery(user=recipient, kind=kind)
    with translation.override(recipient.preferred_language):
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=_in_language(title, params)[:200],
            body=_in_language(body, params),
            url=url,
            delivery=delivery,
        )
    if delivery == DeliveryChoice.IMMEDIATE:
        transaction.on_commit(lambda: _mail_after_commit(notification.pk))
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()
    events.publish_to_user(
        recipient.pk,
        events.NOTIFICATION,
        {"id": notification.pk, "title": notification.title, "url": url, "unread": unread},
    )
    return notification


@transaction.atomic
def notification_mark_read(*, user, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    count = queryset.update(read_at=timezone.now())
    pagecache.bump(f"person:{user.pk}")  # the header's unread count (an update sends no signal)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    events.publish_to_user(user.pk, events.NOTIFICATION_READ, {"unread": unread})
    return count


@transaction.atomic
def notification_preference_set(*, user, kind: str, delivery: str) -> NotificationPreference:
    if kind not in NOTIFICATION_KINDS:
        raise InvalidInput("notification_kind_unknown", _("Unknown kind of notification."), field="kind")
    if delivery not in DeliveryChoice.values:
        raise InvalidInput("delivery_unknown", _("Choose e-mail at once, a daily digest, or only on the site."))
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return pref


@transaction.atomic
def notification_preferences_set(*, user, choices: dict[str, str]) -> list[NotificationPreference]:
    """Save a person's choices for several kinds at once: all of them, or none when one is refused."""
    return [notification_preference_set(user=user, kind=kind, delivery=delivery) for kind, delivery in choices.items()]


def send_digests(*, now=None) -> int:
    """E-mail each person their daily-digest notifications not yet e-mailed. Safe to run twice at once:
    rows are claimed under a lock (skipped by a concurrent run) and marked in the same transaction."""
    now = now or timezone.now()
    sent = 0
    recipients = (
        Notification.objects.filter(delivery=DeliveryChoice.DAILY, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in list(recipients):
        with transaction.atomic():
            claimed = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, delivery=DeliveryChoice.DAILY, emailed_at__isnull=True)
                .order_by("created_at")
            )
            if not claimed:
                continue
            recipient = User.objects.get(pk=recipient_id)
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=now)
            if not recipient.is_active or recipient.anonymised_at or not recipient.email:
                continue  # a resident registered in person may have no e-mail: the site shows them all
            with translation.override(recipient.preferred_language):
                subject = _("%(count)s new notifications") % {"count": len(claimed)}
                body = render_to_string(
                    "civic/email/digest.txt",
                    {
                        "items": [{"title": n.title, "link": site_url(n.url)} for n in claimed],
                        "preferences": site_url(reverse("civic:notification-preferences")),
                    },
                )
                send_mail(f"[{settings.SITE_NAME}] {subject}", body.strip(), None, [recipient.email])
            sent += 1
    return sent
