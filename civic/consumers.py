import functools
import json
import logging

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch

from . import events
from .errors import DomainError, http_status
from .selectors import unread_count

logger = logging.getLogger(__name__)


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


class DegradableConsumer:
    """For a consumer that must keep serving when the channel layer cannot be reached (Redis down).

    Channels asks the layer for the consumer's channel before the handshake; with Redis down that raised
    and the connection was refused with a 500. Here the socket is accepted all the same, without the layer:
    it serves what the record holds (a snapshot, the events since a sequence number, the unread count) but
    hears no broadcasts, and the consumer tells its client so (`live` false), which then shows
    "reconnecting…", asks for what it missed from time to time and reconnects until the layer is back.
    Put it before the Channels consumer class in the bases."""

    live = False

    async def __call__(self, scope, receive, send):
        # AsyncConsumer.__call__, except that a layer that fails to give a channel leaves the consumer
        # without a layer instead of failing the connection.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        if self.channel_layer is not None:
            try:
                self.channel_name = await self.channel_layer.new_channel()
            except Exception:
                logger.warning("Channel layer unreachable; serving a socket without live events", exc_info=True)
                self.channel_layer = None
            else:
                self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
        self.base_send = send
        try:
            if self.channel_layer is not None:
                await await_many_dispatch([receive, self.channel_receive], self.dispatch)
            else:
                await await_many_dispatch([receive], self.dispatch)
        except StopConsumer:
            pass

    async def join_group(self, group: str) -> bool:
        """Join `group` for its broadcasts; False (logged) when the layer is missing or unreachable."""
        self.group = group
        if self.channel_layer is None:
            self.live = False
            return False
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except Exception:
            logger.warning("Could not join %s; serving without live events", group, exc_info=True)
            self.live = False
            return False
        self.live = True
        return True

    async def leave_group(self) -> None:
        if self.channel_layer is None or not hasattr(self, "group"):
            return
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        except Exception:
            logger.warning("Could not leave %s", self.group, exc_info=True)


class NotificationConsumer(DegradableConsumer, AsyncWebsocketConsumer):
    """Pushes a signed-in person's new notifications and unread count while they have a page open.

    Only the person's own group is joined; anonymous connections are closed with code 4401. The `hello`
    carries `live`: false when the channel layer cannot be reached (DegradableConsumer); the client then
    sends "sync" from time to time for the unread count and reconnects until `live` is true.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            # Accept, then close: a close before the handshake reaches the client as HTTP 403 and the
            # code is lost; the client must see 4401 (docs/api.md).
            await self.accept()
            await self.close(code=4401)
            return
        await self.join_group(events.user_group(user.pk))
        await self.accept()
        await self._send_count("hello")

    async def _send_count(self, event: str) -> None:
        unread = await database_sync_to_async(unread_count)(self.scope["user"])
        await self.send(text_data=json.dumps({"event": event, "unread": unread, "live": self.live}))

    async def disconnect(self, code):
        await self.leave_group()

    async def receive(self, text_data=None, bytes_data=None):
        # The client mostly listens; a ping keeps proxies from closing an idle connection, and "sync" asks
        # for the unread count again (what a screen without live events does from time to time).
        if text_data == "ping":
            await self.send(text_data="pong")
        elif text_data == "sync":
            await self._send_count("sync")

    async def civic_event(self, message):
        payload = {key: value for key, value in message.items() if key != "type"}
        await self.send(text_data=json.dumps(payload, ensure_ascii=False))
