import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from . import events
from .errors import DomainError, http_status
from .selectors import unread_count


def error_reply(error: DomainError) -> dict[str, object]:
    """A consumer's answer to a refused message: the same code, translated message and HTTP status as the
    API would give (civic.errors.http_status), so a client handles both alike."""
    reply: dict[str, object] = {
        "type": "error",
        "code": error.code,
        "status": http_status(error),
        "message": str(error.message),
    }
    if error.field:
        reply["field"] = error.field
    return reply


class NotificationConsumer(AsyncWebsocketConsumer):
    """Pushes a signed-in person's new notifications and unread count while they have a page open.

    Only the person's own group is joined; anonymous connections are closed with code 4401.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            # Accept, then close: a close before the handshake reaches the client as HTTP 403 and the
            # code is lost; the client must see 4401 (docs/api.md).
            await self.accept()
            await self.close(code=4401)
            return
        self.group = events.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        unread = await database_sync_to_async(unread_count)(user)
        await self.send(text_data=json.dumps({"event": "hello", "unread": unread}))

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        # The client only listens; a ping keeps proxies from closing an idle connection.
        if text_data == "ping":
            await self.send(text_data="pong")

    async def civic_event(self, message):
        payload = {key: value for key, value in message.items() if key != "type"}
        await self.send(text_data=json.dumps(payload, ensure_ascii=False))
