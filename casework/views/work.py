"""The work pages: the live queue of grid workers and units (new, due soon, overdue; the list refreshes
itself without a reload), and the officials' escalations (督办)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civic import pagecache
from civic.predicates import area_roles_of
from civic.views.shared import require_page_perm

from .. import pages
from ..forms import AcknowledgeForm
from ..models import Unit
from ..predicates import INTAKE_ROLES
from ..selectors import escalations_for, intake_queue, rows_valid_until, unit_queue
from ..selectors.reports import queue_worker
from .board import _decorate

REFRESH_SECONDS = 20


def _queue_context(queue, now) -> dict:
    for rows in (queue.overdue, queue.due_soon, queue.new, queue.other):
        _decorate(rows, now)
    # A row moves to "due soon" and then to "overdue" as the clock passes its deadline: kept until then.
    every = [*queue.overdue, *queue.due_soon, *queue.new, *queue.other]
    soon = timedelta(hours=settings.CASEWORK_DUE_SOON_HOURS)
    return {"queue": queue, "valid_until": rows_valid_until(every, now, soon=soon)}


def _queues(request, *, encoded: bool = False) -> str | bytes:
    """The person's queues, one rendering shared by everyone who works the same ones: the intake queue of the
    areas they cover (keyed by those areas), and the queue of each unit they belong to (keyed by the units;
    the members of a unit share it). Whose queues they are is read for every request, in one query with the
    permission (roles, memberships), before the kept rendering is served. The whole is one kept part, read
    with its versions in one more query; `encoded`: as the UTF-8 bytes a response sends (a kept rendering
    as read, not decoded and encoded back)."""
    user = request.user
    unit_ids = tuple(queue_worker(user))  # read once, for the permission and the lists
    require_page_perm(request, "casework.view_queue")
    if user.is_superuser:
        paths: list[str] = ["*"]
    else:
        paths = sorted({path for role, path in area_roles_of(user) if role in INTAKE_ROLES})
    codes = ["*"] if paths == ["*"] else [path.strip("/").split("/")[-1] for path in paths]
    intake = bool(paths) or not unit_ids
    scopes = [
        *(pages.intake_queue_scopes(codes) if intake else pages.COMMON),
        *(f"casework-unit:{pk}" for pk in unit_ids),
    ]

    def context() -> dict:
        now = timezone.now()
        shown: dict = {"intake": None, "units": []}
        if intake:
            shown["intake"] = {**_queue_context(intake_queue(user, now=now), now), "show_empty": not unit_ids}
        units = Unit.objects.filter(pk__in=unit_ids).select_related("organisation").order_by("organisation__name")
        shown["units"] = [(unit, _queue_context(unit_queue(unit, now=now), now)) for unit in units]
        times = [c["valid_until"] for c in [shown["intake"], *(c for _u, c in shown["units"])] if c]
        shown["valid_until"] = min((t for t in times if t is not None), default=None)
        return shown

    part = pagecache.Part("casework-queue", scopes, (tuple(paths), unit_ids), context)
    build = lambda: render_to_string("casework/_queue_lists.html", part.context())  # noqa: E731
    return part.render_bytes("lists", build) if encoded else part.render("lists", build)


def _as_of(now) -> str:
    return format_html('<p class="muted">{}</p>', _("As of %(when)s") % {"when": date_filter(now, "H:i:s")})


@login_required
def work_queue(request):
    lists = _queues(request)
    return render(
        request,
        "casework/queue.html",
        {"lists": mark_safe(lists), "as_of": _as_of(timezone.now()), "refresh_seconds": REFRESH_SECONDS},
    )


@login_required
def work_queue_fragment(request):
    """The queue's lists alone, which the page fetches every REFRESH_SECONDS seconds: the kept rendering and
    the time, with no template."""
    return HttpResponse(_queues(request, encoded=True) + _as_of(timezone.now()).encode())


@login_required
def escalation_list(request):
    require_page_perm(request, "casework.view_escalations")
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "casework/escalations.html",
        {
            "escalations": escalations_for(request.user, open_only=not show_all),
            "show_all": show_all,
            "form": AcknowledgeForm(),
        },
    )
