import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from civic import services
from civic.consumers import NotificationConsumer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user):
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_anonymous_visitors_are_turned_away_with_close_code_4401():
    # accepted first, then closed: a refusal before the handshake reaches the browser as HTTP 403 and the
    # close code is lost (docs/api.md promises 4401)
    communicator, connected, _code = await _connect(AnonymousUser())
    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_a_person_receives_their_own_notifications_live():
    person = await database_sync_to_async(UserFactory)()
    other = await database_sync_to_async(UserFactory)()
    mine, connected, _ = await _connect(person)
    assert connected
    assert await mine.receive_json_from() == {"event": "hello", "unread": 0, "live": True}
    theirs, _, _ = await _connect(other)
    await theirs.receive_json_from()

    await database_sync_to_async(services.notify)(recipient=person, kind="role.changed", title="新角色", url="/me/")
    event = await mine.receive_json_from(timeout=2)
    assert event["event"] == "notification.new" and event["title"] == "新角色" and event["unread"] == 1
    assert await theirs.receive_nothing(timeout=0.3)

    await database_sync_to_async(services.notification_mark_read)(user=person)
    assert (await mine.receive_json_from(timeout=2)) == {"event": "notification.read", "unread": 0}
    await mine.disconnect()
    await theirs.disconnect()
