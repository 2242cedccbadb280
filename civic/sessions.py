"""Sessions read from Redis, kept in the database: no database read per request, and sign-in keeps working
while Redis is down.

Django's cached_db backend, with two changes. It talks to Redis alone (FailSafeRedisCache.strict), never to
a process's fallback memory: while Redis is down every session is read from and written to the database,
and no process keeps a copy that a sign-out elsewhere could not reach. And a session stays in Redis for at
most CACHE_SECONDS after it was last read from or written to the database: a sign-out made while Redis
was down (the database row deleted, the Redis copy out of reach) is honoured by Redis at most that long
after Redis returns — the same one-minute bound the rest of the outage story has (docs/deploy.md).
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches

CACHE_SECONDS = 60
_MISSING = object()


class _RedisOnly:
    """The cache calls cached_db makes, on Redis alone; a failure reads as a miss and drops a write."""

    def __init__(self, backend):
        self._backend = backend

    def _methods(self):
        strict = getattr(self._backend, "strict", None)
        return (self._backend.get, self._backend.set) if strict is None else strict()

    def get(self, key, default=None):
        methods = self._methods()
        return default if methods is None else methods[0](key, default)

    def set(self, key, value, timeout=None):
        methods = self._methods()
        if methods is not None:
            methods[1](key, value, min(CACHE_SECONDS, timeout or CACHE_SECONDS))

    def delete(self, key):
        strict_delete = getattr(self._backend, "strict_delete", None)
        return (strict_delete or self._backend.delete)(key)

    def __contains__(self, key):
        return self.get(key, _MISSING) is not _MISSING

    async def aget(self, key, default=None):
        return await sync_to_async(self.get)(key, default)

    async def aset(self, key, value, timeout=None):
        return await sync_to_async(self.set)(key, value, timeout)

    async def adelete(self, key):
        return await sync_to_async(self.delete)(key)


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "civic.session."

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _RedisOnly(caches[settings.SESSION_CACHE_ALIAS])
