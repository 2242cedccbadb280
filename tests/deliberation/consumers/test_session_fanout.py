"""A session's screens in one process share one membership of the channel layer's group (civic.fanout):
each broadcast is received once and handed to every local screen."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser

from civic import fanout
from deliberation.services import session_group
from tests.deliberation.consumers.test_session_live import _connect, _setup

pytestmark = pytest.mark.django_db(transaction=True)


def _channels_in(layer, group) -> set:
    """The channels the layer counts in `group` in this process (the in-memory layer, or the pub/sub
    layer that REDIS_URL sets up)."""
    if hasattr(layer, "_get_layer"):
        loop_layer = layer._get_layer()
        return set(loop_layer.groups.get(loop_layer._get_group_channel_name(group), ()))
    return set(layer.groups.get(group, ()))


async def _watch(session_id):
    ws, connected, _ = await _connect(session_id, AnonymousUser())
    assert connected
    await ws.send_json_to({"type": "hello", "last_seq": None})
    assert (await ws.receive_json_from())["type"] == "snapshot"
    return ws


async def test_two_screens_get_each_broadcast_once_in_order_from_one_layer_message(monkeypatch):
    session, _chair, _members = await database_sync_to_async(_setup)()
    layer = get_channel_layer()
    group = session_group(session.pk)
    received = []
    original = layer.receive

    async def counting(channel):
        message = await original(channel)
        received.append(message)
        return message

    monkeypatch.setattr(layer, "receive", counting)
    first, second = await _watch(session.pk), await _watch(session.pk)
    assert len(_channels_in(layer, group)) == 1  # one member of the group for the process, not one per screen
    texts = [f'{{"type": "events", "events": [{{"seq": {n}}}], "state": null}}' for n in (1, 2, 3)]
    for text in texts:
        await layer.group_send(group, {"type": "session.events", "text": text})
    for ws in (first, second):
        assert [await ws.receive_from(timeout=2) for _ in texts] == texts
        assert await ws.receive_nothing(timeout=0.1)
    broadcasts = [m for m in received if m["type"] != fanout.PROBE]  # the second screen's check of the layer
    assert len(broadcasts) == 3  # each broadcast taken off the layer once for both screens
    for ws in (first, second):
        await ws.disconnect()


async def test_a_screen_that_leaves_stops_receiving_and_the_last_one_leaves_the_group():
    session, _chair, _members = await database_sync_to_async(_setup)()
    layer = get_channel_layer()
    group = session_group(session.pk)
    first, second = await _watch(session.pk), await _watch(session.pk)
    hub = fanout.hubs[(id(layer), group)]
    assert len(hub.members) == 2

    await first.disconnect()
    assert len(hub.members) == 1  # the one that left is handed nothing more
    await layer.group_send(group, {"type": "session.events", "text": "after"})
    assert await second.receive_from(timeout=2) == "after"

    await second.disconnect()
    await asyncio.sleep(0)
    assert (id(layer), group) not in fanout.hubs and not _channels_in(layer, group)
    assert all(task.done() for task in hub.tasks)

    third = await _watch(session.pk)  # a screen arriving later starts a new hub and hears broadcasts again
    assert fanout.hubs[(id(layer), group)] is not hub
    await layer.group_send(group, {"type": "session.events", "text": "again"})
    assert await third.receive_from(timeout=2) == "again"
    await third.disconnect()
