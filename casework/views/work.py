"""The work pages: the live queue of grid workers and units (new, due soon, overdue; the list refreshes
itself without a reload), and the officials' escalations (督办)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from civic.views.shared import require_page_perm

from ..forms import AcknowledgeForm
from ..selectors import escalations_for, intake_queue, unit_queue, units_of
from .board import _decorate

REFRESH_SECONDS = 20


def _queues(user):
    now = timezone.now()
    intake = intake_queue(user, now=now)
    units = [(unit, unit_queue(unit, now=now)) for unit in units_of(user)]
    for queue in [intake, *(q for _u, q in units)]:
        for rows in (queue.overdue, queue.due_soon, queue.new, queue.other):
            _decorate(rows)
    return {"intake": intake, "units": units, "now": now, "show_intake": intake.count or not units}


@login_required
def work_queue(request):
    require_page_perm(request, "casework.view_queue")
    return render(request, "casework/queue.html", {**_queues(request.user), "refresh_seconds": REFRESH_SECONDS})


@login_required
def work_queue_fragment(request):
    """The queue's lists alone, which the page fetches every REFRESH_SECONDS seconds."""
    require_page_perm(request, "casework.view_queue")
    return render(request, "casework/_queue_lists.html", _queues(request.user))


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
