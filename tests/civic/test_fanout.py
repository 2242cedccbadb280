"""civic.fanout's hub, on the in-memory layer: one join for many members, order, a failed join, renewal of
a membership that would expire."""

import asyncio
import logging

from channels.layers import InMemoryChannelLayer

from civic import fanout


class Screen:
    def __init__(self):
        self.messages = []

    def deliver(self, message):
        self.messages.append(message)


async def test_members_share_one_join_and_get_every_message_in_order():
    layer = InMemoryChannelLayer()
    screens = [Screen() for _ in range(3)]
    hubs = await asyncio.gather(*(fanout.join(screen, layer, "session.1") for screen in screens))
    assert hubs[0] is not None and all(hub is hubs[0] for hub in hubs)
    assert len(layer.groups["session.1"]) == 1
    for n in range(5):
        await layer.group_send("session.1", {"type": "session.events", "text": str(n)})
    await asyncio.sleep(0.05)
    for screen in screens:
        assert [m["text"] for m in screen.messages] == ["0", "1", "2", "3", "4"]
    for screen in screens:
        await hubs[0].leave(screen)
    assert "session.1" not in layer.groups and ("session.1" not in {group for _id, group in fanout.hubs})


async def test_a_join_that_fails_is_logged_and_the_next_one_tries_again(caplog):
    class Unreachable(InMemoryChannelLayer):
        down = True

        async def new_channel(self, prefix="specific."):
            if self.down:
                raise ConnectionError("Redis is down")
            return await super().new_channel(prefix)

    layer = Unreachable()
    caplog.set_level(logging.WARNING)
    results = await asyncio.gather(*(fanout.join(Screen(), layer, "user.1") for _ in range(2)))
    assert results == [None, None]
    assert [r.getMessage() for r in caplog.records] == ["Could not join user.1; serving without live events"]
    layer.down = False
    screen = Screen()
    hub = await fanout.join(screen, layer, "user.1")
    assert hub is not None
    await layer.group_send("user.1", {"type": "civic.event", "event": "notification.new"})
    await asyncio.sleep(0.05)
    assert screen.messages == [{"type": "civic.event", "event": "notification.new"}]
    await hub.leave(screen)


async def test_a_hub_renews_a_membership_that_expires():
    layer = InMemoryChannelLayer(group_expiry=2)
    screen = Screen()
    hub = await fanout.join(screen, layer, "session.2")
    layer.groups["session.2"][hub.channel] = 0  # as if it had joined long ago
    await asyncio.sleep(1.2)  # half the expiry
    assert layer.groups["session.2"][hub.channel] > 0
    await hub.leave(screen)
