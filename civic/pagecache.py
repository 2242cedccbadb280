"""The exact shared page cache: public pages (or their shared parts) kept rendered, never stale.

A cached part is named by *scopes* (``"proposals:S01"``: the proposal lists of area S01; ``"proposal:42"``:
proposal 42's page). Every write that changes what a scope shows calls ``bump(scope, …)`` **in the
write's own transaction** (the apps' ``pages`` modules do it from model signals): it inserts one row into
``civic_pagechange``. A scope's version is the number of changes ever made to it (the rows, plus what
compaction folded into ``civic_pageversion``). A kept part remembers the versions it was rendered at, so

- a page read after a write has committed sees the new version and renders afresh: always exact;
- bumps never wait on each other (each is an insert, not an update of a shared row), so a busy scope
  (every co-signature in a city changes its proposal lists) is no queue and no deadlock;
- a version is a count, so transactions that commit in another order than they inserted still move it.

The rendered parts are kept next to the versions, in the database (``civic_pagepart``, an UNLOGGED table
on PostgreSQL: no write-ahead log, emptied by a crash, which only costs renderings). A page reads the
versions of its scopes and every kept part of its own in **one query**, in one snapshot, and compares them.
Redis holds none of it, so a Redis outage changes nothing here: no bump can be lost while it is down, no
per-process copy exists that could outlive a write, nothing stale comes back with it. (Measured: keeping
the HTML in Redis instead costs a second round trip on every page, which on a busy 2-core machine was most
of a cached page's time.)

A part may also change with the clock (a co-signing window closes at its deadline): its context says until
when it holds (``valid_until``), and a kept part past that moment is rendered afresh.

``manage.py tick`` folds the change rows into one row per scope (``compact``) and drops parts nobody read
for a day. How a list adopts the cache: docs/architecture.md, "Caching a page exactly".
"""

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from .models import PageChange, PagePart, PageVersion

KEEP_UNREAD = timedelta(days=1)  # a part nobody has rendered since is dropped by compaction


def bump(*scopes: str) -> None:
    """Record that what `scopes` show has changed; call it inside the transaction of the write."""
    unique = sorted(set(scopes))
    if unique:
        PageChange.objects.bulk_create([PageChange(scope=scope) for scope in unique])


def _versions_sql(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT 'v', scope, SUM(n), MAX(m), NULL, NULL, NULL FROM ("
        f"SELECT scope, base AS n, last_id AS m FROM {PageVersion._meta.db_table} WHERE scope IN ({marks}) "
        f"UNION ALL SELECT scope, COUNT(*) AS n, MAX(id) AS m FROM {PageChange._meta.db_table} "
        f"WHERE scope IN ({marks}) GROUP BY scope) AS v GROUP BY scope"
    )


def _load(scopes: list[str], page: str | None, subs: tuple[str, ...] | None = None, *, only_parts=False):
    """The versions of `scopes` (as one string) and the kept parts of `page` (those named `subs`, or all),
    in one query."""
    sql, params = ("", []) if only_parts else (_versions_sql(len(scopes)), [*scopes, *scopes])
    if page is not None:
        table = PagePart._meta.db_table
        sql += (" UNION ALL " if sql else "") + (
            f"SELECT 'p', sub, NULL, NULL, versions, html, until FROM {table} WHERE page = %s"
        )
        params.append(page)
        if subs is not None:
            sql += f" AND sub IN ({', '.join(['%s'] * len(subs))})"
            params.extend(subs)
    found: dict[str, tuple[int, int]] = {}
    kept: dict[str, tuple[str, str, float | None]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, name, n, m, versions_, html, until in cursor.fetchall():
            if kind == "v":
                found[name] = (int(n), int(m))
            else:
                kept[name] = (versions_, html, until)
    return ",".join(f"{n}.{m}" for n, m in (found.get(scope, (0, 0)) for scope in scopes)), kept


def versions(scopes: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """The current version of each scope, in order: (number of changes, last change's id). The count is what
    makes it exact (it moves whatever order transactions commit in); the id, drawn from a sequence that a
    rollback does not rewind, keeps apart two databases that count alike (the test suite's rolled-back
    transactions)."""
    text, _kept = _load(list(scopes), None)
    return tuple(tuple(int(x) for x in item.split(".")) for item in text.split(",") if item)  # type: ignore[misc]


def _store(page: str, sub: str, versions_: str, html: str, until: float | None) -> None:
    table = PagePart._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (page, sub, versions, html, until, stored_at) VALUES (%s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (page, sub) DO UPDATE SET versions = excluded.versions, html = excluded.html, "
            f"until = excluded.until, stored_at = excluded.stored_at",
            [page, sub, versions_, html, until, timezone.now()],
        )


@transaction.atomic
def compact(batch: int = 10_000) -> int:
    """Fold the change rows into one row per scope (a tick job): versions read the same before and after.
    Exactly the rows read are deleted, so a change committed meanwhile is neither folded nor lost. Parts
    not rendered for KEEP_UNREAD are dropped."""
    rows = list(PageChange.objects.order_by("id").values_list("id", "scope")[:batch])
    folded: dict[str, tuple[int, int]] = {}
    for pk, scope in rows:
        n, _m = folded.get(scope, (0, 0))
        folded[scope] = (n + 1, pk)
    PageChange.objects.filter(id__in=[pk for pk, _scope in rows]).delete()
    for scope, (n, m) in folded.items():
        if not PageVersion.objects.filter(scope=scope).update(base=F("base") + n, last_id=Greatest("last_id", m)):
            PageVersion.objects.create(scope=scope, base=n, last_id=m)
    PagePart.objects.filter(stored_at__lt=timezone.now() - KEEP_UNREAD).delete()
    return len(rows)


class Part:
    """The shared parts of one page for one request: `name`, the `scopes` whose writes change them, the
    `keys` that pick one rendering (area, filters, page…; the language is added), and `context`, a function
    returning what the parts' templates read. `context` is called at most once, and only when a part must
    be rendered; if what it returns holds `valid_until` (a datetime), the parts rendered from it are
    rendered afresh from that moment (a deadline passing).

    Make the Part **before** reading anything the parts show: it reads the scopes' versions (and the kept
    parts) when made, so what is rendered is at least as new as the versions it is kept under. (Read after,
    a write committing in between would leave the old rendering under the new version.)"""

    def __init__(
        self,
        name: str,
        scopes: Iterable[str],
        keys: tuple,
        context: Callable[[], dict],
        *,
        request=None,
        cache: bool = True,
    ):
        self.name = name
        self.scopes = list(scopes)
        self.keys = keys
        self._context = context
        self._made: dict | None = None
        self._cache = cache
        self._page = hashlib.blake2b(
            repr((name, keys, translation.get_language())).encode(), digest_size=16
        ).hexdigest()
        # A visitor whose whole page is kept needs that one part: the others are read only on a miss.
        self._first = ("page",) if cache and request is not None and _whole(request) else None
        self._versions, self._kept = _load(self.scopes, self._page, self._first) if cache else ("", {})

    def context(self) -> dict:
        if self._made is None:
            self._made = self._context()
        return self._made

    def render(self, sub: str, build: Callable[[], str]) -> str:
        """The part `sub` of this page: the kept one if current, else `build()` (and kept)."""
        if not self._cache:
            return build()
        if sub not in self._kept and self._first is not None:  # the other parts, once
            self._kept.update(_load(self.scopes, self._page, only_parts=True)[1])
            self._first = None
        found = self._kept.get(sub)
        if found is not None:
            versions_, html, until = found
            if versions_ == self._versions and (until is None or until > time.time()):
                return html
        html = build()
        valid_until: datetime | None = self.context().get("valid_until")
        until = valid_until.timestamp() if valid_until else None
        if until is None or until > time.time():
            _store(self._page, sub, self._versions, html, until)
        return html


_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_HOLE = "<!--csrf-->"  # cannot come from text people typed: that is escaped


def _whole(request) -> bool:
    """A visitor not signed in, with no message waiting (one would be in the messages cookie or, with a
    session cookie, in the session: a visitor with neither costs no session read here)."""
    if request.method != "GET" or request.user.is_authenticated or CookieStorage.cookie_name in request.COOKIES:
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not len(messages.get_messages(request))


def _serve(request, html: str) -> HttpResponse:
    if _CSRF_HOLE in html:
        html = html.replace(_CSRF_HOLE, get_token(request))
    return HttpResponse(html)


def kept_page(request, part: Part) -> HttpResponse | None:
    """The kept whole page for this visitor, if there is a current one — before the view reads anything
    (a kept page at the current versions is one that was visible: hiding a thing bumps its scope)."""
    if part._first is None or not part._cache:
        return None
    found = part._kept.get("page")
    if found is None:
        return None
    versions_, html, until = found
    if versions_ != part._versions or (until is not None and until <= time.time()):
        return None
    return _serve(request, html)


def whole_page(request, part: Part, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """For a visitor who is not signed in and has no message waiting, the whole page (header and footer
    too) is one more part of `part`, so a kept page costs no template at all. The CSRF token of the
    language switch is the visitor's own: a hole in the kept page, filled per request. Anyone else gets
    `render_page()`, whose shared parts are kept as usual."""
    if not _whole(request):
        return render_page()

    def build() -> str:
        return _CSRF_INPUT.sub(rf"\g<1>{_CSRF_HOLE}\g<2>", render_page().content.decode())

    return _serve(request, part.render("page", build))


def value(
    name: str,
    scopes: Iterable[str],
    keys: tuple,
    compute: Callable[[], dict],
    *,
    valid_until: Callable[[], datetime | None] | None = None,
) -> dict:
    """A small JSON value kept like a part: `compute()` once per version of `scopes` — a person's unread
    count and menu, under `person:PK`. Read in the same one query as a part.

    A value that changes with the clock (a count of the proposals still collecting) passes `valid_until`:
    it is asked *before* `compute()`, so a moment passing between the two leaves the value already expired,
    never kept too long."""
    made: dict = {}

    def build() -> str:
        if valid_until is not None:
            made["valid_until"] = valid_until()
        return json.dumps(compute())

    part = Part(f"value:{name}", scopes, keys, lambda: made)
    return json.loads(part.render("value", build))


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
