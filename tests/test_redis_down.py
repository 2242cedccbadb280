"""With Redis down, the site keeps working and loses nothing (docs/deploy.md, "While Redis is down").

The cache and the channel layer are the production ones (civic.settings.base.redis_services) pointed at a
port where nothing listens. Every action runs in a real transaction (transactional_db), so what is
published after commit is published during the request, as in production. Before the fix each of these
answered 500 or raised: DRF's throttles and allauth's rate limits read the cache, and publishing after
commit raised into the committed request.
"""

import json
import logging
import socket
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from civic import cache as fail_safe_cache
from civic.consumers import NotificationConsumer
from civic.settings.base import redis_services
from deliberation import services as deliberation_services
from deliberation.models import SessionRecord
from deliberation.routing import websocket_urlpatterns
from proposals import services as proposal_services
from proposals.models import AreaPolicy, Category, Proposal
from tests.deliberation.session_setup import make_council, make_session
from tests.factories import PASSWORD, UserFactory
from tests.world import build_world, fresh, verify

pytest.importorskip("channels_redis")
pytest.importorskip("redis")

DEAD = "redis://127.0.0.1:6390/0"
pytestmark = pytest.mark.django_db(transaction=True)


def _nothing_listens(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(autouse=True)
def redis_down(settings, caplog):
    if not _nothing_listens(6390):
        pytest.skip("something listens on port 6390, which these tests need dead")
    settings.CACHES, settings.CHANNEL_LAYERS = redis_services(DEAD, "test-dead")
    cache.clear()  # the fallback is the process's: no counter from an earlier test
    fail_safe_cache._down_until.clear()
    caplog.set_level(logging.WARNING)
    caplog.clear()
    yield
    fail_safe_cache._down_until.clear()


def _published_and_failed(caplog) -> bool:
    return any("Could not publish" in r.getMessage() for r in caplog.records)


@pytest.fixture
def pworld(db):
    world = build_world()
    AreaPolicy.objects.create(area=world["S1"], endorsement_threshold=3, collection_days=30, response_working_days=15)
    world.category = Category.objects.create(name="照明品质提升")
    return world


def _proposal(world) -> Proposal:
    proposal = proposal_services.proposal_create(
        author=world["resident"],
        category=world.category,
        area=world["C1"],
        title="楼道灯长期不亮",
        body="3 栋楼道灯坏了两个月，晚上很不安全。",
    )
    return proposal_services.proposal_publish(actor=world["resident"], proposal=proposal)


def test_the_cache_falls_back_to_this_process_and_says_so_once(caplog):
    assert cache.get("nothing") is None
    cache.set("counter", [1, 2], 60)
    assert cache.get("counter") == [1, 2]
    assert cache.add("counter", "other") is False
    assert cache.get_or_set("version", 1) == 1 and cache.incr("version") == 2
    warnings = [r for r in caplog.records if r.name == "civic.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


def test_an_api_read_and_a_co_signature_that_qualifies_answer_success(api_client, pworld, caplog):
    proposal = _proposal(pworld)
    assert api_client.get("/api/proposals/").status_code == 200
    neighbours = [UserFactory() for _ in range(3)]
    for person in neighbours:
        verify(person, pworld["c1a"])
    for person in neighbours:
        api_client.force_authenticate(fresh(person))
        response = api_client.post(reverse("api:proposal-endorse", args=[proposal.pk]))
        assert response.status_code == 201, response.content
    assert response.json()["state"] == "qualified"
    assert Proposal.objects.get(pk=proposal.pk).state == "qualified"
    assert _published_and_failed(caplog)  # the organisers' notifications could not be pushed live


def test_rate_limits_still_count_in_this_process(api_client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    codes = [api_client.get("/api/proposals/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_login_page_and_a_login(client, db):
    person = UserFactory()
    assert client.get(reverse("account_login")).status_code == 200
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert client.get(reverse("civic:home")).context["user"] == person


def test_a_ballot_vote(api_client, db):
    world = build_world()
    box = deliberation_services.box_create(
        actor=fresh(world["organiser_here"]), area=world["S1"], kind="budget", title="一街道微项目预算", budget=100
    )
    for title, cost in [("甲项目", 60), ("乙项目", 50)]:
        deliberation_services.option_add(actor=fresh(world["organiser_here"]), box=box, title=title, cost=cost)
    now = timezone.now()
    box = deliberation_services.box_schedule(
        actor=fresh(world["organiser_here"]),
        box=box,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
    )
    api_client.force_authenticate(fresh(world["resident"]))
    response = api_client.post(f"/api/ballots/{box.pk}/vote/", {"choices": ["2"]}, format="json")
    assert response.status_code == 201 and response.json()["receipt"]


def test_a_session_command_over_rest_is_recorded_and_answered(api_client, db, caplog):
    world = build_world()
    session = make_session(world, make_council(world))
    api_client.force_authenticate(session.council.people[0])
    response = api_client.post(
        reverse("api:session-commands", args=[session.pk]),
        data=json.dumps({"command": {"type": "check_in"}}),
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    assert SessionRecord.objects.filter(session=session, kind="event").count() == 1
    assert _published_and_failed(caplog)


def test_tick_does_its_work(pworld, caplog):
    proposal = _proposal(pworld)
    Proposal.objects.filter(pk=proposal.pk).update(collection_deadline=timezone.now() - timedelta(seconds=1))
    call_command("tick", verbosity=0)
    assert Proposal.objects.get(pk=proposal.pk).state == "expired"


def _session_setup():
    world = build_world()
    council = make_council(world)
    return make_session(world, council), council.people


async def test_a_session_socket_opens_without_the_layer_and_serves_the_record():
    session, members = await database_sync_to_async(_session_setup)()
    await database_sync_to_async(deliberation_services.session_command)(
        user=members[0], session=session, command={"type": "check_in"}
    )
    ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/sessions/{session.pk}/")
    ws.scope["user"] = members[1]
    connected, _code = await ws.connect()
    assert connected
    assert await ws.receive_json_from() == {"type": "status", "live": False}
    await ws.send_json_to({"type": "hello", "last_seq": 0})
    missed = await ws.receive_json_from()
    assert missed["type"] == "events" and [e["seq"] for e in missed["events"]] == [1]
    await ws.send_json_to({"type": "command", "command": {"type": "check_in"}})
    assert (await ws.receive_json_from()) == {"type": "ok", "seq": 2}
    await ws.disconnect()


async def test_the_notifications_socket_opens_without_the_layer_and_says_so():
    person = await database_sync_to_async(UserFactory)()
    ws = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    ws.scope["user"] = person
    connected, _code = await ws.connect()
    assert connected
    assert await ws.receive_json_from() == {"event": "hello", "unread": 0, "live": False}
    await ws.send_to(text_data="sync")
    assert await ws.receive_json_from() == {"event": "sync", "unread": 0, "live": False}
    await ws.disconnect()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _OwnRedis:
    """A redis-server of this test's own, on a free port, that the test stops and starts again (never the
    machine's shared one)."""

    def __init__(self):
        import shutil

        self.binary = shutil.which("redis-server")
        self.port = _free_port()
        self.process = None

    def start(self):
        import subprocess
        import time

        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            if not _nothing_listens(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(5)
            self.process = None


@pytest.fixture
def own_redis(settings):
    server = _OwnRedis()
    if server.binary is None:
        pytest.skip("redis-server is not installed")
    server.start()
    settings.CACHES, settings.CHANNEL_LAYERS = redis_services(f"redis://127.0.0.1:{server.port}/0", "test-own")
    yield server
    server.stop()


async def _receive_until(ws, kind: str, tries: int = 20) -> dict:
    for _ in range(tries):
        message = await ws.receive_json_from(timeout=2)
        if message.get("type") == kind:
            return message
    raise AssertionError(f"no {kind} message")


async def test_an_event_published_while_redis_was_down_is_fetched_by_sequence_number(own_redis, caplog):
    session, members = await database_sync_to_async(_session_setup)()
    ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/sessions/{session.pk}/")
    ws.scope["user"] = members[1]
    assert (await ws.connect())[0]
    await ws.send_json_to({"type": "hello", "last_seq": 0})
    assert (await ws.receive_json_from())["events"] == []

    own_redis.stop()
    events = await database_sync_to_async(deliberation_services.session_command)(
        user=members[0], session=session, command={"type": "check_in"}
    )
    assert [e["seq"] for e in events] == [1] and _published_and_failed(caplog)
    assert await ws.receive_nothing(timeout=0.5)  # the broadcast is lost ...

    own_redis.start()
    await ws.send_json_to({"type": "hello", "last_seq": 0})  # ... but not the event: the record has it
    caught_up = await ws.receive_json_from()
    assert [e["seq"] for e in caught_up["events"]] == [1]

    # Once Redis is back, broadcasts reach the socket again without reconnecting it (the layer's receiver
    # resubscribes within a few seconds; probe until it has).
    from channels.layers import get_channel_layer

    from deliberation.services import session_group

    layer = get_channel_layer()
    for _ in range(40):
        await layer.group_send(session_group(session.pk), {"type": "session.events", "events": [], "state": None})
        if not await ws.receive_nothing(timeout=0.5):
            assert (await ws.receive_json_from())["events"] == []
            break
    else:
        raise AssertionError("broadcasts did not come back with Redis")
    await database_sync_to_async(deliberation_services.session_command)(
        user=members[2], session=session, command={"type": "check_in"}
    )
    live = await _receive_until(ws, "events")
    assert [e["seq"] for e in live["events"]] == [2]
    await ws.disconnect()


def test_the_cache_keeps_one_redis_client_per_connection_pool():
    """Django's Redis cache built a client (with its table of some 170 response callbacks) for every call,
    which cost a throttled API call more than its round trip; one client per pool is kept instead, and it
    still falls back to the process's memory when Redis is down."""
    from django.core.cache import caches

    kept = caches["default"]
    assert isinstance(kept, fail_safe_cache.FailSafeRedisCache)
    client = kept._cache
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client(write=False) is client.get_client(write=False)
    kept.set("kept-client", 1)  # Redis is down here: the fallback answers
    assert kept.get("kept-client") == 1


async def test_a_screen_joining_a_live_hub_while_redis_is_down_is_told_so_and_rejoins_with_hello(own_redis, caplog):
    """The process's screens of a session share one membership of its group (civic.fanout): a screen that
    connects while Redis is down is still told it is not live, though the hub joined before the outage,
    and its `hello` makes it live again once Redis is back."""
    session, members = await database_sync_to_async(_session_setup)()
    first = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/sessions/{session.pk}/")
    first.scope["user"] = members[0]
    assert (await first.connect())[0]
    await first.send_json_to({"type": "hello", "last_seq": 0})
    assert (await first.receive_json_from())["events"] == []

    own_redis.stop()
    second = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/sessions/{session.pk}/")
    second.scope["user"] = members[1]
    assert (await second.connect())[0]
    assert await second.receive_json_from(timeout=5) == {"type": "status", "live": False}
    assert any("Could not join" in r.getMessage() for r in caplog.records)

    own_redis.start()
    from channels.layers import get_channel_layer

    from deliberation.services import session_group

    layer = get_channel_layer()
    for _ in range(40):  # until the layer's receiver has resubscribed
        await layer.group_send(session_group(session.pk), {"type": "session.events", "text": "probe"})
        if not await first.receive_nothing(timeout=0.5):
            assert await first.receive_from() == "probe"
            break
    else:
        raise AssertionError("broadcasts did not come back with Redis")
    # a probe of an earlier round may still be on its way (the loop sends again after half a second of
    # nothing): let them all arrive before the screens' next messages are read
    while not await first.receive_nothing(timeout=1):
        assert await first.receive_from() == "probe"
    await second.send_json_to({"type": "hello", "last_seq": 0})
    assert await second.receive_json_from(timeout=5) == {"type": "status", "live": True}
    assert (await second.receive_json_from())["events"] == []
    await database_sync_to_async(deliberation_services.session_command)(
        user=members[2], session=session, command={"type": "check_in"}
    )
    for ws in (first, second):
        live = await _receive_until(ws, "events")
        assert [e["seq"] for e in live["events"]] == [1]
        await ws.disconnect()
