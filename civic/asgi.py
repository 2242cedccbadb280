"""ASGI entry point: HTTP through Django, WebSockets through Channels.

In production HTTP goes to gunicorn (WSGI, see docs/deploy.md) and only /ws/ reaches this
application; `make run` serves both from one uvicorn process.
"""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
django_asgi_app = get_asgi_application()

# Static files served by WhiteNoise under `make run` are file iterators, which Django's ASGI handler
# warns about on every request; production serves them from nginx or the WSGI workers instead.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from civic.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
