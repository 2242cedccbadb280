"""Settings come from the environment, with an embedded default for development.

Nothing set: SQLite under var/, in-memory channel layer, local-memory cache, console e-mail.
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis. DJANGO_ENV=production adds the
production hardening and refuses to start without the variables it needs.
"""

import os

from .base import *  # noqa: F403

if os.environ.get("DJANGO_ENV", "").strip() == "production":
    from .production import *  # noqa: F403
