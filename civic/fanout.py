"""One channel-layer subscription per process for each live group, shared by the process's screens.

A session watched by 1,000 screens over two uvicorn processes used to have 1,000 members in its group:
each broadcast was taken off the layer, decoded and dispatched once per screen (with the pub/sub layer,
one Redis message per process, then one queue, one msgpack decode and one wake-up of Channels' dispatch
loop per screen; with the classic layer, one Redis write and read per screen as well). Here a `Hub` per
group and process joins the group once, with a channel of its own, receives each broadcast once and
hands the decoded message, its text already encoded by the publisher, to each local member
(`member.deliver(message)`: an append to the member's inbox, which the member's own loop sends on, so a
slow screen holds up only itself; civic.consumers.DegradableConsumer).

Neither Channels nor channels-redis offers this: their groups are groups of channels, one per consumer,
and the pub/sub layer's per-process subscription still queues and decodes a copy per channel.

- The first member of a group in a process creates its hub, which gets its channel and joins the group;
  members that arrive while it does wait for the same join. A join that fails is logged and answered
  False (the member is served without live events) and the hub is forgotten, so the next join tries the
  layer again. A member joining a hub that already listens checks that the layer still answers (one
  message to the hub's own channel; concurrent joins share it), so a socket opened while the layer is
  down is still told it is not live.
- The last member to leave ends the hub: it stops listening and leaves the group.
- Layers that expire group membership (`group_expiry`: the classic Redis layer, the in-memory layer; one
  day by default) are re-joined every half of that while the hub lives. The pub/sub layer expires
  nothing: its membership is the process's subscription.
- Hubs belong to the event loop that created them; one of a loop that is gone (a test's) is replaced.
"""

import asyncio
import logging
from typing import Any, Protocol

logger = logging.getLogger(__name__)

PROBE = "fanout.probe"  # the type of the message a hub sends itself to check that the layer answers


class Member(Protocol):
    def deliver(self, message: dict) -> None: ...


class Hub:
    def __init__(self, layer: Any, group: str) -> None:
        self.layer = layer
        self.group = group
        self.loop = asyncio.get_running_loop()
        self.members: dict[Member, None] = {}  # in the order they joined
        self.channel: str | None = None
        self.joining: asyncio.Task | None = None
        self.probing: asyncio.Task | None = None
        self.tasks: list[asyncio.Task] = []
        self.closed = False

    async def join(self, member: Member) -> bool | None:
        """Add `member`; False (logged) if the layer cannot be reached, and then it is not a member; None if
        the hub ended meanwhile (its last member left)."""
        if self.joining is None:
            self.joining = self.loop.create_task(self._join())
            joined = await asyncio.shield(self.joining)
        elif not self.joining.done():
            joined = await asyncio.shield(self.joining)
        else:
            joined = self.joining.result() and await self._probe()
        if not joined:
            return False
        if self.closed:
            return None
        self.members[member] = None
        return True

    async def _join(self) -> bool:
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
        except Exception:
            logger.warning("Could not join %s; serving without live events", self.group, exc_info=True)
            self.closed = True
            self._forget()
            return False
        self.tasks.append(self.loop.create_task(self._listen()))
        expiry = getattr(self.layer, "group_expiry", None)
        if isinstance(expiry, int | float) and expiry > 0:
            self.tasks.append(self.loop.create_task(self._renew(expiry / 2)))
        return True

    async def _probe(self) -> bool:
        if self.probing is None or self.probing.done():
            self.probing = self.loop.create_task(self._send_probe())
        return await asyncio.shield(self.probing)

    async def _send_probe(self) -> bool:
        try:
            await self.layer.send(self.channel, {"type": PROBE})
        except Exception:
            logger.warning("Could not join %s; serving without live events", self.group, exc_info=True)
            return False
        return True

    async def _listen(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Could not receive the broadcasts of %s", self.group, exc_info=True)
                await asyncio.sleep(1)
                continue
            if message.get("type") == PROBE:
                continue
            for member in list(self.members):
                member.deliver(message)

    async def _renew(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.layer.group_add(self.group, self.channel)
            except Exception:
                logger.warning("Could not renew the membership of %s", self.group, exc_info=True)

    async def leave(self, member: Member) -> None:
        self.members.pop(member, None)
        if self.members or self.closed:
            return
        self.closed = True
        self._forget()  # a member arriving from now on starts a new hub
        if self.joining is not None and not await asyncio.shield(self.joining):
            return
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        try:
            await self.layer.group_discard(self.group, self.channel)
        except Exception:
            logger.warning("Could not leave %s", self.group, exc_info=True)

    def _forget(self) -> None:
        key = (id(self.layer), self.group)
        if hubs.get(key) is self:
            del hubs[key]


hubs: dict[tuple[int, str], Hub] = {}


async def join(member: Member, layer: Any, group: str) -> Hub | None:
    """Make `member` a listener of `group` in this process: its hub, or None (logged) when the layer cannot
    be reached."""
    key = (id(layer), group)
    while True:
        hub = hubs.get(key)
        if hub is None or hub.closed or hub.loop is not asyncio.get_running_loop():
            hub = hubs[key] = Hub(layer, group)
        joined = await hub.join(member)
        if joined is not None:
            return hub if joined else None
