from django.urls import path

from .consumers import SessionConsumer

websocket_urlpatterns = [path("ws/sessions/<int:pk>/", SessionConsumer.as_asgi())]
