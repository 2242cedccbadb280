"""Ballot pages: parse, call a service or selector, render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.errors import DomainError, NotAllowed
from civic.forms import apply_domain_error
from civic.models import Area
from civic.predicates import decides_verifications_somewhere
from civic.selectors import areas_for_roles, is_eligible

from .. import services
from ..forms import BoxForm, OptionForm, PaperBatchForm, ScheduleForm
from ..models import BallotBox, BoxKind, BoxState, Participation

User = get_user_model()


def ballot_list(request):
    boxes = BallotBox.objects.exclude(state=BoxState.DRAFT).select_related("area")
    area = Area.objects.filter(code=request.GET.get("area", "")).first()
    if area is not None:
        boxes = boxes.filter(area_path__startswith=area.path)
    page = Paginator(boxes.order_by("-closes_at", "-id"), 20).get_page(request.GET.get("page"))
    for box in page.object_list:
        box.current = box.phase()
    return render(
        request,
        "deliberation/list.html",
        {"page": page, "area": area, "can_create": request.user.is_authenticated and _manages_somewhere(request.user)},
    )


def _manages_somewhere(user) -> bool:
    return user.is_superuser or decides_verifications_somewhere(user)  # an official or organiser anywhere


def _box(pk, user=None) -> BallotBox:
    box = get_object_or_404(BallotBox.objects.select_related("area"), pk=pk)
    if box.state == BoxState.DRAFT and not (
        user and user.is_authenticated and user.has_perm("deliberation.manage_box", box.area)
    ):
        raise Http404
    return box


def _chosen(request) -> list[str]:
    return [c for c in request.POST.getlist("choice") if c]


def ballot_detail(request, pk):
    box = _box(pk, request.user)
    phase = box.phase()
    options = list(box.options.all())
    user = request.user
    voted = user.is_authenticated and Participation.objects.filter(box=box, user=user).exists()
    context = {
        "box": box,
        "phase": phase,
        "options": options,
        "voted": voted,
        "eligible": user.is_authenticated and is_eligible(user, box.area),
        "can_manage": user.is_authenticated and user.has_perm("deliberation.manage_box", box.area),
    }
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"/accounts/login/?next={box.get_absolute_url()}")
        chosen = _chosen(request)
        step = request.POST.get("step")
        try:
            if step == "review":
                # validate first, then show the summary to confirm
                services._validate_choices(box, chosen)
                picked = [o for o in options if o.project_id in chosen]
                total = sum((o.cost or Decimal(0) for o in picked), Decimal(0))
                return render(
                    request,
                    "deliberation/confirm.html",
                    {**context, "picked": picked, "total": total, "receipt": request.POST.get("receipt", "")},
                )
            _ballot, code = services.vote_cast(
                user=user, box=box, choices=chosen, receipt=request.POST.get("receipt") or None
            )
        except DomainError as error:
            context["error"] = error.message
            context["chosen"] = set(chosen)
            return render(request, "deliberation/detail.html", context, status=error.status)
        if code:
            return render(request, "deliberation/receipt.html", {**context, "code": code})
        messages.success(request, _("Your ballot is changed."))
        return redirect(box.get_absolute_url())
    return render(request, "deliberation/detail.html", {**context, "chosen": set()})


def ballot_results(request, pk):
    box = _box(pk, request.user)
    if box.state != BoxState.TALLIED:
        return render(request, "deliberation/results_pending.html", {"box": box, "phase": box.phase()}, status=200)
    result = box.result
    rows = result.get("options", [])
    chart = None
    if box.kind != BoxKind.QUESTION and rows:
        top = max(r["votes"] for r in rows) or 1
        chart = {
            "rows": [
                {**r, "width": round(300 * r["votes"] / top), "y": 12 + i * 30}
                for i, r in enumerate(sorted(rows, key=lambda r: -r["votes"]))
            ]
        }
        chart["height"] = 24 + 30 * len(rows)
    if box.kind == BoxKind.BUDGET:
        spent = Decimal(result["spent"])
        chart["spent_share"] = round(100 * spent / box.budget) if box.budget else 0
        scale = Decimal(400) / max(box.budget, spent, Decimal(1))
        x, segments = Decimal(0), []
        for pid in result.get("selected", []):
            row = next(r for r in rows if r["project_id"] == pid)
            width = Decimal(row["cost"]) * scale
            segments.append({"x": round(x, 1), "width": round(width, 1), "project_id": pid})
            x += width
        chart["segments"] = segments
        chart["budget_x"] = round(box.budget * scale, 1)
        for r in rows:
            r["why"] = explain(r)
    return render(request, "deliberation/results.html", {"box": box, "result": result, "rows": rows, "chart": chart})


def explain(row: dict) -> str:
    p = row.get("params", {})
    messages_by_reason = {
        "greedy_funded": _(
            "Ranked %(rank)s with %(votes)s votes; it still fitted in the budget (¥%(left)s left after it)."
        ),
        "greedy_no_room": _("Ranked %(rank)s with %(votes)s votes; only ¥%(left)s was left when its turn came."),
        "mes_funded": _("Bought in round %(round)s: each supporter paid at most ¥%(payment)s."),
        "mes_unaffordable": _("Its supporters' remaining shares together could not pay for it."),
        "mes_add1_not_funded": _(
            "Even with larger equal shares its supporters could not pay for it within the budget."
        ),
        "no_votes": _("Nobody chose it."),
    }
    template = messages_by_reason.get(row.get("reason"), "")
    try:
        return template % {"votes": row.get("votes"), **p}
    except (KeyError, TypeError, ValueError):
        return template


def receipt_check(request):
    code = (request.GET.get("code") or "").strip()
    ballot = services.receipt_check(code) if code else None
    return render(request, "deliberation/receipt_check.html", {"code": code, "ballot": ballot, "checked": bool(code)})


def export_pb(request, pk):
    box = _box(pk, request.user)
    if box.kind != BoxKind.BUDGET or box.state != BoxState.TALLIED:
        raise Http404
    response = HttpResponse(services.pb_export(box), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-{box.pk}.pb"'
    return response


@login_required
def ballot_new(request):
    area = Area.objects.filter(code=request.GET.get("area") or request.POST.get("area") or "").first()
    if area is None:
        areas = areas_for_roles(request.user, {"official", "organiser"}).exclude(level="grid").order_by("path")
        return render(request, "deliberation/choose_area.html", {"areas": areas})
    if not request.user.has_perm("deliberation.manage_box", area):
        raise NotAllowed("not_allowed", _("Only organisers and officials of this area can prepare a vote."))
    form = BoxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            box = services.box_create(actor=request.user, area=area, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("ballot-manage", pk=box.pk)
    return render(request, "deliberation/new.html", {"form": form, "area": area})


@login_required
def ballot_manage(request, pk):
    box = _box(pk, request.user)
    if not request.user.has_perm("deliberation.manage_box", box.area):
        raise NotAllowed("not_allowed", _("You do not have permission to see this page."))
    from proposals.models import Proposal

    proposals = Proposal.objects.filter(
        area_path__startswith=box.area.path, state__in=["qualified", "scheduled"]
    ).exclude(ballot_options__box=box)
    option_form = OptionForm(request.POST if request.POST.get("form") == "option" else None, proposals=proposals)
    schedule_form = ScheduleForm(request.POST if request.POST.get("form") == "schedule" else None)
    paper_form = PaperBatchForm(request.POST if request.POST.get("form") == "paper" else None)
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "option" and option_form.is_valid():
                data = option_form.cleaned_data
                proposal = Proposal.objects.filter(pk=data["proposal"]).first() if data["proposal"] else None
                services.option_add(
                    actor=request.user, box=box, title=data["title"], cost=data["cost"], proposal=proposal
                )
                messages.success(request, _("Option added."))
                return redirect("ballot-manage", pk=box.pk)
            if which == "schedule" and schedule_form.is_valid():
                services.box_schedule(actor=request.user, box=box, **schedule_form.cleaned_data)
                messages.success(request, _("The vote is announced."))
                return redirect(box.get_absolute_url())
            if which == "close":
                services.box_close_now(actor=request.user, box=box)
                messages.success(request, _("The vote is closed and counted."))
                return redirect("ballot-results", pk=box.pk)
            if which == "paper" and paper_form.is_valid():
                data = paper_form.cleaned_data
                emails = [line.strip() for line in data["voters"].splitlines() if line.strip()]
                people = {
                    u.email.lower(): u
                    for u in User.objects.filter(email__in=[e.lower() for e in emails], is_active=True)
                }
                missing = [e for e in emails if e.lower() not in people]
                if missing:
                    paper_form.add_error("voters", _("Not registered: %(emails)s") % {"emails": ", ".join(missing)})
                else:
                    ballots = [
                        [c.strip() for c in line.split(",") if c.strip()]
                        for line in data["ballots"].splitlines()
                        if line.strip()
                    ]
                    services.paper_batch_enter(
                        actor=request.user,
                        box=box,
                        label=data["label"],
                        voters=[people[e.lower()] for e in emails],
                        ballots=ballots,
                    )
                    messages.success(request, _("The paper ballots are entered."))
                    return redirect("ballot-manage", pk=box.pk)
        except DomainError as error:
            target = {"option": option_form, "schedule": schedule_form, "paper": paper_form}.get(which)
            if target is not None:
                apply_domain_error(target, error)
            else:
                messages.error(request, error.message)
    return render(
        request,
        "deliberation/manage.html",
        {
            "box": box,
            "phase": box.phase(),
            "options": box.options.select_related("proposal"),
            "option_form": option_form,
            "schedule_form": schedule_form,
            "paper_form": paper_form,
            "batches": box.paper_batches.all(),
        },
    )


@login_required
@require_POST
def ballot_tally(request, pk):
    box = _box(pk, request.user)
    if not request.user.has_perm("deliberation.manage_box", box.area):
        raise NotAllowed("not_allowed", _("You are not allowed to do this."))
    services.box_tally(box=box, actor=request.user)
    return redirect("ballot-results", pk=box.pk)
