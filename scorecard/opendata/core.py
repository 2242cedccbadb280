"""The parts every open dataset is made of: field types, the Field and Dataset declarations, how values are
written in JSON and CSV, and a few readers shared by the datasets.

A Field says everything about one column once: its name, type, meaning, example and where its value comes
from in a record (`source`). The query's columns, the rows and the documentation are all derived from the
fields, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.exports import spreadsheet_text
from civic.models import Area
from civic.money import as_amount

CHUNK = 2000
CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")
THOUSANDTH = Decimal("0.001")

# Field types, as the documentation names them; `format_value` turns a value of each into JSON and CSV.
TYPES = {
    "integer": gettext_lazy("whole number"),
    "text": gettext_lazy("text"),
    "money": gettext_lazy("yuan, a string with two decimals"),
    "decimal": gettext_lazy("number as a string with two decimals"),
    "share": gettext_lazy("share between 0 and 1, a string with four decimals"),
    "coordinate": gettext_lazy("degrees as a string with three decimals (about 100 m)"),
    "boolean": gettext_lazy("true or false"),
    "date": gettext_lazy("date, YYYY-MM-DD"),
    "datetime": gettext_lazy("date and time, ISO 8601 with the UTC offset"),
    "url": gettext_lazy("web address"),
}

# A getter reads a computed value from a record and the chunk's context ({"base_url", "extra", ...}).
Getter = Callable[[Any, dict], Any]


def lookup(record, path: str):
    """The value at `path` in a record: a key of a `.values()` row, or an attribute path ("area__code" is
    record.area.code) of a model instance."""
    if isinstance(record, dict):
        return record[path]
    value = record
    for name in path.split("__"):
        value = getattr(value, name)
    return value


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: Promise | str
    example: str
    # Where the value comes from: a lookup path on the record (None: the field's name), or a getter.
    source: str | Getter | None = None
    # The columns a getter reads, so that the dataset's query selects them.
    reads: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        if callable(self.source):
            return self.reads
        return (self.source or self.name, *self.reads)

    def value(self, record, context: dict):
        if callable(self.source):
            return self.source(record, context)
        return lookup(record, self.source or self.name)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise | str
    description: Promise | str
    fields: tuple[Field, ...]
    # The records of an area (None: the whole city), filtered and ordered; `queryset()` selects the columns.
    records: Callable[[Area | None], QuerySet]
    # How the records are read: "values" (dicts of the fields' columns), "only" (model instances loading only
    # those columns) or "as_is" (the query already says what it reads).
    shape: str = "values"
    # Columns read by `prepare` or `adapt` rather than by a field.
    reads: tuple[str, ...] = ()
    # Reads what a chunk of records needs from a second table, in a fixed number of queries; its result
    # reaches the getters in the context under "extra".
    prepare: Callable[[list], Any] | None = None
    # Turns a record into what the fields read (for a dataset that is another module's export).
    adapt: Callable[[Any], Any] | None = None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def columns(self) -> list[str]:
        """The columns the query selects: every column a field or the dataset reads, once, in order."""
        return list(dict.fromkeys([*(column for f in self.fields for column in f.columns), *self.reads]))

    def queryset(self, area: Area | None) -> QuerySet:
        records = self.records(area)
        if self.shape == "values":
            return records.values(*self.columns)
        if self.shape == "only":
            return records.only(*self.columns)
        return records

    def row(self, record, context: dict) -> dict:
        if self.adapt is not None:
            record = self.adapt(record)
        return {f.name: f.value(record, context) for f in self.fields}

    def format_rows(self, records: Iterable, base_url: str = "") -> list[dict]:
        """Documented rows (raw values) for a list of records: one chunk."""
        records = list(records)
        context = {"base_url": base_url, "extra": self.prepare(records) if self.prepare else None}
        return [self.row(record, context) for record in records]

    def rows(self, area: Area | None, base_url: str = "") -> Iterator[dict]:
        """Every row of the area (None: the whole city), read in chunks so that 10,000 rows never sit in
        memory at once."""
        records = self.queryset(area).iterator(chunk_size=CHUNK)
        while chunk := list(islice(records, CHUNK)):
            yield from self.format_rows(chunk, base_url)


# --- formatting ----------------------------------------------------------------------------------------------


def _quantize(value, step: Decimal) -> str:
    return str(Decimal(value).quantize(step, ROUND_HALF_UP))


def format_value(kind: str, value):
    """A value as JSON carries it: money, decimals and shares as strings, moments in ISO 8601 with the
    local offset (Asia/Shanghai), missing values as None."""
    if value is None or value == "":
        return "" if kind in ("text", "url") else None
    if kind == "money":
        return value if isinstance(value, str) else str(as_amount(value))
    if kind == "decimal":
        return value if isinstance(value, str) else _quantize(value, CENT)
    if kind == "share":
        return value if isinstance(value, str) else _quantize(value, TEN_THOUSANDTH)
    if kind == "coordinate":
        return value if isinstance(value, str) else _quantize(value, THOUSANDTH)
    if kind == "datetime":
        if isinstance(value, datetime):
            return timezone.localtime(value).isoformat(timespec="seconds")
        return str(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "boolean":
        return bool(value)
    if kind == "integer":
        return int(value)
    return str(value)


def json_row(dataset: Dataset, row: dict) -> dict:
    return {f.name: format_value(f.type, row.get(f.name)) for f in dataset.fields}


def csv_cells(dataset: Dataset, row: dict) -> list:
    cells = []
    for f in dataset.fields:
        value = format_value(f.type, row.get(f.name))
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif f.type == "text" and isinstance(value, str):
            value = spreadsheet_text(value)
        cells.append(value)
    return cells


# --- readers shared by the datasets -------------------------------------------------------------------------


def within(queryset: QuerySet, lookup_path: str, area: Area | None) -> QuerySet:
    """Records of `area` and every area under it (a prefix test on the materialised path)."""
    return queryset if area is None else queryset.filter(**{f"{lookup_path}__startswith": area.path})


def public_name(pk, display_name) -> str:
    """The name the platform shows for a person (see User.public_name), from two columns only."""
    if pk is None:
        return ""
    return display_name or _("Resident %(number)s") % {"number": pk}


def person(prefix: str) -> dict:
    """Where a person's public name comes from: `**person("author")` reads author_id and
    author__display_name."""
    return {
        "source": lambda record, context: public_name(record[f"{prefix}_id"], record[f"{prefix}__display_name"]),
        "reads": (f"{prefix}_id", f"{prefix}__display_name"),
    }


def page_url(context: dict, route: str, *args) -> str:
    return context["base_url"] + reverse(route, args=args)


def link(route: str, key: str = "id") -> dict:
    """Where the full address of the record's page comes from: `**link("proposals:proposal-detail")` reverses the
    route with the record's `key`."""
    return {"source": lambda record, context: page_url(context, route, lookup(record, key)), "reads": (key,)}


def ratio(part, whole, step: Decimal):
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(step, ROUND_HALF_UP)
