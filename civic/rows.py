"""Model instances from a plain SQL row, for the few statements run on every request of a hot path (a token's
person, a ballot box, a verification), where building the query through the ORM costs more than the query.

    sql = f"SELECT {rows.columns(User, 'u')} FROM civic_user u WHERE u.id = %s"
    person = rows.build(User, row)            # every concrete field, converted as the ORM would

The columns are every concrete field of the model, in `_meta.concrete_fields` order, so the instance is whole
(no deferred field reads the row again), and each value goes through the same converters the ORM applies
(the database backend's, then the field's own, e.g. a JSONField's).

Such statements go through `prepared_cursor()`: on PostgreSQL with connections kept, each is parsed and
planned once per connection and then only executed (planning a join of four tables costs PostgreSQL more
than running it)."""

import contextlib
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections


@cache
def _fields(model) -> tuple:
    return tuple(model._meta.concrete_fields)


def key(value) -> int | None:
    """`value` as a primary key to look up in a plain statement, or None where the ORM would find no row
    without asking: not a number, or beyond any integer column (a database would refuse it)."""
    try:
        number = int(value)
    except (ValueError, TypeError):
        return None
    return number if -(2**63) <= number < 2**63 else None


_COLUMNS: dict = {}


def columns(model, alias: str) -> str:
    """The select list of every concrete column of `model`, read from the table named `alias`."""
    key = (connection.vendor, model, alias)
    found = _COLUMNS.get(key)
    if found is None:
        quote = connection.ops.quote_name
        found = _COLUMNS[key] = ", ".join(f"{quote(alias)}.{quote(field.column)}" for field in _fields(model))
    return found


def width(model) -> int:
    return len(_fields(model))


_CONVERTERS: dict = {}


def _converters(model) -> list:
    key = (connection.vendor, model)
    found = _CONVERTERS.get(key)
    if found is None:
        found = []
        for i, field in enumerate(_fields(model)):
            col = field.get_col(model._meta.db_table)
            chain = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if chain:
                found.append((i, col, chain))
        _CONVERTERS[key] = found
    return found


def build(model, values):
    """An instance of `model` from the values of `columns(model, …)`, as the ORM would have built it."""
    values = list(values)
    for i, col, chain in _converters(model):
        value = values[i]
        for converter in chain:
            value = converter(value, col, connection)
        values[i] = value
    return model.from_db(connection.alias, [field.attname for field in _fields(model)], values)


_INSERTS: dict = {}


def insert(obj) -> None:
    """Insert `obj` (its primary key set by the caller, e.g. a UUID's default) in one plain statement, the
    values prepared as `save()` would prepare them. Sends no signal: only for models nothing listens to."""
    model = type(obj)
    fields = _fields(model)
    sql = _INSERTS.get((connection.vendor, model))
    if sql is None:
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        _INSERTS[(connection.vendor, model)] = sql
    values = [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
    with prepared_cursor() as cursor:
        cursor.execute(sql, values)
    obj._state.adding, obj._state.db = False, connection.alias


def prepares(db=None) -> bool:
    """Whether `prepared_cursor()` prepares (settings.CIVIC_DB_PREPARE; unset: on PostgreSQL where
    connections are kept); `db`: the connection (the default one's, looked up once by the caller)."""
    db = db or connection
    if db.vendor != "postgresql":
        return False
    chosen = getattr(settings, "CIVIC_DB_PREPARE", None)
    return db.settings_dict.get("CONN_MAX_AGE") != 0 if chosen is None else chosen


_PREPARED_CURSOR: type | None = None


def prepared_cursor():
    """A cursor for a plain statement run on every request of a hot path (a kept page's read, a reader's
    facts, a token's person, each statement of a ballot). Django's psycopg cursors bind parameters on the
    client, so PostgreSQL parses and plans each statement afresh; on PostgreSQL with connections kept
    (`prepares()`), this one is a prepared statement instead (one per text and parameter types and
    connection; psycopg keeps them), through Django's cursor wrapper all the same (queries counted, logged
    and wrapped as any other). Elsewhere it is Django's own cursor."""
    global _PREPARED_CURSOR
    db = connections[DEFAULT_DB_ALIAS]  # the thread's connection, looked up once (each use of the proxy
    # `connection` looks it up again: a dozen times per signed-in request, through the thread's locals)
    if not prepares(db):
        return db.cursor()
    if _PREPARED_CURSOR is None:
        import psycopg

        class Text:
            """What Django's query log reads of a prepared execution, which psycopg keeps no text of: made
            only when read (a test counting queries, DEBUG)."""

            def __init__(self, cursor, query, params):
                self._args = (cursor, query, params)

            @property
            def query(self) -> bytes:
                cursor, query, params = self._args
                return psycopg.ClientCursor(cursor.connection).mogrify(query, params).encode()

        class Prepared(psycopg.Cursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                done = super().execute(query, params, prepare=True, binary=binary)
                if self._query is None:
                    self._query = Text(self, query, params)
                return done

        _PREPARED_CURSOR = Prepared
    db.ensure_connection()
    raw = db.connection
    if raw.prepare_threshold is None:  # Django's default turns preparing off: our cursor alone prepares
        raw.prepare_threshold = 2**31 - 1  # (Django's own cursors bind on the client: they never do)
    with db.wrap_database_errors:
        return db._prepare_cursor(_PREPARED_CURSOR(raw))


@contextlib.contextmanager
def pipelined():
    """Send the block's statements together where statements are prepared (`prepares()`: psycopg's
    pipeline mode on PostgreSQL): they are sent and checked when the block ends, so writes that need no
    answer share one round trip. Errors come out as Django's. Only for plain statements whose result is
    not needed (an ORM save reads the count of rows it changed at once, which pipeline mode does not have
    yet; a fetch inside the block costs a round trip more than without it). Elsewhere one by one."""
    db = connections[DEFAULT_DB_ALIAS]
    if not prepares(db):
        yield
        return
    db.ensure_connection()
    with db.wrap_database_errors, db.connection.pipeline():
        yield
