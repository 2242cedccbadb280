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

A kept part also names the release that rendered it (``release()``: a digest of the code, templates,
translations and static files, or ``DJANGO_RELEASE``), so after a deploy that changes a template nothing
rendered by the old one is served, whatever versions it was kept at.

``manage.py tick`` folds the change rows into one row per scope (``compact``) and drops parts nobody read
for a day (so the old release's parts too). How a list adopts the cache: docs/architecture.md, "Caching a page exactly".
"""

import contextlib
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from . import rows
from .models import PageChange, PagePart, PageVersion

KEEP_UNREAD = timedelta(days=1)  # a part nobody has rendered since is dropped by compaction


def bump(*scopes: str) -> None:
    """Record that what `scopes` show has changed; call it inside the transaction of the write. Inside
    `bumps_together()`, gathered and sent with the block's other bumps."""
    pending = getattr(connection, "_pagecache_pending", None)
    if pending is not None:
        pending.update(scopes)
    else:
        _insert_changes(scopes)


class _Bumps(set):
    def send(self) -> None:
        """Send what was gathered so far now (the block's later bumps are sent when it ends)."""
        _insert_changes(self)
        self.clear()


@contextlib.contextmanager
def bumps_together():
    """Send the bumps made inside the block as one statement when it ends (for a write whose parts bump
    separately: a ballot's participation and its box's page), or earlier by the block's `send()`; nothing
    if it raises. The write's transaction must enclose the block. Inside another such block, the outer
    one sends them."""
    pending = getattr(connection, "_pagecache_pending", None)
    if pending is not None:
        yield pending
        return
    pending = _Bumps()
    connection._pagecache_pending = pending
    try:
        yield pending
    finally:
        connection._pagecache_pending = None
    pending.send()


def _insert_changes(scopes: Iterable[str]) -> None:
    unique = sorted(set(scopes))
    if unique:  # one plain prepared statement (what bulk_create would send, without building it every time)
        table = connection.ops.quote_name(PageChange._meta.db_table)
        with rows.prepared_cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (scope) VALUES {', '.join(['(%s)'] * len(unique))}", unique)


def _versions_sql(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT 'v', scope, SUM(n), MAX(m), NULL, NULL, NULL FROM ("
        f"SELECT scope, base AS n, last_id AS m FROM {PageVersion._meta.db_table} WHERE scope IN ({marks}) "
        f"UNION ALL SELECT scope, COUNT(*) AS n, MAX(id) AS m FROM {PageChange._meta.db_table} "
        f"WHERE scope IN ({marks}) GROUP BY scope) AS v GROUP BY scope"
    )


def _load(
    scopes: list[str],
    page: str | None,
    subs: tuple[str, ...] | None = None,
    *,
    only_parts=False,
    extra: tuple[str, str] | None = None,
    reader: tuple[str, list] | None = None,
):
    """The versions of `scopes` (as one string) and the kept parts of `page` (those named `subs`, or all),
    in one query. `extra`, a (page, sub) of another page (a person's value, whose scopes are then the last
    of `scopes`), comes in the same query, under the key ``("extra", sub)``. `reader`, a query of the
    reader's own facts (sql, params) whose rows are (tag, text, number), comes in it too, its rows under
    the key READER_ROWS. A kept part's html is the UTF-8 bytes stored."""
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
    if extra is not None:
        table = PagePart._meta.db_table
        sql += (
            f" UNION ALL SELECT 'x', sub, NULL, NULL, versions, html, until FROM {table} WHERE page = %s AND sub = %s"
        )
        params.extend(extra)
    if reader is not None:  # first in the text, its parameters first; its rows last
        sql = f"WITH pagecache_reader (fact, said, number) AS ({reader[0]}) {sql}" + (
            " UNION ALL SELECT 'f', CAST(fact AS VARCHAR(40)), NULL, number, said, NULL, NULL FROM pagecache_reader"
        )
        params = [*reader[1], *params]
    found: dict[str, tuple[int, int]] = {}
    kept: dict = {READER_ROWS: []} if reader is not None else {}
    with rows.prepared_cursor() as cursor:
        if connection.vendor == "postgresql":  # text as sent (UTF-8): a kept page is served without a decoding
            cursor.cursor.adapters.register_loader("text", _utf8_loader())
        cursor.execute(sql, params)
        for kind, name, n, m, versions_, html, until in cursor.fetchall():
            if kind in ("v", b"v"):
                found[name] = (int(n), int(m))
            elif kind in ("f", b"f"):
                kept[READER_ROWS].append((_text(name), None if versions_ is None else _text(versions_), m))
            else:
                key = ("extra", name) if kind in ("x", b"x") else name
                kept[key] = (_text(versions_), html if isinstance(html, bytes) else html.encode(), until)
    return ",".join(f"{n}.{m}" for n, m in (found.get(scope, (0, 0)) for scope in scopes)), kept


READER_ROWS = ("reader",)  # where `_load` puts the rows of the reader's own facts


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


@functools.cache
def _utf8_loader() -> type:
    """psycopg's loader of text that keeps the bytes PostgreSQL sent (UTF-8, Django's client encoding): a
    visitor's kept page goes out as it came in, never decoded to a str and encoded back."""
    from psycopg.adapt import Loader

    class Utf8(Loader):
        def load(self, data) -> bytes:
            return bytes(data)

    return Utf8


def reader_rows(given: list[tuple] | None, query: Callable[[], tuple[str, list] | None]) -> list[tuple]:
    """A reader's facts as rows: `given` when the page's own query brought them (`Part.reader_rows`), else
    those of `query()` (sql, params; None: nothing to read) read now, by a prepared statement."""
    if given is not None:
        return given
    asked = query()
    if asked is None:
        return []
    with rows.prepared_cursor() as cursor:
        cursor.execute(*asked)
        return cursor.fetchall()


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


def compact_backlog(seconds: float = 20.0, batch: int = 10_000) -> int:
    """`compact` batch after batch until the change rows are folded or `seconds` have passed (the tick job):
    a city-wide vote adds some 80,000 change rows a minute (a ballot tells its box's page and the voter's
    scorecards), more than one batch, and a page reads its versions by counting its scopes' rows, so
    rows left unfolded make every kept page of those scopes slower until they are."""
    deadline, total = time.monotonic() + seconds, 0
    while True:
        folded = compact(batch)
        total += folded
        if folded < batch or time.monotonic() >= deadline:
            return total


@transaction.atomic
def compact(batch: int = 10_000) -> int:
    """Fold the change rows into one row per scope (a tick job): versions read the same before and after.
    Exactly the rows read are deleted, so a change committed meanwhile is neither folded nor lost. Parts
    not rendered for KEEP_UNREAD are dropped."""
    changes = list(PageChange.objects.order_by("id").values_list("id", "scope")[:batch])
    folded: dict[str, tuple[int, int]] = {}
    for pk, scope in changes:
        n, _m = folded.get(scope, (0, 0))
        folded[scope] = (n + 1, pk)
    PageChange.objects.filter(id__in=[pk for pk, _scope in changes]).delete()
    for scope, (n, m) in folded.items():
        if not PageVersion.objects.filter(scope=scope).update(base=F("base") + n, last_id=Greatest("last_id", m)):
            PageVersion.objects.create(scope=scope, base=n, last_id=m)
    PagePart.objects.filter(stored_at__lt=timezone.now() - KEEP_UNREAD).delete()
    return len(changes)


# What renders a page: a change to any of these files may change a kept page without any write.
_RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".css", ".js", ".svg"})
_NOT_RELEASED = frozenset({"var", "tests", "bench", "docs", "node_modules", "media"})


@functools.cache
def _source_digest() -> str:
    digest = hashlib.blake2b(digest_size=8)
    base = str(settings.BASE_DIR)
    for folder, dirs, files in os.walk(base):
        top = folder == base
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top and d in _NOT_RELEASED))
        for name in sorted(files):
            if os.path.splitext(name)[1] in _RELEASE_SUFFIXES:
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    digest.update(os.path.relpath(path, base).encode() + b"\0" + f.read() + b"\0")
    return digest.hexdigest()


def release() -> str:
    """The release kept parts were rendered by: `settings.PAGECACHE_RELEASE` (`DJANGO_RELEASE`) when the
    deployment names it, else a digest of the files that render pages, read once per process."""
    return getattr(settings, "PAGECACHE_RELEASE", "") or _source_digest()


def _page_key(name: str, keys: tuple) -> str:
    named = (name, keys, translation.get_language(), release())
    return hashlib.blake2b(repr(named).encode(), digest_size=16).hexdigest()


PERSONAL = "personal-header"  # the value holding a signed-in person's header (civic.context_processors.personal)
SIGNED_IN_PAGE = "signed-in-page"  # the part holding the whole page as every signed-in reader shares it


class Part:
    """The shared parts of one page for one request: `name`, the `scopes` whose writes change them, the
    `keys` that pick one rendering (area, filters, page…; the language is added), and `context`, a function
    returning what the parts' templates read. `context` is called at most once, and only when a part must
    be rendered; if what it returns holds `valid_until` (a datetime), the parts rendered from it are
    rendered afresh from that moment (a deadline passing).

    Make the Part **before** reading anything the parts show: it reads the scopes' versions (and the kept
    parts) when made, so what is rendered is at least as new as the versions it is kept under. (Read after,
    a write committing in between would leave the old rendering under the new version.)

    `preloaded` (versions, kept row) is a value's part already read in another part's query.

    `signed_in_page`: the page is kept whole for signed-in readers too (`whole_page` with a `reader`; its
    template marks what differs between them). A signed-in reader's own header value is read in the same
    query either way, and so are the reader's own facts the page's marks ask for when `reader_query` gives
    them: `reader_query(pk)`, for the reader with that pk, is a query (sql, params, or None) whose rows are
    (tag, text, number), read in the same snapshot as the versions; they are `reader_rows` (None when not
    read: a visitor, a reader the shared page is not for), for the view's `reader()`."""

    def __init__(
        self,
        name: str,
        scopes: Iterable[str],
        keys: tuple,
        context: Callable[[], dict],
        *,
        request=None,
        cache: bool = True,
        preloaded: tuple[str, tuple | None] | None = None,
        signed_in_page: bool = False,
        reader_query: Callable[[int], tuple[str, list] | None] | None = None,
    ):
        self.name = name
        self.scopes = list(scopes)
        self.keys = keys
        self._context = context
        self._made: dict | None = None
        self._cache = cache
        self._keep = True
        self._page = _page_key(name, keys)
        # A visitor whose whole page is kept needs that one part: the others are read only on a miss. A
        # signed-in reader's whole page is the one shared signed-in rendering, and their own value (the
        # header's menu) comes in the same query.
        self._first: tuple[str, ...] | None = None
        self.person: tuple[str, tuple | None] | None = None
        self.reader_rows: list[tuple] | None = None
        if preloaded is not None:
            self._versions, found = preloaded
            self._kept = {"value": found} if found is not None else {}
            return
        self.signed_in_page = signed_in_page
        load, extra, reader = self.scopes, None, None
        if cache and request is not None:
            if _whole(request):
                self._first = ("page",)
            elif (pk := _whole_signed_in(request)) is not None:
                if signed_in_page:
                    self._first = (SIGNED_IN_PAGE,)
                    reader = reader_query(pk) if reader_query is not None else None
                load = [*self.scopes, f"person:{pk}"]
                extra = (_page_key(f"value:{PERSONAL}", (pk,)), "value")
        if not cache:
            self._versions, self._kept = "", {}
            return
        versions_, self._kept = _load(load, self._page, self._first, extra=extra, reader=reader)
        self.reader_rows = self._kept.pop(READER_ROWS, None)
        if extra is None:
            self._versions = versions_
        else:
            mine, person = versions_.rsplit(",", 1)
            self._versions = mine
            self.person = (person, self._kept.pop(("extra", "value"), None))
            request._pagecache_person = self.person  # the header's value, read with the page (person())

    def dont_keep(self) -> None:
        """What is rendered now is not kept (it read a fact that moved since the Part was named: `by_fact`)."""
        self._keep = False

    def context(self) -> dict:
        if self._made is None:
            self._made = self._context()
        return self._made

    def render(self, sub: str, build: Callable[[], str]) -> str:
        """The part `sub` of this page: the kept one if current, else `build()` (and kept)."""
        html = self._render(sub, build)
        return html if isinstance(html, str) else html.decode()

    def render_bytes(self, sub: str, build: Callable[[], str]) -> bytes:
        """`render` as the UTF-8 bytes a response sends: a kept part goes out as read, never decoded and
        encoded back (a big part, a work queue's lists, on every refresh)."""
        html = self._render(sub, build)
        return html if isinstance(html, bytes) else html.encode()

    def _render(self, sub: str, build: Callable[[], str]) -> str | bytes:
        """The kept part as read (bytes), or the one built now (text)."""
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
        if self._keep and (until is None or until > time.time()):
            _store(self._page, sub, self._versions, html, until)
        return html


_FACTS: dict[tuple, object] = {}  # by_fact's facts as this process last read them
_FACTS_KEPT = 10_000
_UNKNOWN = object()


def by_fact(request, key: tuple, fetch: Callable[[], object], make: Callable[[object], Part]):
    """(part, kept page or None) for a page whose scopes are derived from a fact in the database (an area's
    path: the areas above it; a project's proposal) — without a query of its own for a visitor's kept page.

    `make(fact)` names the Part with the fact **in its keys**, and a change of the fact must bump one of the
    page's scopes that do not depend on it (the area's `areas`, the project's `project:PK`). Then the fact
    as this process last read it names the kept page exactly: a page kept under it at the current versions
    was rendered with that fact, which has not changed since (it would have moved a scope). Otherwise (no
    fact remembered, no kept page, not a visitor) the fact is read afresh, `fetch()` (raise Http404 there),
    and the Part made from it; what renders it reads the fact again and calls `part.dont_keep()` if it moved
    in between (a rendering of the new fact must not be kept under the old one's scopes)."""
    part = None
    if _whole(request) and (fact := _FACTS.get(key, _UNKNOWN)) is not _UNKNOWN:
        part = make(fact)
        kept = kept_page(request, part)
        if kept is not None:
            return part, kept
    fresh = fetch()
    if len(_FACTS) >= _FACTS_KEPT:
        _FACTS.clear()
    _FACTS[key] = fresh
    if part is not None and fresh == fact:  # its versions were read before the fact: a Part as any other
        return part, None
    return make(fresh), None


_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_HOLE = "<!--csrf-->"  # cannot come from text people typed: that is escaped


def csrf_hole(html: str) -> str:
    """`html` with its CSRF tokens made holes, filled per request with the reader's own."""
    return _CSRF_INPUT.sub(rf"\g<1>{_CSRF_HOLE}\g<2>", html)


def _whole(request) -> bool:
    """A visitor not signed in, with no message waiting (one would be in the messages cookie or, with a
    session cookie, in the session: a visitor with neither costs no session read here)."""
    if request.method != "GET" or request.user.is_authenticated or CookieStorage.cookie_name in request.COOKIES:
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not len(messages.get_messages(request))


def _whole_signed_in(request) -> int | None:
    """The pk of a signed-in reader who gets the shared signed-in page: no message waiting, not acting for a
    resident (the page then speaks of the resident: rendered for them alone)."""
    from .acting import SESSION_KEY as ACTING

    user = request.user
    if (
        request.method != "GET"
        or not user.is_authenticated
        or CookieStorage.cookie_name in request.COOKIES
        or request.session.get(ACTING)
        or len(messages.get_messages(request))
    ):
        return None
    return user.pk


# Signed-in readers share one rendering of a page in which each personal bit is marked: a segment shown to
# some readers only (``{% reader %}``: "you have co-signed", the edit form of one's own comment) is kept
# with the condition it needs, and a bit that differs for each person (``{% personal %}``: the header's
# menu) is a hole. Per request the marks are resolved from the reader's facts (a few values read for them
# alone) and the holes filled from their own kept value. The marks carry a key derived from SECRET_KEY:
# nobody can type one into a text the page shows (and what people type is escaped anyway).
_MARK_VALUE = re.compile(r"[\w/.]*")


def _mark_key() -> str:
    global _MARK_KEY_CACHE
    if _MARK_KEY_CACHE is None:
        _MARK_KEY_CACHE = hashlib.blake2b(b"pagecache-marks" + settings.SECRET_KEY.encode(), digest_size=6).hexdigest()
    return _MARK_KEY_CACHE


_MARK_KEY_CACHE: str | None = None
_MARKS_CACHE: dict[str, re.Pattern] = {}


def _marks() -> re.Pattern:
    key = _mark_key()
    found = _MARKS_CACHE.get(key)
    if found is None:
        found = _MARKS_CACHE[key] = re.compile(rf"<!--(r|/r|h){key}(?::(\w+):(!?):([\w/.]*))?-->")
    return found


def holes(request) -> bool:
    """True while the shared signed-in rendering of a page is made: personal bits are marked, not decided."""
    return getattr(request, "_pagecache_holes", False)


def mark_open(name: str, value: str, negate: bool) -> str:
    if not _MARK_VALUE.fullmatch(value):
        raise ValueError(f"a reader mark's value may hold only letters, digits, / and . ({value!r})")
    return f"<!--r{_mark_key()}:{name}:{'!' if negate else ''}:{value}-->"


def mark_close() -> str:
    return f"<!--/r{_mark_key()}-->"


def mark_hole(name: str) -> str:
    return f"<!--h{_mark_key()}:{name}::-->"


def reader_holds(facts: dict, name: str, value: str, negate: bool = False) -> bool:
    """Whether a segment marked (name, value) is shown to the reader whose facts these are: with no value,
    if the fact is true; a set: if it holds the value; a function: if it says so of the value; otherwise if
    the fact, as text, is the value."""
    fact = facts.get(name)
    if value == "":
        held = bool(fact)
    elif callable(fact):
        held = bool(fact(value))
    elif isinstance(fact, (set, frozenset)):
        held = value in fact
    else:
        held = fact is not None and str(fact) == value
    return held != negate


def _fill_scanning(html: str, facts: dict, filled: dict[str, str]) -> str:
    """`_fill` by scanning `html` for its marks (a page whose marks do not nest as they should)."""
    out: list[str] = []
    shown = [True]
    pos = 0
    for match in _marks().finditer(html):
        if shown[-1]:
            out.append(html[pos : match.start()])
        pos = match.end()
        kind, name, negate, value = match.groups()
        if kind == "r":
            shown.append(shown[-1] and reader_holds(facts, name, value, negate == "!"))
        elif kind == "/r":
            shown.pop()
        elif shown[-1]:
            out.append(filled[name])
    out.append(html[pos:])
    return "".join(out)


_TEXT, _OPEN, _HOLE = 0, 1, 2
_CSRF = "-csrf"  # a CSRF hole among the pieces of a page cut to be sent (the names of holes are words)


def _split(html: str, sent: bool = False) -> list[tuple] | None:
    """`html` cut at its marks once: text, a hole (name), or a marked segment's opening (name, value,
    negated, and where past its close the page goes on when the reader does not see it); None if its
    marks do not nest as they should. `sent`: the page as it is sent, its text the UTF-8 bytes and its
    CSRF tokens holes too (`_CSRF`), so that serving it neither scans nor encodes the whole page."""
    ops: list[tuple] = []
    opened: list[int] = []

    def text(piece: str) -> None:
        if not sent:
            ops.append((_TEXT, piece))
            return
        for i, part in enumerate(piece.split(_CSRF_HOLE)):
            if i:
                ops.append((_HOLE, _CSRF))
            if part:
                ops.append((_TEXT, part.encode()))

    pos = 0
    for match in _marks().finditer(html):
        if match.start() > pos:
            text(html[pos : match.start()])
        pos = match.end()
        kind, name, negate, value = match.groups()
        if kind == "r":
            opened.append(len(ops))
            ops.append((_OPEN, name, value, negate == "!", 0))
        elif kind == "/r":
            if not opened:
                return None
            at = opened.pop()
            ops[at] = (*ops[at][:4], len(ops))
        else:
            ops.append((_HOLE, name))
    if opened:
        return None
    if pos < len(html):
        text(html[pos:])
    return ops


_SPLITS: dict[tuple, tuple[str | bytes, object]] = {}  # by kept part: its html as last cut here, and the cut
_SPLITS_KEPT = 16_000_000  # characters of html remembered, at most
_splits_size = 0


def _cut(key: tuple, html: str | bytes, cut: Callable[[str | bytes], object]):
    """`cut(html)`, made once per process and rendering of the kept part `key`: the html the cut was made of
    (as read — the bytes of a kept page) is compared whole, and any other html is cut afresh."""
    global _splits_size
    found = _SPLITS.get(key)
    if found is None or found[0] != html:
        if _splits_size + len(html) > _SPLITS_KEPT:
            _SPLITS.clear()
            _splits_size = 0
        found = _SPLITS[key] = (html, cut(html))
        _splits_size += len(html)
    return found[1]


def _walk(ops: list[tuple], facts: dict, hole: Callable[[str], str | bytes]) -> list:
    """The pieces of a cut page one reader sees: marked segments kept or dropped by their facts, holes
    filled by `hole(name)`."""
    out: list = []
    i, n = 0, len(ops)
    while i < n:
        op = ops[i]
        if op[0] == _TEXT:
            out.append(op[1])
        elif op[0] == _OPEN:
            if not reader_holds(facts, op[1], op[2], op[3]):
                i = op[4]  # the piece after the segment's close
                continue
        else:
            out.append(hole(op[1]))
        i += 1
    return out


def _fill(html: str | bytes, facts: dict, filled: dict[str, str], key: tuple | None = None) -> str:
    """The reader's page: marked segments kept or dropped by their facts, holes filled. With `key`, the
    kept part's name, the page is cut at its marks once per process and rendering (`_cut`), so a request
    only walks its pieces."""
    if key is None:
        return _fill_scanning(_text(html), facts, filled)
    ops = _cut(key, html, lambda html: _split(_text(html)))
    if ops is None:
        return _fill_scanning(_text(html), facts, filled)
    return "".join(_walk(ops, facts, filled.__getitem__))


class _AnyReader(AnonymousUser):
    """Who the shared signed-in rendering is made for: signed in, nobody in particular. A template that
    shows something of the reader outside a mark shows it of nobody (and tests catch it)."""

    @property
    def is_anonymous(self):
        return False

    @property
    def is_authenticated(self):
        return True

    is_active = True
    public_name = ""

    def has_perm(self, perm, obj=None):
        return False

    def has_perms(self, perm_list, obj=None):
        return False

    def has_module_perms(self, module):
        return False


def any_reader() -> AnonymousUser:
    return _AnyReader()


def fill_for(html: str, facts: dict, csrf_token: str, key: tuple | None = None) -> str:
    """A part kept for every signed-in reader (`{% shared part "name" marked %}`), as one reader sees it
    (`key`: the kept part's (page, sub), see `_fill`)."""
    return _fill(html, facts, {}, key).replace(_CSRF_HOLE, csrf_token)


_CSRF_HOLE_BYTES = _CSRF_HOLE.encode()


def _serve(request, html: str | bytes, key: tuple | None = None) -> HttpResponse:
    """The page (as UTF-8 bytes, a kept page as read: the response's charset) with the visitor's CSRF token.
    With `key`, the kept part's name, the page is cut at its CSRF holes once per process (`_cut`): a request
    joins the pieces around the token instead of searching the whole page for them."""
    if isinstance(html, str):
        html = html.encode()
    if key is None:
        if _CSRF_HOLE_BYTES in html:
            html = html.replace(_CSRF_HOLE_BYTES, get_token(request).encode())
        return HttpResponse(html)
    pieces = _cut((*key, _CSRF), html, lambda html: html.split(_CSRF_HOLE_BYTES))
    return HttpResponse(get_token(request).encode().join(pieces) if len(pieces) > 1 else html)


HOLES = "holes"  # a reader's facts may fill holes of their own: {"holes": {"name": html}} (CSRF tokens as holes)


def _serve_signed_in(request, html: str | bytes, facts: dict, key: tuple | None = None) -> HttpResponse:
    """The shared signed-in page as this reader sees it. With `key`, the kept part's name, the page is cut
    once per process into the bytes it is sent as (`_split(..., sent=True)`): a request walks its pieces and
    encodes only what is the reader's own (their menu, their holes, their CSRF token)."""
    facts = {"me": str(request.user.pk), **facts}
    filled = {"menu": person(request)["menu_html"], **facts.pop(HOLES, {})}
    ops = None if key is None else _cut((*key, "sent"), html, lambda html: _split(_text(html), sent=True))
    if ops is None:
        return _serve(request, _fill(html, facts, filled))
    token: list[str] = []

    def csrf() -> str:
        if not token:
            token.append(get_token(request))
        return token[0]

    def hole(name: str) -> bytes:
        if name == _CSRF:
            return csrf().encode()
        value = filled[name]
        return (value.replace(_CSRF_HOLE, csrf()) if _CSRF_HOLE in value else value).encode()

    return HttpResponse(b"".join(_walk(ops, facts, hole)))


def person(request) -> dict:
    """The signed-in reader's own kept value (civic.context_processors.personal): the header's menu, and
    whether they are an official or an administrator (pages whose forms that opens render for them)."""
    from .context_processors import personal

    found = getattr(request, "_pagecache_person_value", None)
    if found is None:
        found = request._pagecache_person_value = personal(
            request.user, preloaded=getattr(request, "_pagecache_person", None)
        )
    return found


def kept_page(request, part: Part, reader: Callable[[], dict | None] | None = None) -> HttpResponse | None:
    """The kept whole page for this visitor, if there is a current one — before the view reads anything
    (a kept page at the current versions is one that was visible: hiding a thing bumps its scope). For a
    signed-in reader, `reader()` returns their facts the page's marks ask for (see `whole_page`)."""
    if part._first is None or not part._cache:
        return None
    found = part._kept.get(part._first[0])
    if found is None:
        return None
    versions_, html, until = found
    if versions_ != part._versions or (until is not None and until <= time.time()):
        return None
    if part.person is None:
        return _serve(request, html, (part._page, part._first[0]))
    if reader is None:
        return None
    facts = reader()
    if facts is None:
        return None
    return _serve_signed_in(request, html, facts, (part._page, part._first[0]))


def whole_page(
    request,
    part: Part,
    render_page: Callable[[], HttpResponse],
    reader: Callable[[], dict | None] | None = None,
) -> HttpResponse:
    """For a visitor who is not signed in and has no message waiting, the whole page (header and footer
    too) is one more part of `part`, so a kept page costs no template at all. The CSRF token of the
    language switch is the visitor's own: a hole in the kept page, filled per request.

    A signed-in reader with no message waiting, on a page whose Part says `signed_in_page` and whose view
    gives `reader`, gets the one rendering all signed-in readers share, made
    with `request.user` standing for nobody in particular (`holes(request)` is true meanwhile): the header's
    menu is a hole filled from the reader's own kept value, and what only some readers see is marked in the
    template with ``{% reader %}`` and decided by `reader()`, the reader's facts ("endorsed": True, "editable":
    {"12", "15"}…; "me", their pk, is always there); a bit that differs for each reader beyond a condition is
    a ``{% personal "name" %}`` hole that `reader()` fills (`{HOLES: {"name": html}}`, its CSRF tokens made
    holes with `csrf_hole`). `reader()` is asked on every request, so it reads only
    what is the reader's own, or None if the page must be rendered for this reader alone (an official, whose
    roles open forms the others do not see: `person(request)["official"]`).
    Anyone else gets `render_page()`, whose shared parts are kept as usual."""
    if _whole(request):

        def build() -> str:
            return _CSRF_INPUT.sub(rf"\g<1>{_CSRF_HOLE}\g<2>", render_page().content.decode())

        return _serve(request, part.render("page", build))
    if part.person is None or not part._cache or not part.signed_in_page or reader is None:
        return render_page()
    facts = reader()
    if facts is None:
        return render_page()

    def build_signed_in() -> str:
        user = request.user
        request.user, request._pagecache_holes = any_reader(), True
        try:
            html = render_page().content.decode()
        finally:
            request.user, request._pagecache_holes = user, False
        return _CSRF_INPUT.sub(rf"\g<1>{_CSRF_HOLE}\g<2>", html)

    html = part.render(SIGNED_IN_PAGE, build_signed_in)
    return _serve_signed_in(request, html, facts, (part._page, SIGNED_IN_PAGE))


def value(
    name: str,
    scopes: Iterable[str],
    keys: tuple,
    compute: Callable[[], dict],
    *,
    valid_until: Callable[[], datetime | None] | None = None,
    preloaded=None,
) -> dict:
    """A small JSON value kept like a part: `compute()` once per version of `scopes` — a person's unread
    count and menu, under `person:PK`. Read in the same one query as a part (`preloaded`: as read there).

    A value that changes with the clock (a count of the proposals still collecting) passes `valid_until`:
    it is asked *before* `compute()`, so a moment passing between the two leaves the value already expired,
    never kept too long."""
    made: dict = {}

    def build() -> str:
        if valid_until is not None:
            made["valid_until"] = valid_until()
        return json.dumps(compute())

    part = Part(f"value:{name}", scopes, keys, lambda: made, preloaded=preloaded)
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
