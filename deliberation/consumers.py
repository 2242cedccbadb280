"""The live session over WebSockets (docs/live-protocol.md).

A client connects to ws/sessions/<id>/, sends {"type": "hello", "last_seq": N} and receives either the
events it missed or a snapshot; then events as they happen, each with the session's sequence number.
Commands go the same way ({"type": "command", "command": {...}, "expected_seq": N}); the server owns
the clock: a speech carries its start time and limit, and the page draws the countdown.

When the channel layer cannot be reached (Redis down) the socket is still accepted and serves the record
(civic.consumers.DegradableConsumer): the client is told {"type": "status", "live": false}, asks with
`hello` for what it missed, and reconnects until live events flow again.

The server also ends a speech at its limit without anyone pressing anything: while a process has session
screens connected it runs one DeadlineLoop, which ends the speeches that are due in every session
(services.speeches_time_up) and publishes their `speech_ended` like any command's events.
"""

import asyncio
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from civic.consumers import DegradableConsumer, error_reply
from civic.errors import DomainError, InvalidInput, NotAllowed

from . import commands, selectors, services
from .models import Session

logger = logging.getLogger(__name__)


class DeadlineLoop:
    """The server's clock in one WebSocket server process: an asyncio task that sleeps until the next
    speech's limit (or at most POLL seconds, to see deadlines set by other processes), then ends the
    speeches that are due. Processes claim each due deadline with `select_for_update(skip_locked=True)`,
    so with several of them every speech ends once, by whichever comes first; `manage.py tick` does the
    same when no process runs. It starts with the first session screen of the process and stops after
    the last one leaves, and keeps going when the database or the channel layer fails (logged)."""

    POLL = 0.25  # seconds

    def __init__(self) -> None:
        self.screens = 0
        self.task: asyncio.Task | None = None

    def screen_joined(self) -> None:
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.screens = 0  # a task of another event loop (a test's) is gone with it
            self.task = loop.create_task(self.run())
        self.screens += 1

    def screen_left(self) -> None:
        self.screens = max(0, self.screens - 1)

    async def run(self) -> None:
        while self.screens > 0:
            try:
                due = await database_sync_to_async(self.step)()
            except Exception:
                logger.warning("The deadline loop could not end the speeches that are due", exc_info=True)
                due = None
            wait = self.POLL if due is None else min(self.POLL, max(0.01, due - time.time()))
            await asyncio.sleep(wait)

    @staticmethod
    def step() -> float | None:
        """End the speeches that are due; the next deadline (server time in seconds), or None."""
        services.speeches_time_up()
        return selectors.next_speech_deadline()


deadlines = DeadlineLoop()


def _malformed() -> InvalidInput:
    return InvalidInput("command_invalid", _("This command is not valid."))


class SessionConsumer(DegradableConsumer, AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.session_id = int(self.scope["url_route"]["kwargs"]["pk"])
        allowed = await database_sync_to_async(self._may_watch)()
        if not allowed:
            # Accept, then close: a close before the handshake reaches the client as HTTP 403 and the
            # code is lost; the client must see 4403 (docs/live-protocol.md).
            await self.accept()
            await self.close(code=4403)
            return
        await self.join_group(services.session_group(self.session_id))
        await self.accept()
        deadlines.screen_joined()
        self.watching = True
        if not self.live:
            await self.send_json({"type": "status", "live": False})

    def _may_watch(self) -> bool:
        session = Session.objects.select_related("council__area").filter(pk=self.session_id).first()
        return session is not None and self._user().has_perm("deliberation.watch_session", session)

    def _user(self):
        return self.scope.get("user") or AnonymousUser()

    async def disconnect(self, code):
        if getattr(self, "watching", False):
            self.watching = False
            deadlines.screen_left()
        await self.leave_group()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # A message that is not JSON gets an error reply; the connection stays open.
        try:
            content = json.loads(text_data or bytes_data or "")
        except (TypeError, ValueError):
            await self.send_json(error_reply(_malformed()))
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hello":
            if not self.live and self.channel_layer is not None and await self.join_group(self.group):
                await self.send_json({"type": "status", "live": True})
            last = content.get("last_seq")
            missed = await database_sync_to_async(self._missed)(last) if isinstance(last, int) else None
            if missed is None:
                await self.send_json({"type": "snapshot", "state": await database_sync_to_async(self._snapshot)()})
            else:
                await self.send_json({"type": "events", "events": missed})
        elif kind == "snapshot":
            await self.send_json({"type": "snapshot", "state": await database_sync_to_async(self._snapshot)()})
        elif kind == "command":
            reply = await database_sync_to_async(self._command)(content.get("command"), content.get("expected_seq"))
            await self.send_json(reply)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json(error_reply(_malformed()))

    def _session(self) -> Session:
        return Session.objects.select_related("council__area").get(pk=self.session_id)

    def _snapshot(self) -> dict:
        return selectors.session_snapshot(self._session(), self._user())

    def _missed(self, last_seq: int):
        return selectors.events_since(self._session(), last_seq)

    def _command(self, command: object, expected_seq: object) -> dict:
        user = self._user()
        try:
            if not user.is_authenticated:
                raise NotAllowed("not_authenticated", _("Log in first."))
            events = services.session_command(
                user=user,
                session=Session(pk=self.session_id),  # the service reads it under its lock: no read before
                command=command,
                expected_seq=commands.parse_expected_seq(expected_seq),
            )
        except DomainError as error:
            return error_reply(error)
        return {"type": "ok", "seq": events[-1]["seq"] if events else None}

    async def dispatch(self, message):
        # Broadcasts touch no database: skip Channels' hop to a thread to close old connections, which
        # otherwise runs before every message and dominates when a session has many screens.
        if message.get("type") == "session.events":
            await self.session_events(message)
            return
        await super().dispatch(message)

    async def session_events(self, message):
        # The services encode a session's events once for all its screens ("text"); a message built
        # elsewhere with the events themselves is encoded here.
        text = message.get("text")
        if text is None:
            content = {"type": "events", "events": message["events"], "state": message.get("state")}
            text = await self.encode_json(content)
        await self.send(text_data=text)
