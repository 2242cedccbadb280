"""Open data pages: the list of an area's datasets with their fields, and the CSV and JSON downloads.

Downloads stream: rows are read in chunks and written as they come, so a city-wide file of 10,000 rows
never sits in memory. CSV is UTF-8 with a byte-order mark, so spreadsheets read Chinese correctly.
"""

import json

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from civic import pagecache
from civic.exports import csv_lines
from civic.models import Area

from .. import opendata

ROWS_PER_WRITE = 200


def _area(code) -> Area | None:
    return None if code is None else get_object_or_404(Area, code=code)


def _dataset(name) -> opendata.Dataset:
    found = opendata.dataset(name)
    if found is None:
        raise Http404
    return found


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _csv_stream(dataset, area, base_url):
    return csv_lines(
        dataset.field_names,
        (opendata.csv_cells(dataset, row) for row in dataset.rows(area, base_url)),
        batch=ROWS_PER_WRITE,
    )


def _json_stream(dataset, area, base_url):
    head = {
        "dataset": dataset.name,
        "area": area.code if area else None,
        "area_name": area.name if area else None,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "fields": [{"name": f.name, "type": f.type, "meaning": str(f.meaning)} for f in dataset.fields],
    }
    # The header object is written without its closing brace, then the rows one by one.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    first = True
    for row in dataset.rows(area, base_url):
        yield ("" if first else ",") + json.dumps(opendata.json_row(dataset, row), ensure_ascii=False)
        first = False
    yield "]}"


def opendata_download(request, dataset, fmt, code=None):
    """One dataset of an area (and everything under it), or of the whole city, as CSV or JSON."""
    area = _area(code)
    found = _dataset(dataset)
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_stream(found, area, _base_url(request)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            _json_stream(found, area, _base_url(request)), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{opendata.filename(area, found.name, fmt)}"'
    response["Cache-Control"] = "no-cache"
    return response


def download_urls(dataset: opendata.Dataset, area: Area | None) -> dict:
    if area is None:
        return {
            "csv": reverse("scorecard:opendata-city-csv", args=[dataset.name]),
            "json": reverse("scorecard:opendata-city-json", args=[dataset.name]),
            "api": reverse("api:opendata-city-rows", args=[dataset.name]),
        }
    return {
        "csv": reverse("scorecard:opendata-csv", args=[area.code, dataset.name]),
        "json": reverse("scorecard:opendata-json", args=[area.code, dataset.name]),
        "api": reverse("api:opendata-rows", args=[area.code, dataset.name]),
    }


def _index_context(area: Area | None) -> dict:
    datasets = [
        {"dataset": d, "urls": download_urls(d, area), "fields": [(f, opendata.TYPES[f.type]) for f in d.fields]}
        for d in opendata.DATASETS.values()
    ]
    return {
        "area": area,
        "datasets": datasets,
        "budgets": list(opendata.budget_ballots(area)[:50]),
        "catalogue_url": reverse("api:opendata", args=[area.code]) if area else reverse("api:opendata-city"),
        "children": list(area.children.order_by("code")) if area else list(Area.objects.filter(parent=None)),
    }


def opendata_index(request, code=None):
    """The datasets of an area (or the whole city), with download links and every field explained. Kept
    exactly for visitors (scorecard.pages: the counted budgets listed and the areas below)."""
    from ..pages import opendata_scopes

    part = pagecache.Part("opendata-index", opendata_scopes(code), (code or "",), lambda: {}, request=request)
    if kept := pagecache.kept_page(request, part):  # one query: the area is read only on a miss
        return kept
    area = _area(code)  # read after the versions, as what is shown
    return pagecache.whole_page(request, part, lambda: render(request, "scorecard/opendata.html", _index_context(area)))
