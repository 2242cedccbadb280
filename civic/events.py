"""Events published over WebSockets, sent only after the transaction commits.

Publishing is fan-out, not the record: what happened is already committed when an event is sent, and a
screen that missed it catches up from the record (a session's numbered events, the unread count). So a
channel layer that cannot be reached (Redis down) is logged and never turns a committed action into an
error for the person who did it.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

NOTIFICATION = "notification.new"
NOTIFICATION_READ = "notification.read"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def group_send(group: str, message: dict) -> bool:
    """Send `message` to `group` through the channel layer from synchronous code; False if it could not be
    sent (no layer, or the layer failed), after logging why. Never raises: callers run after commit."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return False
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.warning("Could not publish to %s; screens will catch up from the record", group, exc_info=True)
        return False
    return True


def publish_to_user(user_id: int, event: str, payload: dict) -> None:
    def send():
        group_send(user_group(user_id), {"type": "civic.event", "event": event, **payload})

    transaction.on_commit(send)
