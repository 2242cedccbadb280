"""Ballot pages: parse with a form, call a service or selector, render. Who may see or do what is asked of
the permissions (`deliberation.*_box`, `deliberation.vote`) through `require_perm` or `has_perm`."""

from decimal import Decimal

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic import pagecache
from civic.acting import acting_pair
from civic.forms import submit
from civic.models import Area
from civic.money import format_yuan
from civic.paging import bounded_page
from civic.predicates import area_roles_of
from civic.selectors import areas_for_roles
from civic.services import require_perm

from .. import pages, selectors, services
from ..forms import AreaPickForm, BallotForm, BoxForm, CloseForm, OptionForm, PaperBatchForm, ScheduleForm
from ..models import BallotBox, BoxKind, BoxState, Participation


def _box(request, pk) -> BallotBox:
    """The box if this person may see it; a draft is not there for anyone but its managers."""
    box = selectors.box_for(request.user, pk)
    if box is None:
        raise Http404
    return box


CARD_FIELDS = (
    "id",
    "title",
    "kind",
    "state",
    "opens_at",
    "closes_at",
    "turnout",
    "imported",
    "source_meta",
    "area__name",
    "area__code",
)


def _manages_boxes(user) -> bool:
    """Whether `user` sees drafts in the lists (the people preparing votes): their list is their own."""
    return bool(getattr(user, "is_superuser", False)) or any(
        role in ("official", "organiser") for role, _path in area_roles_of(user)
    )


def _list_context(request, area, user) -> dict:
    """`user`: the reader (the shared rendering is made with `request.user` standing for nobody)."""
    boxes = selectors.visible_boxes(user).only(*CARD_FIELDS)
    if area is not None:
        boxes = boxes.filter(area_path__startswith=area.path)
    # the city's own votes; elections imported from open data are listed apart, as what they are
    page = bounded_page(boxes.filter(imported=False).order_by("-closes_at", "-id"), request.GET.get("page"))
    now = timezone.now()
    for box in page.object_list:
        box.current = box.phase(now)
    imported = [
        (box, selectors.imported_source(box)) for box in boxes.filter(imported=True).order_by("-closes_at", "-id")[:20]
    ]
    return {
        "page": page,
        "imported": imported,
        "area": area,
        "query": urlencode({"area": area.code}) if area is not None else "",
        "valid_until": selectors.boxes_valid_until(page.object_list, now),
    }


def ballot_list(request):
    # Shared by everyone who sees only announced boxes: one cached part per area, page and language, and the
    # whole page every such signed-in reader shares (nothing personal but the header). The people preparing
    # votes see drafts too: their list is their own, never kept.
    code = request.GET.get("area") or ""
    area = Area.objects.filter(code=code).only("code", "path", "name").first() if code else None
    user = request.user
    manages = _manages_boxes(user)
    part = pagecache.Part(
        "ballot-list",
        pages.ballot_list_scopes(area),
        (area.code if area else "", request.GET.get("page") or ""),
        lambda: _list_context(request, area, user),
        request=request,
        cache=not manages,
        signed_in_page=True,
    )
    can_create = manages and user.has_perm("deliberation.prepare_box")  # only they may: no query for others
    page = lambda: render(  # noqa: E731
        request, "deliberation/list.html", {"part": part, "area": area, "can_create": can_create}
    )
    return pagecache.whole_page(request, part, page, reader=dict)


def _shared_ballot(box) -> dict:
    """What every visitor sees of a box's page (its cached parts): only the moment its phase changes."""
    return {"valid_until": selectors.boxes_valid_until([box])}


def _ballot_part(request, name, pk, context) -> pagecache.Part:
    return pagecache.Part(name, pages.ballot_scopes(pk), (pk,), context, request=request)


def _reader(request, pk: int, part) -> dict | None:
    """The signed-in reader's own facts on the page every signed-in reader shares (read with the page's own
    query, `part.reader_rows`, or in one more): whether they have voted, where they may vote; None if the
    page is rendered for them alone (the people who prepare votes: it links them to managing it)."""
    facts = selectors.ballot_reader_facts(pk, request.user, part.reader_rows)
    return None if facts.pop("manages") else facts


def ballot_detail(request, pk):
    # The shared parts' versions are read first, then the box: what is kept is never older than them.
    part = pagecache.Part(
        "ballot",
        pages.ballot_scopes(pk),
        (pk,),
        lambda: _shared_ballot(box),
        request=request,
        signed_in_page=True,
        reader_query=lambda me: selectors.ballot_reader_query(pk, me),  # the reader's facts in the same query
    )
    reader = lambda: _reader(request, pk, part)  # noqa: E731
    if kept := pagecache.kept_page(request, part, reader):
        return kept
    box = _box(request, pk)
    if box.state == BoxState.DRAFT:  # seen by the people preparing it only: never kept
        part = pagecache.Part("ballot", [], (pk,), lambda: _shared_ballot(box), cache=False)
    user = request.user
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(box.get_absolute_url())
    # Acting for a resident in person (代办): the resident marks their own choice on this device, behind
    # the privacy step; nothing afterwards shows the staff member what was chosen.
    person, assisted_by = acting_pair(request)
    options = list(box.options.all())
    form = BallotForm(request.POST or None, options=options)

    def review_or_cast(data):
        if data["step"] == "review":  # checked first, then summarised for the voter to confirm
            return "review", selectors.ballot_choices_check(box, data["choice"])
        return "cast", services.vote_cast(
            user=person, box=box, choices=data["choice"], receipt=data["receipt"] or None, assisted_by=assisted_by
        )

    def context() -> dict:
        """What the page shows. While the rendering every signed-in reader shares is made (`pagecache.holes`),
        nothing of the reader is read: whether they voted and may vote are `{% reader %}` marks, decided per
        request from `_reader`; rendered for one person, the same marks are decided from their own facts."""
        signed_in = user.is_authenticated
        personal = signed_in and not pagecache.holes(request)
        voted = personal and Participation.objects.filter(box=box, user=person).exists()
        # as the service asks it: no superuser pass
        eligible = personal and rules.has_perm("deliberation.vote", person, box)
        return {
            "box": box,
            "part": part,
            "phase": box.phase(),
            "options": options,
            "form": form,
            "voted": voted,
            "eligible": eligible,
            "can_manage": personal and user.has_perm("deliberation.manage_box", box.area),
            "handed_over": assisted_by is None or request.method == "POST" or request.GET.get("handed") == "1",
            "reader": {"me": str(user.pk), "voted": voted, "eligible_in": lambda path: eligible} if personal else None,
        }

    if request.method == "GET" and (not user.is_authenticated or assisted_by is None):
        page = lambda: _ballot_response(request, box, form, options, context(), None)  # noqa: E731
        return pagecache.whole_page(request, part, page, reader)
    response = _ballot_response(request, box, form, options, context(), review_or_cast)
    if assisted_by is not None:
        add_never_cache_headers(response)  # the resident's pages stay out of the browser's history cache
    return response


def _ballot_response(request, box, form, options, context, review_or_cast):
    if request.method == "POST" and (done := submit(form, review_or_cast)):
        step, value = done.value
        if step == "review":
            picked = [o for o in options if o.project_id in value]
            total = sum((o.cost or Decimal(0) for o in picked), Decimal(0))
            return render(
                request,
                "deliberation/confirm.html",
                {**context, "picked": picked, "total": total, "receipt": form.cleaned_data["receipt"]},
            )
        _ballot, code = value
        if code:
            return render(request, "deliberation/receipt.html", {**context, "code": code})
        messages.success(request, _("Your ballot is changed."))
        return redirect(box.get_absolute_url())
    chosen = set(getattr(form, "cleaned_data", {}).get("choice") or [])
    return render(
        request, "deliberation/detail.html", {**context, "chosen": chosen}, status=400 if form.errors else 200
    )


def _results_context(box) -> dict:
    """What the results page shows (its cached part): the stored result, read when it is rendered."""
    if box.state != BoxState.TALLIED:
        return _shared_ballot(box)
    result = box.result
    rows = result.get("options", [])
    chart = None
    if box.kind != BoxKind.QUESTION and rows:
        top = max(r["votes"] for r in rows) or 1
        chart = {
            "rows": [{**r, "percent": round(100 * r["votes"] / top)} for r in sorted(rows, key=lambda r: -r["votes"])]
        }
    if box.kind == BoxKind.BUDGET and chart is not None:
        spent = Decimal(result["spent"])
        chart["spent_share"] = round(100 * spent / box.budget) if box.budget else 0
        chart["left"] = max(box.budget - spent, Decimal(0))
        segments = []
        for pid in result.get("selected", []):
            row = next(r for r in rows if r["project_id"] == pid)
            cost = Decimal(row["cost"])
            share = min(100, round(100 * cost / box.budget)) if box.budget else 0
            segments.append({"project_id": pid, "title": row.get("title") or pid, "cost": cost, "percent": share})
        chart["segments"] = segments
        for r in rows:
            r["why"] = explain(r)
    return {"result": result, "rows": rows, "chart": chart}


def ballot_results(request, pk):
    part = _ballot_part(request, "ballot-results", pk, lambda: _results_context(box))
    if kept := pagecache.kept_page(request, part):
        return kept
    box = _box(request, pk)
    if box.state == BoxState.DRAFT:
        part = pagecache.Part("ballot-results", [], (pk,), lambda: _results_context(box), cache=False)
    if box.state != BoxState.TALLIED:
        template, context = "deliberation/results_pending.html", {"box": box, "phase": box.phase(), "part": part}
    else:
        template, context = "deliberation/results.html", {"box": box, "part": part}
    return pagecache.whole_page(request, part, lambda: render(request, template, context))


MONEY_PARAMS = ("left", "payment")


def explain(row: dict) -> str:
    p = {k: format_yuan(Decimal(v)) if k in MONEY_PARAMS else v for k, v in row.get("params", {}).items()}
    messages_by_reason = {
        "greedy_funded": _(
            "Ranked %(rank)s with %(votes)s votes; it still fitted in the budget (%(left)s left after it)."
        ),
        "greedy_no_room": _("Ranked %(rank)s with %(votes)s votes; only %(left)s was left when its turn came."),
        "mes_funded": _("Bought in round %(round)s: each supporter paid at most %(payment)s."),
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


@require_http_methods(["GET", "POST"])
def receipt_check(request):
    """Posted, not asked in the address: a code in a URL ends up in server logs and the browser's history,
    and whoever holds it may change a secret ballot. Shows the box and whether it is counted, never the
    choices (see `selectors.ReceiptStatus`)."""
    code = (request.POST.get("code") or "").strip()[:40] if request.method == "POST" else ""
    status = selectors.receipt_check(code) if code else None
    return render(request, "deliberation/receipt_check.html", {"status": status, "checked": bool(code)})


def export_pb(request, pk):
    box = _box(request, pk)
    if box.kind != BoxKind.BUDGET or box.state != BoxState.TALLIED:
        raise Http404
    response = HttpResponse(selectors.pb_export(box), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-{box.pk}.pb"'
    return response


@login_required
def ballot_new(request):
    area = AreaPickForm.area_in(request.POST if request.method == "POST" else request.GET)
    if area is None:
        areas = areas_for_roles(request.user, {"official", "organiser"}).exclude(level="grid").order_by("path")
        return render(request, "deliberation/choose_area.html", {"areas": areas})
    require_perm(
        request.user,
        "deliberation.manage_box",
        area,
        _("Only organisers and officials of this area can prepare a vote."),
    )
    form = BoxForm(request.POST or None)
    if request.method == "POST" and (
        done := submit(form, lambda data: services.box_create(actor=request.user, area=area, **data))
    ):
        return redirect("deliberation:ballot-manage", pk=done.value.pk)
    return render(request, "deliberation/new.html", {"form": form, "area": area})


@login_required
def ballot_manage(request, pk):
    box = _box(request, pk)
    require_perm(request.user, "deliberation.manage_box", box.area, _("You do not have permission to see this page."))
    posted = request.POST.get("form") if request.method == "POST" else None

    def bound(name):
        return request.POST if posted == name else None

    option_form = OptionForm(bound("option"), proposals=selectors.box_proposal_candidates(box))
    schedule_form = ScheduleForm(bound("schedule"))
    paper_form = PaperBatchForm(bound("paper"))
    close_form = CloseForm(bound("close"))
    actor = request.user
    if submit(option_form, lambda data: services.option_add(actor=actor, box=box, **data)):
        messages.success(request, _("Option added."))
        return redirect("deliberation:ballot-manage", pk=box.pk)
    if submit(schedule_form, lambda data: services.box_schedule(actor=actor, box=box, **data)):
        messages.success(request, _("The vote is announced."))
        return redirect(box.get_absolute_url())
    if submit(paper_form, lambda data: services.paper_batch_enter(actor=actor, box=box, **data)):
        messages.success(request, _("The paper ballots are entered."))
        return redirect("deliberation:ballot-manage", pk=box.pk)
    if submit(close_form, lambda data: services.box_close_now(actor=actor, box=box)):
        messages.success(request, _("The vote is closed and counted."))
        return redirect("deliberation:ballot-results", pk=box.pk)
    for error in close_form.non_field_errors():
        messages.error(request, error)
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
    """A button with nothing to fill in: the service decides (who may count, whether the box has closed)
    and a refusal takes the site's one error path (403, 409)."""
    box = _box(request, pk)
    services.box_tally(box=box, actor=request.user)
    return redirect("deliberation:ballot-results", pk=box.pk)
