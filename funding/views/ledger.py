"""The public ledger: an area's page with its balances and entries, and CSV/JSON exports.

Exports stream: rows are read in chunks and written as they come, so a city-wide export does not sit in
memory. They carry no personal data: no one's name, only the project, the area and the figures.
"""

import json
import re

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from civic.errors import InvalidInput
from civic.exports import csv_lines, spreadsheet_text
from civic.models import Area

from .. import selectors
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


def area_ledger(request, code):
    """An area's public ledger: what is charged against each area-year cap, and every entry with running totals."""
    area = get_object_or_404(Area, code=code)
    year = parse_year(request.GET.get("year"))
    page = Paginator(selectors.ledger_entries(area=area, year=year), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    head_id, head = selectors.chain_head()
    for entry in page.object_list:
        entry.condition_label = CONDITIONS.get(entry.condition, entry.condition)
    return render(
        request,
        "funding/ledger/area_ledger.html",
        {
            "area": area,
            "year": year,
            "years": selectors.ledger_years(area),
            "charges": selectors.area_charges(area, year),
            "page": page,
            "query": f"year={year}" if year else "",
            "chain_head": head,
            "chain_head_short": short(head),
            "chain_head_entry": head_id or 0,
        },
    )
