"""The work pages: the live queue of grid workers and units (new, due soon, overdue; the list refreshes
itself without a reload), and the officials' escalations (督办)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from civic import pagecache
from civic.predicates import area_roles_of
from civic.views.shared import require_page_perm

from .. import pages
from ..forms import AcknowledgeForm
from ..predicates import INTAKE_ROLES
from ..selectors import escalations_for, intake_queue, rows_valid_until, unit_queue
from ..selectors.reports import units_worked_by
from .board import _decorate

REFRESH_SECONDS = 20


def _queue_context(queue, now) -> dict:
    for rows in (queue.overdue, queue.due_soon, queue.new, queue.other):
        _decorate(rows, now)
    # A row moves to "due soon" and then to "overdue" as the clock passes its deadline: kept until then.
    every = [*queue.overdue, *queue.due_soon, *queue.new, *queue.other]
    soon = timedelta(hours=settings.CASEWORK_DUE_SOON_HOURS)
    return {"queue": queue, "valid_until": rows_valid_until(every, now, soon=soon)}


def _queues(user, units: list) -> dict:
    """The person's queues, each a part shared by everyone who works it: the intake queue of the areas they
    cover (keyed by those areas), and each unit's queue (keyed by the unit). Whose queues they are is read
    for every request (roles, memberships: the permission), before any kept part is served."""
    if user.is_superuser:
        paths: list[str] = ["*"]
    else:
        paths = sorted({path for role, path in area_roles_of(user) if role in INTAKE_ROLES})
    codes = ["*"] if paths == ["*"] else [path.strip("/").split("/")[-1] for path in paths]

    def intake():
        now = timezone.now()
        return {**_queue_context(intake_queue(user, now=now), now), "show_empty": not units}

    parts = {
        "intake": pagecache.Part(
            "casework-intake-queue", pages.intake_queue_scopes(codes), (tuple(paths), not units), intake
        )
        if paths or not units
        else None,
        "units": [
            (
                unit,
                pagecache.Part(
                    "casework-unit-queue",
                    pages.unit_queue_scopes(unit.pk),
                    (unit.pk,),
                    lambda unit=unit: _queue_context(unit_queue(unit, now=timezone.now()), timezone.now()),
                ),
            )
            for unit in units
        ],
    }
    return {"intake_part": parts["intake"], "units": parts["units"], "now": timezone.now()}


@login_required
def work_queue(request):
    units = units_worked_by(request.user)  # read once, for the permission and the lists
    require_page_perm(request, "casework.view_queue")
    context = {**_queues(request.user, units), "refresh_seconds": REFRESH_SECONDS}
    return render(request, "casework/queue.html", context)


@login_required
def work_queue_fragment(request):
    """The queue's lists alone, which the page fetches every REFRESH_SECONDS seconds."""
    units = units_worked_by(request.user)
    require_page_perm(request, "casework.view_queue")
    return render(request, "casework/_queue_lists.html", _queues(request.user, units))


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
