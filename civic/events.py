"""Events the civic core publishes over WebSockets, sent only after the transaction commits."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

NOTIFICATION = "notification.new"
NOTIFICATION_READ = "notification.read"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def publish_to_user(user_id: int, event: str, payload: dict) -> None:
    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "civic.event", "event": event, **payload})

    transaction.on_commit(send)
