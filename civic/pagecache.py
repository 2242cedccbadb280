"""The exact shared page cache: public pages (or their shared parts) cached in Redis, never stale.

A cached part is named by *scopes* (``"proposals:S01"``: the proposal lists of area S01; ``"proposal:42"``:
proposal 42's page). Every write that changes what a scope shows calls ``bump(scope, …)`` **in the
write's own transaction**: it inserts one row into ``civic_pagechange``. A scope's version is the number of
changes ever made to it (the rows, plus what compaction folded into ``civic_pageversion``), read from the
database in one query per page; a cached part is keyed by the versions of its scopes, so

- a page read after a write has committed sees the new version and renders afresh: always exact;
- nothing is ever lost in an outage: the versions live in PostgreSQL, not in Redis, so a write made while
  Redis was down changes the version, and the parts cached before the outage are never served again;
- bumps never wait on each other (each is an insert, not an update of a shared row), so a busy scope
  (every co-signature in a city changes its proposal lists) is no queue and no deadlock;
- a version is a count, so transactions that commit in another order than they inserted still move it.

A part may also change with the clock (a co-signing window closes at its deadline): its builder returns
the moment it stops being true, and a cached part past that moment is rendered afresh.

When Redis cannot be reached the cache is bypassed: parts are rendered every time and nothing is kept in
the process's fallback memory (civic/cache.py), which no other process could invalidate.

``manage.py tick`` folds the change rows into one row per scope (``compact``), so a version stays one short
index scan. How a list adopts the cache: docs/architecture.md, "Caching a page exactly".
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import translation

from .models import PageChange, PageVersion

# Longest a part is kept; only memory is at stake (every part is exact while kept).
TIMEOUT = 60 * 60
_MISSING = object()


def bump(*scopes: str) -> None:
    """Record that what `scopes` show has changed; call it inside the transaction of the write."""
    unique = sorted(set(scopes))
    if unique:
        PageChange.objects.bulk_create([PageChange(scope=scope) for scope in unique])


def versions(scopes: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """The current version of each scope, in order, in one query: (number of changes, last change's id).
    The count is what makes it exact (it moves whatever order transactions commit in); the id, drawn from a
    sequence that a rollback does not rewind, keeps apart two databases that count alike (the test suite's
    rolled-back transactions sharing one Redis)."""
    wanted = list(scopes)
    changes = PageChange._meta.db_table
    folded = PageVersion._meta.db_table
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, SUM(n), MAX(m) FROM ("
            f"SELECT scope, base AS n, last_id AS m FROM {folded} WHERE scope IN ({marks}) "
            f"UNION ALL SELECT scope, COUNT(*) AS n, MAX(id) AS m FROM {changes} WHERE scope IN ({marks}) "
            f"GROUP BY scope) AS v GROUP BY scope",
            [*wanted, *wanted],
        )
        found = {scope: (int(n), int(m)) for scope, n, m in cursor.fetchall()}
    return tuple(found.get(scope, (0, 0)) for scope in wanted)


@transaction.atomic
def compact(batch: int = 10_000) -> int:
    """Fold the change rows into one row per scope (a tick job): versions read the same before and after.
    Exactly the rows read are deleted, so a change committed meanwhile is neither folded nor lost."""
    rows = list(PageChange.objects.order_by("id").values_list("id", "scope")[:batch])
    folded: dict[str, tuple[int, int]] = {}
    for pk, scope in rows:
        n, _m = folded.get(scope, (0, 0))
        folded[scope] = (n + 1, pk)
    PageChange.objects.filter(id__in=[pk for pk, _scope in rows]).delete()
    for scope, (n, m) in folded.items():
        if not PageVersion.objects.filter(scope=scope).update(base=F("base") + n, last_id=Greatest("last_id", m)):
            PageVersion.objects.create(scope=scope, base=n, last_id=m)
    return len(rows)


def _strict():
    """The cache's get and set that never answer from, or fill, a per-process fallback; None without Redis
    reachable. With a local-memory cache (one process: development, tests) it is the cache itself."""
    strict = getattr(cache, "strict", None)
    if strict is None:
        return cache.get, cache.set
    return strict()


class Part:
    """The shared parts of one page for one request: `name`, the `scopes` whose writes change them, the
    `keys` that pick one rendering (area, filters, page…; the language is added), and `context`, a function
    returning what the parts' templates read. `context` is called at most once, and only when a part must
    be rendered; if what it returns holds `valid_until` (a datetime), the parts rendered from it are
    rendered afresh from that moment (a deadline passing).

    Make the Part **before** reading anything the parts show: it reads the scopes' versions when made, so
    what is rendered is at least as new as the versions it is kept under. (Read after, a write committing
    in between would leave the old rendering under the new version.)"""

    def __init__(
        self, name: str, scopes: Iterable[str], keys: tuple, context: Callable[[], dict], *, cache: bool = True
    ):
        self.name = name
        self.scopes = list(scopes)
        self.keys = keys
        self._context = context
        self._made: dict | None = None
        self._methods = _strict() if cache else None
        self._versions = versions(self.scopes) if self._methods is not None else ()

    def context(self) -> dict:
        if self._made is None:
            self._made = self._context()
        return self._made

    def render(self, sub: str, build: Callable[[], str]) -> str:
        """The part `sub` of this page: from the cache if current, else `build()` (and kept)."""
        if self._methods is None:
            return build()
        get, put = self._methods
        digest = hashlib.blake2b(repr((self.keys, self.scopes, self._versions)).encode(), digest_size=16).hexdigest()
        key = f"part:{self.name}:{sub}:{translation.get_language()}:{digest}"
        found = get(key, _MISSING)
        if isinstance(found, tuple):
            html, until = found
            if until is None or until > time.time():
                return html
        html = build()
        valid_until: datetime | None = self.context().get("valid_until")
        until = valid_until.timestamp() if valid_until else None
        if until is None:
            put(key, (html, None), TIMEOUT)
        elif until > time.time():
            put(key, (html, until), max(1, min(TIMEOUT, int(until - time.time()) + 1)))
        return html


# What each kind of row changes: model -> function(row) -> scopes. Filled by `watch` from the apps' ready().
_WATCHED: dict[type, Callable[[object], Iterable[str]]] = {}


def watch(model: type, scopes: Callable[[object], Iterable[str]], *, ignore_fields: frozenset = frozenset()) -> None:
    """Bump `scopes(row)` whenever a `model` row is saved or deleted (in the write's transaction). A save
    that names only `ignore_fields` (a sign-in's `last_login`) changes nothing shown. A write through
    `QuerySet.update` sends no signal: its service calls `bump_for(row)` (moderation does)."""
    from django.db.models.signals import post_delete, post_save

    _WATCHED[model] = scopes

    def saved(sender, instance, update_fields=None, **kwargs):
        if update_fields is not None and ignore_fields and set(update_fields) <= ignore_fields:
            return
        bump(*scopes(instance))

    def deleted(sender, instance, **kwargs):
        bump(*scopes(instance))

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"pagecache-save-{model._meta.label}")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"pagecache-delete-{model._meta.label}")


def bump_for(row) -> None:
    """Bump what `row` is shown in, for a write that sent no signal (a QuerySet.update)."""
    scopes = _WATCHED.get(type(row))
    if scopes is not None:
        bump(*scopes(row))


def area_scopes(prefix: str, area_path: str) -> list[str]:
    """`prefix:CODE` for the area at `area_path` and every area above it: a list of an area shows what
    happens anywhere under it."""
    return [f"{prefix}:{code}" for code in area_path.strip("/").split("/") if code]
