"""WebSocket routes of every app; only this site package names them all."""

from django.urls import path

from deliberation.routing import websocket_urlpatterns as deliberation_routes

from .consumers import NotificationConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    *deliberation_routes,
]
