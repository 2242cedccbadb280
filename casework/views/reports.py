"""A report's pages: filing (with the similar open reports first), the public page with its timeline and the
forms of whoever may act on it now, one small view per action, and its photos."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic import pagecache
from civic.errors import InvalidInput, NotAllowed
from civic.forms import submit
from civic.media import file_response
from civic.models import Area, AreaLevel
from civic.selectors import area_ancestors, effective_verification
from civic.views.shared import refuse_unless

from .. import pages, services
from ..forms import (
    AcknowledgeForm,
    ClockStopForm,
    DispatchForm,
    MergeForm,
    OptionalReasonForm,
    RatingForm,
    ReasonForm,
    ReferForm,
    ReportForm,
    ResolveForm,
    ReturnForm,
)
from ..models import (
    OPEN_STATES,
    WITH_UNIT,
    Escalation,
    RatingChannel,
    Report,
    ReportChannel,
    ReportPhoto,
    ReportState,
    Unit,
)
from ..predicates import takes_in
from ..selectors import categories_in, category_in, is_following, report_detail, similar_open, units_serving
from ..selectors.reports import running_due
from .presenting import present_event, state_class

S = ReportState


def _cell_from(request) -> Area | None:
    code = (request.GET.get("cell") or request.POST.get("cell") or "").strip()[:32]
    if code:
        return Area.objects.filter(code=code).first()
    verification = effective_verification(request.user)
    return verification.cell if verification else None


def _walk(area: Area | None):
    """The areas to choose from when walking the tree towards a grid cell."""
    if area is None:
        return Area.objects.filter(parent__isnull=True).order_by("code")
    return Area.objects.filter(parent=area).order_by("code")


@login_required
def report_new(request):
    """Report a problem: choose the grid cell (one's own by default, any by walking the tree), the category,
    the place, photos and text. The open reports of that category in that cell are shown first."""
    cell = _cell_from(request)
    walk_from = None
    if request.GET.get("walk") is not None or cell is None:
        walk_code = request.GET.get("walk") or ""
        walk_from = Area.objects.filter(code=walk_code[:32]).first() if walk_code else None
        if walk_from is not None and walk_from.level == AreaLevel.GRID:
            cell, walk_from = walk_from, None
        else:
            return render(
                request,
                "casework/report_walk.html",
                {
                    "walk_from": walk_from,
                    "ancestors": area_ancestors(walk_from) if walk_from else [],
                    "choices": _walk(walk_from),
                },
            )
    if cell.level != AreaLevel.GRID:
        return redirect(f"{reverse('casework:report-new')}?walk={cell.code}")
    staff = takes_in(request.user, cell)
    if not staff and not request.user.has_perm("casework.report", cell):
        return render(request, "casework/report_not_verified.html", {"cell": cell}, status=403)
    categories = categories_in(cell)
    posted = request.method == "POST"
    form = ReportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        categories=categories,
        staff=staff,
        initial={"category": request.GET.get("category", "")},
    )
    chosen_key = (request.POST.get("category") if posted else request.GET.get("category")) or ""
    chosen = next((c for c in categories if c.key == chosen_key), None)
    similar = similar_open(cell, chosen.key) if chosen else []
    if posted and "check" not in request.POST:
        done = submit(
            form,
            lambda data: services.report_file(
                actor=request.user,
                cell=cell,
                category=category_in(cell, data["category"]),
                place=data["place"],
                text=data["text"],
                files=data["photos"],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                channel=data.get("channel") or ReportChannel.ONLINE,
                reporter_name=data.get("reporter_name", ""),
                reporter_phone=data.get("reporter_phone", ""),
            ),
        )
        if done:
            messages.success(request, _("Thank you: your report is number %(number)s.") % {"number": done.value.pk})
            return redirect(done.value)
        status = done.status
    else:
        status = 200
    if posted and "check" in request.POST:
        form.errors.clear()
    return render(
        request,
        "casework/report_new.html",
        {
            "cell": cell,
            "ancestors": area_ancestors(cell),
            "form": form,
            "chosen": chosen,
            "similar": similar,
            "staff": staff,
        },
        status=status,
    )


@login_required
def similar_fragment(request):
    """The open reports of a category in a cell, for the filing page's script (HTML fragment)."""
    cell = Area.objects.filter(code=(request.GET.get("cell") or "")[:32], level=AreaLevel.GRID).first()
    key = (request.GET.get("category") or "")[:40]
    if cell is None or not key:
        raise Http404
    return render(request, "casework/_similar.html", {"similar": similar_open(cell, key), "cell": cell})


def _actions(user, report: Report) -> dict:
    """Which forms the page offers this person now (the services decide again on submission)."""
    state = report.state
    can = {
        "intake": user.has_perm("casework.dispatch", report),
        "refer": user.has_perm("casework.refer", report),
        "unit": user.has_perm("casework.handle", report),
        "reporter": rules.has_perm("casework.withdraw", user, report),
        "callback": user.has_perm("casework.rate_callback", report),
    }
    offered = {
        "accept": can["intake"] and state == S.SUBMITTED,
        "reject": can["intake"] and state == S.SUBMITTED,
        "merge": can["intake"] and state in (S.SUBMITTED, S.ACCEPTED),
        "dispatch": can["intake"] and state == S.ACCEPTED,
        "refer": can["refer"] and state == S.ACCEPTED,
        "start": can["unit"] and state == S.DISPATCHED,
        "return": can["unit"] and state in WITH_UNIT,
        "resolve": can["unit"] and state == S.IN_PROGRESS,
        "withdraw": can["reporter"] and state in (S.SUBMITTED, S.ACCEPTED),
        "rate": can["reporter"] and state == S.RESOLVED,
        "callback": can["callback"] and state == S.RESOLVED and not can["reporter"],
    }
    handler_now = can["unit"] if state in WITH_UNIT else can["intake"]
    running = state in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS)
    offered["clock_stop"] = (
        handler_now and running and report.category.clock_stop_allowed and report.clock_stopped_at is None
    )
    offered["clock_resume"] = handler_now and report.clock_stopped_at is not None
    offered["follow"] = (
        user.is_authenticated
        and not can["reporter"]
        and state in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED)
        and user.has_perm("casework.follow", report)
    )
    offered["private"] = can["intake"] or can["unit"] or user.is_superuser
    return offered


def report_detail_page(request, pk):
    """A report's page. What every visitor sees alike (the facts, photos, escalations and steps) is shared:
    the whole page for visitors not signed in, kept before anything is read; the forms of whoever may act
    stay each person's own. The report's handlers, its reporter and the officials who answer escalations
    see more (private facts, hidden photos, the names behind steps, acknowledge forms): their page is
    rendered for them."""
    part = pagecache.Part(
        "casework-report", pages.report_scopes(pk), (pk,), lambda: _shared_report(pk), request=request
    )
    if kept := pagecache.kept_page(request, part):
        return kept
    report = get_object_or_404(Report.objects.select_related("category", "cell__parent", "unit__organisation"), pk=pk)
    user = request.user
    act = _actions(user, report)
    own = user.is_authenticated and report.reporter_id == user.pk
    if report.is_hidden and not (act["private"] or own):
        raise Http404
    if act["private"] or own or report.is_hidden or user.has_perm("casework.view_escalations"):
        part = pagecache.Part(
            "casework-report",
            [],
            (pk,),
            lambda: _shared_report(pk, user=user, show_private=act["private"], own=own),
            cache=False,
        )
    units = list(units_serving(report.cell, report.category_key)) if act["dispatch"] or act["return"] else []
    context = {
        "report": report,
        "part": part,
        "act": act,
        "own": own,
        "following": is_following(user, report),
        "reason_form": ReasonForm(auto_id="reject-%s"),
        "optional_reason_form": OptionalReasonForm(auto_id="withdraw-%s"),
        "merge_form": MergeForm(auto_id="merge-%s"),
        "dispatch_form": DispatchForm(units=units, default=report.category.default_unit, auto_id="dispatch-%s")
        if act["dispatch"]
        else None,
        "refer_form": ReferForm(auto_id="refer-%s"),
        "return_form": ReturnForm(units=[u for u in units if u.pk != report.unit_id], auto_id="return-%s")
        if act["return"]
        else None,
        "resolve_form": ResolveForm(auto_id="resolve-%s"),
        "rating_form": RatingForm(initial={"channel": RatingChannel.SELF}, auto_id="rate-%s"),
        "callback_form": RatingForm(initial={"channel": RatingChannel.CALLBACK}, auto_id="callback-%s"),
        "clock_form": ClockStopForm(auto_id="clock-%s"),
    }
    return pagecache.whole_page(request, part, lambda: render(request, "casework/report_detail.html", context))


def _shared_report(pk, *, user=None, show_private: bool = False, own: bool = False) -> dict:
    """What the report's page shows of it (its shared parts): the public view, or, for a handler or the
    reporter, with what they may see besides."""
    report = report_detail(pk)
    now = timezone.now()
    photos = [p for p in report.photos.all() if not p.is_hidden or show_private or own]
    escalations = list(report.escalations.all())
    due = running_due(report) if report.state in OPEN_STATES else None
    return {
        "report": report,
        "state_class": state_class(report.state),
        "overdue": report.is_overdue(now),
        "photos_before": [p for p in photos if p.stage == "reported"],
        "photos_after": [p for p in photos if p.stage == "after"],
        "events": [present_event(e, show_private=show_private) for e in report.events.all()],
        "escalations": escalations,
        "can_acknowledge": {
            e.pk for e in escalations if not e.acknowledged_at and user.has_perm("casework.acknowledge", e)
        }
        if user is not None and user.is_authenticated
        else set(),
        "ratings": list(report.ratings.all()),
        "valid_until": due if due is not None and due > now else None,
    }


def _report(pk) -> Report:
    return get_object_or_404(Report.objects.select_related("cell", "category", "unit__organisation"), pk=pk)


def _unit(pk) -> Unit | None:
    if not pk:
        return None
    unit = Unit.objects.select_related("organisation").filter(pk=pk).first()
    if unit is None:
        raise InvalidInput("unit_unknown", _("There is no such unit."), field="unit")
    return unit


ACTION_DONE = {
    "accept": _("Accepted."),
    "reject": _("Rejected."),
    "withdraw": _("Withdrawn."),
    "merge": _("Merged."),
    "dispatch": _("Dispatched."),
    "refer": _("Referred on."),
    "start": _("Handling started."),
    "return": _("Returned to the dispatcher."),
    "resolve": _("Marked resolved: the reporter is asked to rate it."),
    "rate": _("Thank you for your rating."),
    "follow": _("You are told at every step of this report."),
    "clock-stop": _("The clock is stopped."),
    "clock-resume": _("The clock runs again."),
}


@login_required
@require_POST
def report_action(request, pk, action):
    report = _report(pk)
    user = request.user
    post, files = request.POST, request.FILES

    def run(form, call):
        done = submit(form, call)
        refuse_unless(done, form)
        return done.value

    if action == "accept":
        services.report_accept(actor=user, report=report)
    elif action == "reject":
        run(ReasonForm(post), lambda d: services.report_reject(actor=user, report=report, reason=d["reason"]))
    elif action == "withdraw":
        run(OptionalReasonForm(post), lambda d: services.report_withdraw(actor=user, report=report, reason=d["reason"]))
    elif action == "merge":

        def merge(data):
            into = Report.objects.filter(pk=data["into"]).first()
            if into is None:
                raise InvalidInput("merge_target_invalid", _("There is no report with that number."), field="into")
            return services.report_merge(actor=user, report=report, into=into)

        run(MergeForm(post), merge)
    elif action == "dispatch":
        unit = _unit((post.get("unit") or "").strip()[:20] if (post.get("unit") or "").strip().isdigit() else None)
        services.report_dispatch(actor=user, report=report, unit=unit)
    elif action == "refer":
        run(
            ReferForm(post),
            lambda d: services.report_refer(
                actor=user, report=report, referred_to=d["referred_to"], reason=d["reason"]
            ),
        )
    elif action == "start":
        services.report_start(actor=user, report=report)
    elif action == "return":
        suggested = (post.get("suggested_unit") or "").strip()
        form = ReturnForm(post, units=Unit.objects.filter(pk=suggested) if suggested.isdigit() else [])
        run(
            form,
            lambda d: services.report_return(
                actor=user, report=report, reason=d["reason"], suggested_unit=_unit(d.get("suggested_unit"))
            ),
        )
    elif action == "resolve":
        run(
            ResolveForm(post, files),
            lambda d: services.report_resolve(actor=user, report=report, note=d["note"], files=d["photos"]),
        )
    elif action == "rate":
        run(
            RatingForm(post),
            lambda d: services.report_rate(
                actor=user, report=report, level=d["level"], comment=d["comment"], channel=d["channel"]
            ),
        )
    elif action == "follow":
        services.report_follow(actor=user, report=report)
    elif action == "clock-stop":
        run(
            ClockStopForm(post),
            lambda d: services.clock_stop(actor=user, report=report, reason=d["reason"], note=d["note"]),
        )
    elif action == "clock-resume":
        services.clock_resume(actor=user, report=report)
    else:
        raise Http404
    messages.success(request, ACTION_DONE[action])
    return redirect(report)


@login_required
@require_POST
def escalation_acknowledge(request, pk):
    escalation = get_object_or_404(Escalation.objects.select_related("area", "report"), pk=pk)
    form = AcknowledgeForm(request.POST)
    done = submit(
        form, lambda d: services.escalation_acknowledge(actor=request.user, escalation=escalation, note=d["note"])
    )
    refuse_unless(done, form)
    messages.success(request, _("Escalation acknowledged."))
    target = request.POST.get("next") or ""
    if target == "escalations":
        return redirect("casework:escalations")
    return redirect(escalation.report)


def report_photo(request, pk, photo_pk):
    """A report's photo: public unless moderation hid it (then the handlers and the reporter only)."""
    photo = get_object_or_404(
        ReportPhoto.objects.select_related("report__cell", "report__unit"), pk=photo_pk, report_id=pk
    )
    report = photo.report
    own = request.user.is_authenticated and report.reporter_id == request.user.pk
    if photo.is_hidden or report.is_hidden:
        if not (own or request.user.has_perm("casework.view_private", report)):
            raise NotAllowed("not_allowed", _("This photo is hidden by moderation."))
        return file_response(photo.image.storage, photo.image.name, display_name=f"report-{report.pk}-{photo.pk}")
    return file_response(
        photo.image.storage, photo.image.name, display_name=f"report-{report.pk}-{photo.pk}", private=False
    )
