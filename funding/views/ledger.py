"""The public ledger: an area's page with its balances and entries, and CSV/JSON exports.

Exports stream: rows are read in chunks and written as they come, so a city-wide export does not sit in
memory. They carry no personal data: no one's name, only the project, the area and the figures.
"""

import json
import re

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from civic import pagecache
from civic.errors import InvalidInput
from civic.exports import csv_lines, spreadsheet_text
from civic.models import Area

from .. import pages, selectors
from ..chain import short
from ..models import AdvanceCondition, MicroProject
from ..selectors.ledger import EXPORT_FIELDS, export_row

CONDITIONS = dict(AdvanceCondition.choices)
PAGE_SIZE = 50
CHUNK = 2000


def parse_year(value) -> int | None:
    """The `?year=` of a ledger address: nothing, or a calendar year such as 2025."""
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 1900 <= year <= 9999:
        raise InvalidInput("year_invalid", _("Enter a year such as 2025."), field="year")
    return year


def _csv_stream(rows):
    def cells():
        for row in rows.iterator(chunk_size=CHUNK):
            item = export_row(row)
            for key in ("project_title", "memo", "condition"):
                item[key] = spreadsheet_text(item[key])
            yield [item[name] for name in EXPORT_FIELDS]

    return csv_lines(EXPORT_FIELDS, cells())


def _json_stream(rows):
    yield "["
    first = True
    for row in rows.iterator(chunk_size=CHUNK):
        yield ("" if first else ",") + json.dumps(export_row(row), ensure_ascii=False)
        first = False
    yield "]"


def _export(filters: dict, filename: str, fmt: str) -> StreamingHttpResponse:
    """The export of the entries up to the chain head read first; the head is sent in the `X-Ledger-Head`
    header (hash) and `X-Ledger-Head-Entry` (its id), and every row carries its own and its predecessor's
    hash (docs/subsidy.md)."""
    head_id, head = selectors.chain_head()
    rows = selectors.entries_for_export(**filters, up_to=head_id or 0)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_stream(rows), content_type="application/json; charset=utf-8")
    filename = re.sub(r"[^A-Za-z0-9_-]", "_", filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Ledger-Head"] = head
    response["X-Ledger-Head-Entry"] = str(head_id or "")
    return response


def project_ledger_export(request, pk, fmt):
    """A project's ledger entries as CSV (UTF-8 with a BOM, for spreadsheets) or JSON."""
    project = get_object_or_404(MicroProject, pk=pk)
    return _export({"project": project}, f"ledger-project-{project.pk}", fmt)


def area_ledger_export(request, code, fmt):
    """The ledger of the projects in an area and every area under it, optionally one charge year."""
    area = get_object_or_404(Area, code=code)
    year = parse_year(request.GET.get("year"))
    name = f"ledger-{area.code}" + (f"-{year}" if year else "")
    return _export({"area": area, "year": year}, name, fmt)


def parse_after(value) -> int | None:
    """The `?after=` of a ledger page: the id of the last entry of the page before, or nothing."""
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def _ledger_context(area, year, after) -> dict:
    """What the ledger page shows (read only when the cache has no current copy)."""
    entries, next_after = selectors.ledger_page(area, year=year, after=after, size=PAGE_SIZE)
    head_id, head = selectors.chain_head()
    for entry in entries:
        entry.condition_label = CONDITIONS.get(entry.condition, entry.condition)
    query = f"year={year}" if year else ""
    return {
        "area": area,
        "year": year,
        "years": selectors.ledger_years(area),
        "charges": selectors.area_charges(area, year),
        "entries": entries,
        "next_url": "?" + "&".join(filter(None, [query, f"after={next_after}"])) if next_after else "",
        "first_url": "?" + query if after is not None else "",
        "chain_head": head,
        "chain_head_short": short(head),
        "chain_head_entry": head_id or 0,
    }


def area_ledger(request, code):
    """An area's public ledger: what is charged against each area-year cap, and the entries, oldest first,
    with running totals, a page at a time (keyset: `?after=<entry>`). Shared by everyone (funding.pages)."""
    year = parse_year(request.GET.get("year"))
    after = parse_after(request.GET.get("after"))

    # The scopes follow the area's path (the areas above it), remembered for a visitor's kept page
    # (pagecache.by_fact; a change of an area bumps `areas`, one of the page's scopes).
    def make(fact):
        pk, path = fact
        area = Area(pk=pk, code=code, path=path)  # what ledger_scopes reads

        def context():
            fresh = Area.objects.get(pk=pk)
            if (fresh.code, fresh.path) != (code, path):
                part.dont_keep()
            return _ledger_context(fresh, year, after)

        part = pagecache.Part(
            "area-ledger", pages.ledger_scopes(area), (code, path, year, after), context, request=request
        )
        return part

    read: dict = {}

    def fetch():
        read["area"] = get_object_or_404(Area.objects.only("id", "code", "name", "path"), code=code)
        return read["area"].pk, read["area"].path

    part, kept = pagecache.by_fact(request, ("ledger-area", code), fetch, make)
    if kept:
        return kept
    return pagecache.whole_page(
        request, part, lambda: render(request, "funding/ledger/area_ledger.html", {"part": part, "area": read["area"]})
    )
