"""The cache backend when REDIS_URL is set: Redis, and this process's memory while Redis cannot be reached.

The cache holds nothing that is not also elsewhere (the database is the record), but two things read it on
every request: DRF's throttles and allauth's rate limits. Django's RedisCache raises when Redis is down,
which turned every API call and the login page into a 500. This backend catches the connection failure,
logs it once per outage, and answers from a per-process local-memory cache instead: rate limits keep
working, counted per process rather than across the site, and a cached figure is recomputed. Redis is
tried again after a short pause (RETRY_SECONDS), so a dead Redis costs one refused connection per pause per
process, not one per call. See docs/deploy.md, "While Redis is down".
"""

import contextlib
import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)

# Django builds a cache instance per thread; the outage and the fallback are the process's.
_lock = threading.Lock()
_down_until: dict[str, float] = {}


def _fail_safe(name: str):
    def method(self: "FailSafeRedisCache", *args: Any, **kwargs: Any) -> Any:
        if self._is_down():
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(RedisCache, name)(self, *args, **kwargs)
        except REDIS_DOWN as error:
            self._went_down(error)
            return getattr(self._fallback, name)(*args, **kwargs)
        self._came_back()
        return result

    method.__name__ = name
    return method


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every call (with its table of some 170 response
    callbacks), which cost more than the round trip itself on a throttled API call; a client per
    connection pool is kept instead (a client is only the pool and those callbacks, and is thread-safe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def count_call(cache: Any, key: str, previous: str, timeout: int) -> tuple[int, int]:
    """Count one call under `key` (kept `timeout` seconds) and read the count under `previous`: (this
    count, that count). One round trip on Redis (FailSafeRedisCache.count_call); the cache's API elsewhere."""
    counter = getattr(cache, "count_call", None)
    if counter is not None:
        return counter(key, previous, timeout)
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two
        cache.set(key, 1, timeout)
        count = 1
    return count, int(cache.get(previous) or 0)


def uncount_call(cache: Any, key: str) -> None:
    """Take back a call counted by `count_call` (a refused call is not one the limit counts)."""
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
        cache.decr(key)


class FailSafeRedisCache(RedisCache):
    """RedisCache that never fails a request because Redis is down (see the module's note)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
        self._key = f"{server}|{params.get('KEY_PREFIX', '')}"
        self._fallback = LocMemCache(
            f"civic.cache.fallback:{self._key}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": 10000},
            },
        )

    def strict(self):
        """(get, set) on Redis alone, for values only Redis may hold (civic.pagecache's parts): None while
        Redis is known to be down; a failure then reads as a miss and a set is dropped. Never the fallback,
        which other processes could not invalidate."""
        if self._is_down():
            return None

        def get(key: str, default: Any = None) -> Any:
            try:
                result = RedisCache.get(self, key, default)
            except REDIS_DOWN as error:
                self._went_down(error)
                return default
            self._came_back()
            return result

        def put(key: str, value: Any, timeout: float | None = None) -> None:
            try:
                RedisCache.set(self, key, value, timeout)
            except REDIS_DOWN as error:
                self._went_down(error)

        return get, put

    def count_call(self, key: str, previous: str, timeout: int) -> tuple[int, int]:
        """civic.cache.count_call in one round trip: the counter made if missing (with its expiry), raised,
        and the previous one read, pipelined; on this process's fallback while Redis is down."""
        if self._is_down():
            return count_call(self._fallback, key, previous, timeout)
        current, earlier = self.make_and_validate_key(key), self.make_and_validate_key(previous)
        try:
            pipe = self._cache.get_client(current, write=True).pipeline(transaction=False)
            pipe.set(current, 0, ex=int(timeout), nx=True)
            pipe.incr(current)
            pipe.get(earlier)
            _made, count, before = pipe.execute()
        except REDIS_DOWN as error:
            self._went_down(error)
            return count_call(self._fallback, key, previous, timeout)
        self._came_back()
        return int(count), int(before or 0)

    def strict_delete(self, key: str) -> bool:
        """Delete on Redis and in this process's fallback (a value must not outlive its deletion in either)."""
        self._fallback.delete(key)
        if self._is_down():
            return False
        try:
            result = RedisCache.delete(self, key)
        except REDIS_DOWN as error:
            self._went_down(error)
            return False
        self._came_back()
        return result

    def _is_down(self) -> bool:
        until = _down_until.get(self._key)
        return until is not None and time.monotonic() < until

    def _went_down(self, error: BaseException) -> None:
        with _lock:
            first = self._key not in _down_until
            _down_until[self._key] = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning("Redis cache unreachable (%s); serving from this process's memory until it returns", error)

    def _came_back(self) -> None:
        if self._key in _down_until:
            with _lock:
                back = _down_until.pop(self._key, None) is not None
            if back:
                logger.warning("Redis cache reachable again")

    add = _fail_safe("add")
    get = _fail_safe("get")
    set = _fail_safe("set")
    touch = _fail_safe("touch")
    delete = _fail_safe("delete")
    get_many = _fail_safe("get_many")
    has_key = _fail_safe("has_key")
    incr = _fail_safe("incr")
    set_many = _fail_safe("set_many")
    delete_many = _fail_safe("delete_many")
    clear = _fail_safe("clear")
