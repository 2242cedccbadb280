"""The ASGI application serves the pages and routes WebSockets (the live sessions depend on it)."""

import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

from civic.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def test_asgi_serves_the_home_page():
    response = await HttpCommunicator(application, "GET", "/", headers=[(b"host", b"127.0.0.1")]).get_response()
    assert response["status"] == 200
    assert "邻里事，大家议" in response["body"].decode()


async def test_websocket_from_another_origin_is_refused():
    communicator = WebsocketCommunicator(application, "/ws/anything/", headers=[(b"origin", b"https://evil.example")])
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()
