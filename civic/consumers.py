import asyncio
import contextlib
import json
import logging
from collections import deque

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

from . import events, fanout
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
    """For a consumer that must keep serving when the channel layer cannot be reached (Redis down), and
    that hears its group's broadcasts through the process's hub (civic.fanout).

    Channels asks the layer for the consumer's channel before the handshake; with Redis down that raised
    and the connection was refused with a 500. Here the socket is accepted all the same, without the layer:
    it serves what the record holds (a snapshot, the events since a sequence number, the unread count) but
    hears no broadcasts, and the consumer tells its client so (`live` false), which then shows
    "reconnecting…", asks for what it missed from time to time and reconnects until the layer is back.

    The consumer has no channel of its own: `join_group` makes it a member of the group's hub in this
    process, which joins the layer's group once for all the process's screens and hands each broadcast to
    `deliver`. The client's messages and the broadcasts go through one inbox, handled in order by the
    consumer's own loop (Channels' `dispatch`), so a screen's messages stay in order and a slow screen
    holds up only itself. Put it before the Channels consumer class in the bases."""

    live = False
    hub: fanout.Hub | None = None

    async def __call__(self, scope, receive, send):
        # AsyncConsumer.__call__, except that the layer gives no channel (the hub has one) and the
        # broadcasts arrive through `deliver` instead of the layer's receive.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        self.inbox: deque[dict] = deque()
        self.wakeup: asyncio.Future | None = None
        loop = asyncio.get_running_loop()
        reader = loop.create_task(self._read(receive))
        reader.add_done_callback(lambda _task: self._wake())
        try:
            while True:
                while self.inbox:
                    await self.dispatch(self.inbox.popleft())
                if reader.done():
                    reader.result()  # the client's side failed: raise what it raised
                    break
                self.wakeup = loop.create_future()
                await self.wakeup
        except StopConsumer:
            pass
        finally:
            reader.cancel()
            await self.leave_group()  # also when the consumer stops without its disconnect handler
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def _read(self, receive) -> None:
        while True:
            self.deliver(await receive())

    def deliver(self, message: dict) -> None:
        """Queue a message (the client's, or a broadcast from the hub) for this consumer's loop."""
        self.inbox.append(message)
        self._wake()

    def _wake(self) -> None:
        if self.wakeup is not None and not self.wakeup.done():
            self.wakeup.set_result(None)

    async def join_group(self, group: str) -> bool:
        """Join `group` for its broadcasts; False (logged) when the layer is missing or unreachable."""
        self.group = group
        if self.hub is None and self.channel_layer is not None:
            self.hub = await fanout.join(self, self.channel_layer, group)
        self.live = self.hub is not None
        return self.live

    async def leave_group(self) -> None:
        hub, self.hub = self.hub, None
        if hub is not None:
            await hub.leave(self)


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
