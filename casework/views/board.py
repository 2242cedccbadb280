"""The public side: the casework start page, the board of an area (filters, keyset pages, printable), the
overdue list and my reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from civic.models import Area, AreaLevel
from civic.selectors import area_ancestors, effective_verification

from ..models import ReportState
from ..selectors import STATUS_GROUPS, Cursor, board, categories_in, my_reports, overdue_in
from .presenting import state_class

MY_PER_PAGE = 20


def _decorate(rows):
    for report in rows:
        report.badge = state_class(report.state)
        report.late = report.is_overdue()
    return rows


def casework_home(request):
    """Where a resident starts: report a problem, my reports, and the boards of the districts."""
    verification = effective_verification(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "casework/home.html",
        {
            "own_cell": verification.cell if verification else None,
            "districts": Area.objects.filter(level__in=[AreaLevel.CITY, AreaLevel.DISTRICT]).order_by("path"),
        },
    )


def area_board(request, code):
    area = get_object_or_404(Area, code=code)
    params = request.GET
    status = params.get("status", "")
    status = status if status in STATUS_GROUPS else ""
    state = params.get("state", "")
    state = state if state in ReportState.values else ""
    categories = categories_in(area, include_withdrawn=True)
    keys = {c.key for c in categories}
    category_key = params.get("category", "")
    category_key = category_key if category_key in keys else ""
    cells = list(Area.objects.filter(level=AreaLevel.GRID, path__startswith=area.path).order_by("path")[:300])
    cell_code = params.get("cell", "")
    cell = next((c for c in cells if c.code == cell_code), None)
    overdue = params.get("overdue") == "1"
    after = Cursor.parse(params.get("after"))
    page = board(area, status=status, state=state, category_key=category_key, cell=cell, overdue=overdue, after=after)
    filters = {
        key: value
        for key, value in (
            ("status", status),
            ("state", state),
            ("category", category_key),
            ("cell", cell.code if cell else ""),
            ("overdue", "1" if overdue else ""),
        )
        if value
    }
    next_url = f"?{urlencode({**filters, 'after': str(page.next_cursor)})}" if page.next_cursor else ""
    return render(
        request,
        "casework/board.html",
        {
            "area": area,
            "ancestors": area_ancestors(area),
            "rows": _decorate(page.rows),
            "next_url": next_url,
            "first_url": f"?{urlencode(filters)}" if after else "",
            "categories": categories,
            "cells": cells,
            "filters": filters,
            "status_choices": [("open", ReportState.SUBMITTED), ("closed", ReportState.CLOSED)],
            "states": ReportState.choices,
        },
    )


def area_overdue(request, code):
    area = get_object_or_404(Area, code=code)
    return render(
        request,
        "casework/overdue.html",
        {"area": area, "ancestors": area_ancestors(area), "rows": _decorate(overdue_in(area))},
    )


@login_required
def my_report_list(request):
    paginator = Paginator(my_reports(request.user), MY_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    _decorate(page.object_list)
    return render(request, "casework/mine.html", {"page": page})
