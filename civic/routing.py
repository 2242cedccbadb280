"""WebSocket routes of every app; only this site package names them all."""

websocket_urlpatterns: list = []
