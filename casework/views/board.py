"""The public side: the casework start page, the board of an area (filters, keyset pages, printable), the
overdue list and my reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode

from civic import pagecache
from civic.models import Area, AreaLevel
from civic.selectors import area_ancestors, effective_verification

from .. import pages
from ..models import ReportState
from ..selectors import (
    STATUS_GROUPS,
    Cursor,
    board,
    categories_in,
    my_reports,
    next_overdue_in,
    overdue_in,
    rows_valid_until,
)
from .presenting import state_class

MY_PER_PAGE = 20


def _decorate(rows, now=None):
    now = now or timezone.now()
    for report in rows:
        report.badge = state_class(report.state)
        report.late = report.is_overdue(now)
    return rows


def casework_home(request):
    """Where a resident starts: report a problem, my reports, and the boards of the districts. The list of
    boards is shared (the whole page for visitors not signed in); the buttons are each person's own."""
    part = pagecache.Part("casework-home", ["areas"], (), _home_context, request=request)
    return pagecache.whole_page(request, part, lambda: _home_page(request, part))


def _home_context() -> dict:
    return {"districts": Area.objects.filter(level__in=[AreaLevel.CITY, AreaLevel.DISTRICT]).order_by("path")}


def _home_page(request, part):
    verification = effective_verification(request.user) if request.user.is_authenticated else None
    return render(
        request, "casework/home.html", {"part": part, "own_cell": verification.cell if verification else None}
    )


def area_board(request, code):
    """The public board of an area: one shared rendering per area, filters, page and language, kept until a
    report under the area (or a name it shows) changes, or until a shown report turns overdue. The Part is
    made before anything is read; a visitor not signed in whose page is kept costs that one read."""
    part = pagecache.Part(
        "casework-board",
        pages.board_scopes(code),
        (code, sorted(request.GET.lists())),
        lambda: _board_context(request.GET, area),
        request=request,
        signed_in_page=True,  # nothing personal but the header ("Report a problem" is every signed-in reader's)
    )
    if kept := pagecache.kept_page(request, part, dict):
        return kept
    area = get_object_or_404(Area, code=code)
    return pagecache.whole_page(
        request, part, lambda: render(request, "casework/board.html", {"area": area, "part": part}), reader=dict
    )


def _board_context(params, area) -> dict:
    """What the board shows (read only when its part must be rendered)."""
    now = timezone.now()
    status = params.get("status", "")
    status = status if status in STATUS_GROUPS else ""
    state = params.get("state", "")
    state = state if state in ReportState.values else ""
    categories = categories_in(area, include_withdrawn=True)
    keys = {c.key for c in categories}
    category_key = params.get("category", "")
    category_key = category_key if category_key in keys else ""
    cells = list(
        Area.objects.filter(level=AreaLevel.GRID, path__startswith=area.path)
        .only("code", "name")
        .order_by("path")[:300]
    )
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
    # Overdue badges turn on at the shown rows' deadlines; the overdue filter gains rows at any deadline under
    # the area (and the rows it shows leave it only by a write, which bumps).
    valid_until = next_overdue_in(area, now) if overdue else rows_valid_until(page.rows, now)
    return {
        "ancestors": area_ancestors(area),
        "rows": _decorate(page.rows, now),
        "next_url": next_url,
        "first_url": f"?{urlencode(filters)}" if after else "",
        "categories": categories,
        "cells": cells,
        "filters": filters,
        "status_choices": [("open", ReportState.SUBMITTED), ("closed", ReportState.CLOSED)],
        "states": ReportState.choices,
        "valid_until": valid_until,
    }


def area_overdue(request, code):
    """Overdue reports of an area, shared like the board; it gains a row when any report under the area
    passes its limit, so it holds until the next such moment."""
    part = pagecache.Part(
        "casework-overdue",
        pages.board_scopes(code),
        (code,),
        lambda: _overdue_context(area),
        request=request,
        signed_in_page=True,  # nothing personal but the header
    )
    if kept := pagecache.kept_page(request, part, dict):
        return kept
    area = get_object_or_404(Area, code=code)
    return pagecache.whole_page(
        request, part, lambda: render(request, "casework/overdue.html", {"area": area, "part": part}), reader=dict
    )


def _overdue_context(area) -> dict:
    now = timezone.now()
    return {"rows": _decorate(overdue_in(area), now), "valid_until": next_overdue_in(area, now)}


@login_required
def my_report_list(request):
    paginator = Paginator(my_reports(request.user), MY_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    _decorate(page.object_list)
    return render(request, "casework/mine.html", {"page": page})
