"""Micro-project pages: the lists, the officials' desk and creation form, the public project page with its
one timeline of the whole chain, and one small view per action form on that page."""

import json
from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from civic import pagecache
from civic.acting import acting_pair
from civic.errors import DomainError, NotAllowed
from civic.forms import Submission, submit
from civic.models import Area
from civic.rows import prepared_cursor
from civic.selectors import areas_for_roles, organisation_list, timeline_for
from proposals.models import PledgeKind, Proposal

from .. import pages, services
from ..forms import (
    BudgetLineFormSet,
    ChecklistFormSet,
    CommitmentForm,
    CompletionForm,
    InspectionForm,
    MilestoneForm,
    MilestoneFormSet,
    ProgressForm,
    ProjectForm,
    RatingForm,
    ReasonForm,
    ReceiptForm,
    apply_row_error,
    rows_data,
)
from ..models import PROJECT_STATES, AwardStatus, MicroProject, ProjectState
from ..selectors import projects as project_selectors
from .awards import award_context

PER_PAGE = 20
DESK_LIMIT = 100
TIMELINE_LIMIT = 500
ACTIVE = (ProjectState.PLANNED, ProjectState.IN_PROGRESS)

# Existing badge colours of the site's stylesheet, per project state.
STATE_CLASS = {
    ProjectState.PLANNED: "state-published",
    ProjectState.IN_PROGRESS: "badge-wait",
    ProjectState.COMPLETED: "state-qualified",
    ProjectState.ACCEPTED: "state-done",
    ProjectState.CLOSED: "state-done",
    ProjectState.SUSPENDED: "badge-late",
    ProjectState.CANCELLED: "state-withdrawn",
}


def _share(value) -> Decimal:
    """A share to four decimals, so that 1/3 reads 33.33 per cent."""
    return Decimal(value).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _state_class(state) -> str:
    return STATE_CLASS.get(state, "")


# --- lists ----------------------------------------------------------------------------------------------


def _list_context(area, state, number) -> dict:
    """What the list shows (read only when the cache has no current copy): one page of rows, their overdue
    milestones, and the count of the filtered list (counted once per version of the list)."""
    page = Paginator(project_selectors.project_rows(area, state=state), PER_PAGE).get_page(number)
    page.object_list = list(page.object_list)
    overdue = project_selectors.overdue_counts(page.object_list)
    for project in page.object_list:
        project.state_class = _state_class(project.state)
        project.overdue_milestones = overdue.get(project.pk, 0)
        project.is_late = bool(project.overdue_milestones) and project.state in ACTIVE
    return {
        "area": area,
        "page": page,
        "state": state,
        "states": ProjectState.choices,
        "query": urlencode({"state": state}) if state else "",
        "valid_until": _next_midnight(),  # a milestone passes its date at midnight
    }


def _next_midnight():
    local = timezone.localtime()
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def project_list(request, code=None):
    """Projects of every area (or of one area and the areas under it), newest first, by state. Shared by
    everyone: one cached part per area, state, page and language (funding.pages)."""
    state = request.GET.get("state") or None
    if state not in ProjectState.values:
        state = None
    number = request.GET.get("page") or "1"
    area = None
    part = pagecache.Part(
        "project-list",
        pages.list_scopes(code),
        (code or "", state or "", number),
        lambda: _list_context(area, state, number),
        request=request,
        signed_in_page=True,
    )
    reader = lambda: None if _official(request) else {}  # noqa: E731  an official's list offers to create one
    if kept := pagecache.kept_page(request, part, reader):
        return kept
    area = get_object_or_404(Area, code=code) if code else None  # read after the part's versions
    can_create = _official(request) and request.user.has_perm("funding.view_project_desk")
    return pagecache.whole_page(
        request,
        part,
        lambda: render(
            request, "funding/projects/list.html", {"list_part": part, "area": area, "can_create": can_create}
        ),
        reader,
    )


def _official(request) -> bool:
    """An official or an administrator (from the reader's kept header value: no query): the project pages
    offer them forms nobody else sees, so theirs are rendered for them."""
    return bool(request.user.is_authenticated and pagecache.person(request)["official"])


# --- creation --------------------------------------------------------------------------------------------


def _official_areas(user):
    areas = areas_for_roles(user, {"official"}).order_by("path")
    if not user.has_perm("funding.view_project_desk"):
        raise NotAllowed("not_official", _("Only officials create projects."))
    return areas


def _creation_forms(request, *, area, initial=None, lines_initial=None):
    bound = request.method == "POST"
    form = ProjectForm(request.POST if bound else None, initial=initial, organisations=organisation_list(area=area))
    lines = BudgetLineFormSet(request.POST if bound else None, prefix="budget_lines", initial=lines_initial)
    milestones = MilestoneFormSet(request.POST if bound else None, prefix="milestones")
    return form, lines, milestones


def _try_create(request, form, lines, milestones, *, area, proposal=None):
    """Create the project from the form and its rows; returns (project or None, errors above the rows)."""

    def create(data):
        return services.project_create(
            actor=request.user,
            area=area,
            proposal=proposal,
            title=data["title"],
            scope=data["scope"],
            location=data["location"],
            implementer=data["implementer"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            budget_lines=rows_data(lines, ("item", "amount")),
            milestones=rows_data(milestones, ("title", "due_on", "is_midpoint")),
        )

    done, _status, row_errors = _submit_with_rows(form, {"budget_lines": lines, "milestones": milestones}, create)
    if not done:
        return None, row_errors
    messages.success(request, _("The project “%(title)s” is created.") % {"title": done.value.title})
    return done.value, {}


def project_desk(request):
    """The officials' desk: adopted proposals still waiting for a project, and a form to create one directly."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal_id = request.GET.get("proposal", "")
    if proposal_id.isdigit():
        return redirect("funding:project-new-from-proposal", proposal_id=int(proposal_id))
    areas = _official_areas(request.user)
    code = request.GET.get("area", "")
    area = areas.filter(code=code).first() if code else None
    if area is None:
        area = areas.first()
    form = lines = milestones = None
    row_errors = {}
    if area is not None:
        form, lines, milestones = _creation_forms(request, area=area)
        if request.method == "POST":
            project, row_errors = _try_create(request, form, lines, milestones, area=area)
            if project is not None:
                return redirect(project)
    waiting = list(project_selectors.adopted_without_project(request.user)[:DESK_LIMIT])
    return render(
        request,
        "funding/projects/new.html",
        {
            "waiting": waiting,
            "areas": areas,
            "area": area,
            "form": form,
            "lines": lines,
            "milestones": milestones,
            "row_errors": row_errors,
            "proposal": None,
        },
        status=400 if request.method == "POST" else 200,
    )


def project_new_from_proposal(request, proposal_id):
    """The creation form filled in from an adopted proposal, with the pledges that will carry over."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal = get_object_or_404(Proposal.objects.select_related("area", "category"), pk=proposal_id)
    services.require_perm(
        request.user,
        "funding.create_project",
        proposal.area,
        _("Only an official of this area or above can create projects."),
    )
    existing = MicroProject.objects.filter(proposal=proposal).first()
    if existing is not None:
        messages.info(request, _("This proposal already has a project."))
        return redirect(existing)
    initial = {"title": proposal.title, "scope": proposal.body[:5000], "location": proposal.location}
    lines_initial = None
    if proposal.estimated_cost:
        lines_initial = [{"item": _("Estimated cost of the proposal"), "amount": proposal.estimated_cost}]
    form, lines, milestones = _creation_forms(request, area=proposal.area, initial=initial, lines_initial=lines_initial)
    row_errors = {}
    if request.method == "POST":
        project, row_errors = _try_create(request, form, lines, milestones, area=proposal.area, proposal=proposal)
        if project is not None:
            return redirect(project)
    pledges = list(
        proposal.cosponsors.exclude(pledge_kind=PledgeKind.NONE)
        .filter(pledge_amount__gt=0)
        .select_related("user", "organisation")
    )
    return render(
        request,
        "funding/projects/new.html",
        {
            "proposal": proposal,
            "area": proposal.area,
            "form": form,
            "lines": lines,
            "milestones": milestones,
            "row_errors": row_errors,
            "pledges": pledges,
            "pledged_total": sum(p.pledge_amount for p in pledges),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- the public project page ------------------------------------------------------------------------------


def chain_timeline(project) -> list:
    """The proposal's story, then the project's, as one list by time; a line the project wrote on both
    stories (created, started, …) is shown once."""
    own = timeline_for(project, limit=TIMELINE_LIMIT)
    for entry in own:
        entry.chain = "project"
    if not project.proposal_id:
        return own
    written = Counter(_line_key(entry) for entry in own)
    merged = list(own)
    for entry in timeline_for(project.proposal, limit=TIMELINE_LIMIT):
        key = _line_key(entry)
        if written[key]:
            written[key] -= 1
            continue
        entry.chain = "proposal"
        merged.append(entry)
    merged.sort(key=lambda entry: (entry.created_at, entry.chain == "project", entry.pk))
    return merged


def _line_key(entry):
    return entry.verb, json.dumps(entry.params, sort_keys=True, default=str), entry.url


def _get_project(pk) -> MicroProject:
    try:
        return project_selectors.project_detail(pk)
    except MicroProject.DoesNotExist:
        raise Http404 from None


def _action_forms(project, perms, today):
    """Fresh forms for the actions this person may take on this project now (the services judge again;
    suspend and cancel are offered where the state table allows them, as the services check)."""
    state = project.state
    moves = PROJECT_STATES.targets(state)
    shown = {}
    if perms["report"]:
        if state == ProjectState.IN_PROGRESS:
            open_milestones = project.milestones.filter(reached_at__isnull=True)
            shown["progress"] = ProgressForm(milestones=open_milestones, initial={"reported_on": today})
            shown["completion"] = CompletionForm()
        if state == ProjectState.PLANNED:
            shown["start"] = forms.Form()
        if state not in (ProjectState.CLOSED, ProjectState.CANCELLED, ProjectState.ACCEPTED):
            shown["milestone"] = MilestoneForm()
    if perms["manage"]:
        if state not in (ProjectState.CLOSED, ProjectState.CANCELLED):
            shown["commitment"] = CommitmentForm()
            outstanding = project.commitments.filter(received__lt=F("amount"))
            shown["receipt"] = ReceiptForm(commitments=outstanding, initial={"received_on": today})
        if ProjectState.CANCELLED in moves:
            shown["cancel"] = ReasonForm(prefix="cancel")
        if state == ProjectState.SUSPENDED:
            shown["resume"] = forms.Form()
        elif ProjectState.SUSPENDED in moves:
            shown["suspend"] = ReasonForm(prefix="suspend")
        if state == ProjectState.ACCEPTED:
            shown["close"] = forms.Form()
    if perms["inspect"] and state == ProjectState.COMPLETED:
        shown["inspection"] = InspectionForm()
        shown["checklist"] = ChecklistFormSet(prefix="checklist")
    return shown


def _detail_context(request, project, bound=None, open_form="", row_errors=None) -> dict:
    user = request.user
    today = timezone.localdate()
    now = timezone.now()
    milestones = list(project.milestones.all())
    active = project.state in ACTIVE
    for milestone in milestones:
        milestone.overdue = active and milestone.is_overdue(today)
    reports = list(project.reports.all())
    inspections = list(project.inspections.all())
    rater, _assisted_by = acting_pair(request)  # while acting for a resident (代办), their rating
    shared = pagecache.holes(request)  # the rendering every signed-in reader shares: nothing of the reader
    if shared:  # readers who rated are rendered for themselves (_project_reader); the rest may rate once
        period = project_selectors.rating_period(project, now)
        rating = {"window": period, "rating": None, "can_change": period["open"]}
        eligible = period["open"]  # the rating form, shown by the `eligible_in` mark to the residents only
    else:
        rating = project_selectors.rating_status(project, rater, now)
        period = rating["window"]
        eligible = period["open"] and rules.has_perm("funding.rate_project", rater, project)  # as the service asks
    mine = rating["rating"]
    satisfaction = project_selectors.satisfaction(project)
    for level in satisfaction["levels"]:
        level["share"] = _share(level["share"])
        level["width"] = round(level["share"] * 100)
    co = project_selectors.co_funding(project)
    for source in co["by_source"]:
        source["share"] = _share(source["share"])
    perms = {
        "report": user.has_perm("funding.report_progress", project),
        "manage": user.has_perm("funding.manage_project", project),
        "inspect": user.has_perm("funding.inspect", project),
    }
    shown = _action_forms(project, perms, today)
    if eligible and rating["can_change"]:
        shown["rating"] = RatingForm(initial={"level": mine.level, "comment": mine.comment} if mine else None)
    shown.update(bound or {})
    context = {
        "project": project,
        "area": project.area,
        "state_class": _state_class(project.state),
        "timeline": chain_timeline(project),
        "co": co,
        "milestones": milestones,
        "progress": project_selectors.progress(project, milestones),
        "overdue_count": sum(1 for m in milestones if m.overdue),
        "reports": reports,
        "spend_to_date": reports[0].spend_to_date if reports else None,
        "inspections": inspections,
        "satisfaction": satisfaction,
        "rating_opens": period["opens"],
        "rating_closes": period["closes"],
        "rating_open": period["open"],
        "rating_before": period["before"],
        "my_rating": mine,
        "eligible": eligible,
        # the marks' facts when rendered for one person (the shared rendering leaves them to each reader)
        "reader": None
        if shared or not user.is_authenticated
        else {"me": str(user.pk), "eligible_in": lambda path: eligible},
        "project_perms": perms,
        "forms": shown,
        "open_form": open_form,
        "row_errors": row_errors or {},
        **award_context(request, project),
    }
    return context


def _valid_until(context: dict):
    """Until when the page holds without a write: the next midnight (milestones and objection answers fall
    overdue), or sooner the next award notice or objection window to close, or the rating period to open
    or close."""
    now = timezone.now()
    moments = [_next_midnight()]
    for award in context.get("awards", []):
        if award.status == AwardStatus.NOTICE:
            moments += [award.notice_until, award.objections_until]
    moments += [context.get("rating_opens"), context.get("rating_closes")]
    return min(moment for moment in moments if moment is not None and moment > now)


def project_detail(request, pk):
    """A project's public page. Visitors who are not signed in get the whole page kept (funding.pages:
    `project:PK` and the stories it shows); signed-in readers share one rendering too, in which the rating
    form is marked for the residents who may rate; people with their own forms on it (officials, the
    implementer's members) and those whose own rating or objection it shows get it rendered for them."""
    from civic import rows

    if rows.key(pk) is None:  # beyond any key: its plain reads below would be refused by the database
        raise Http404

    # The page shows the project's proposal too: its scopes follow the project's proposal (set when the
    # project is made; a change would bump `project:PK`), remembered for a visitor's kept page (by_fact).
    def make(proposal_id):
        scopes = pages.detail_scopes(pk, proposal_id)
        return pagecache.Part(
            "project",
            scopes,
            (pk, proposal_id),
            lambda: {},
            request=request,
            signed_in_page=True,
            reader_query=lambda me: project_selectors.reader_query(pk, me),  # the reader's facts, same query
        )

    part, kept = pagecache.by_fact(request, ("project-proposal", pk), lambda: _proposal_of(pk), make)
    if kept:
        return kept
    reader = lambda: _project_reader(request, pk, part)  # noqa: E731
    if kept := pagecache.kept_page(request, part, reader):  # a signed-in reader: the page they share
        return kept
    proposal_id = part.keys[1]

    def render_page():
        project = _get_project(pk)
        if project.proposal_id != proposal_id:
            part.dont_keep()
        context = _detail_context(request, project)
        part.context()["valid_until"] = context["valid_until"] = _valid_until(context)
        return render(request, "funding/projects/detail.html", context)

    return pagecache.whole_page(request, part, render_page, reader)


def _proposal_of(pk: int) -> int | None:
    """The project's proposal (its page shows the proposal's story): one plain query, before the versions
    (prepared: a signed-in reader asks it on every reading)."""
    with prepared_cursor() as cursor:
        cursor.execute(f"SELECT proposal_id FROM {MicroProject._meta.db_table} WHERE id = %s", [pk])
        row = cursor.fetchone()
    return row[0] if row else None


def _project_reader(request, pk: int, part) -> dict | None:
    """The signed-in reader's facts on the shared project page (read with the page's own query,
    `part.reader_rows`, or in one more), or None: rendered for them."""
    if _official(request):
        return None
    facts = project_selectors.reader_facts(pk, request.user, part.reader_rows)
    return None if facts.pop("own") else facts


# --- the action forms: each posts here, calls one service, and comes back to the page ------------------------


class _ShownOnRows(Exception):
    """A refusal already shown on a row of a list (or the list's rows did not parse): nothing to add."""


def _submit_with_rows(form, rowsets: dict, action, aliases: dict | None = None):
    """civic.forms.submit for a form that comes with lists of rows (budget lines, milestones, checklist):
    the service runs only when the form and every row parse; its refusal is shown on the row or list it
    names, else on the form. Returns (submission, status, errors to show above a list)."""
    aliases = {"files": "photos", **(aliases or {})}
    refusal = {"status": 400, "rows": {}}

    def checked(data):
        if not all(rows.is_valid() for rows in rowsets.values()):
            raise _ShownOnRows
        try:
            return action(data)
        except DomainError as error:
            refusal["status"] = error.status
            error.field = aliases.get(error.field, error.field)
            shown = apply_row_error(error, rowsets)
            if shown is not None:
                refusal["rows"] = shown
                raise _ShownOnRows from error
            raise  # submit shows it on the form

    try:
        done = submit(form, checked)
    except _ShownOnRows:
        done = Submission(False)
    for rows in rowsets.values():
        rows.is_valid()  # the rows' own errors are shown too when the form itself did not parse
    return done, refusal["status"], refusal["rows"]


def _act(request, pk, name, perm, run, *, build=None, rowsets=None, aliases=None, success, message=None):
    """POST only; the form (and its rows) are parsed and the service called through civic.forms.submit;
    a refusal is shown on the form or the row it names, with its status (400, 409), nothing written."""
    if request.method != "POST":
        return redirect("funding:project-detail", pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("funding:project-detail", args=[pk]))
    project = get_object_or_404(MicroProject.objects.select_related("area", "implementer", "proposal"), pk=pk)
    if perm:
        services.require_perm(request.user, perm, project, message)
    form = build(request, project) if build else forms.Form(request.POST)
    sets = rowsets(request) if rowsets else {}
    done, status, row_errors = _submit_with_rows(form, sets, lambda data: run(project, data, sets), aliases)
    if done:
        messages.success(request, success)
        return redirect(project)
    bound = {name: form, **({"checklist": sets["checklist"]} if "checklist" in sets else {})}
    project = _get_project(pk)
    context = _detail_context(request, project, bound=bound, open_form=name, row_errors=row_errors)
    return render(request, "funding/projects/detail.html", context, status=status)


def _files(request):
    return request.FILES.getlist("photos")


def project_start(request, pk):
    return _act(
        request,
        pk,
        "start",
        "funding.report_progress",
        lambda project, data, sets: services.project_start(actor=request.user, project=project),
        success=_("Work has started."),
        message=_("Only the implementer or an official can start the work."),
    )


def project_progress(request, pk):
    def build(request, project):
        return ProgressForm(request.POST, request.FILES, milestones=project.milestones.filter(reached_at__isnull=True))

    def run(project, data, sets):
        services.progress_report(
            actor=request.user,
            project=project,
            text=data["text"],
            spend_to_date=data["spend_to_date"],
            reported_on=data["reported_on"],
            milestone=data["milestone"],
            files=_files(request),
        )

    return _act(
        request,
        pk,
        "progress",
        "funding.report_progress",
        run,
        build=build,
        success=_("The progress report is published."),
        message=_("Only the implementer can report progress."),
    )


def project_completion(request, pk):
    def run(project, data, sets):
        services.project_report_completion(
            actor=request.user, project=project, report=data["report"], files=_files(request)
        )

    return _act(
        request,
        pk,
        "completion",
        "funding.report_progress",
        run,
        build=lambda request, project: CompletionForm(request.POST, request.FILES),
        success=_("Completion is reported; the officials are told to inspect the work."),
        message=_("Only the implementer can report completion."),
    )


def project_milestone_add(request, pk):
    def run(project, data, sets):
        services.milestone_add(
            actor=request.user,
            project=project,
            title=data["title"],
            due_on=data["due_on"],
            is_midpoint=data["is_midpoint"],
        )

    return _act(
        request,
        pk,
        "milestone",
        "funding.report_progress",
        run,
        build=lambda request, project: MilestoneForm(request.POST),
        aliases={f"milestones.0.{name}": name for name in ("title", "due_on", "is_midpoint")},
        success=_("The milestone is added."),
        message=_("Only the implementer or an official can plan milestones."),
    )


def project_commitment_add(request, pk):
    def run(project, data, sets):
        services.commitment_add(
            actor=request.user,
            project=project,
            source=data["source"],
            funder=data["funder"],
            amount=data["amount"],
            description=data["description"],
        )

    return _act(
        request,
        pk,
        "commitment",
        "funding.manage_project",
        run,
        build=lambda request, project: CommitmentForm(request.POST),
        success=_("The commitment is recorded."),
        message=_("Only an official of this area can record co-funding."),
    )


def project_receipt_add(request, pk):
    def run(project, data, sets):
        services.receipt_record(
            actor=request.user,
            commitment=data["commitment"],
            amount=data["amount"],
            received_on=data["received_on"],
            reference=data["reference"],
        )

    return _act(
        request,
        pk,
        "receipt",
        "funding.manage_project",
        run,
        build=lambda request, project: ReceiptForm(request.POST, commitments=project.commitments.all()),
        success=_("The receipt is recorded."),
        message=_("Only an official of this area can record receipts."),
    )


def project_inspection(request, pk):
    def run(project, data, sets):
        services.inspection_record(
            actor=request.user,
            project=project,
            checklist=rows_data(sets["checklist"], ("item", "score", "max")),
            verified_cost=data["verified_cost"],
            result=data["result"],
            invoices=data["invoices"],
            remarks=data["remarks"],
            defects=data["defects"],
            files=_files(request),
        )

    return _act(
        request,
        pk,
        "inspection",
        "funding.inspect",
        run,
        build=lambda request, project: InspectionForm(request.POST, request.FILES),
        rowsets=lambda request: {"checklist": ChecklistFormSet(request.POST, prefix="checklist")},
        success=_("The inspection is signed and published."),
        message=_("Only an official of this area can inspect its projects."),
    )


def _reason_action(service, name, success, message):
    def view(request, pk):
        return _act(
            request,
            pk,
            name,
            "funding.manage_project",
            lambda project, data, sets: service(actor=request.user, project=project, reason=data["reason"]),
            build=lambda request, project: ReasonForm(request.POST, prefix=name),
            success=success,
            message=message,
        )

    return view


def project_suspend(request, pk):
    return _reason_action(
        services.project_suspend,
        "suspend",
        _("The project is suspended."),
        _("Only an official of this area can suspend a project."),
    )(request, pk)


def project_cancel(request, pk):
    return _reason_action(
        services.project_cancel,
        "cancel",
        _("The project is cancelled."),
        _("Only an official of this area can cancel a project."),
    )(request, pk)


def project_resume(request, pk):
    return _act(
        request,
        pk,
        "resume",
        "funding.manage_project",
        lambda project, data, sets: services.project_resume(actor=request.user, project=project),
        success=_("The project is resumed."),
        message=_("Only an official of this area can resume a project."),
    )


def project_close(request, pk):
    return _act(
        request,
        pk,
        "close",
        "funding.manage_project",
        lambda project, data, sets: services.project_close(actor=request.user, project=project),
        success=_("The project is closed."),
        message=_("Only an official of this area can close a project."),
    )


def project_rate(request, pk):
    person, assisted_by = acting_pair(request)  # acting for a resident in person (代办), or oneself

    def run(project, data, sets):
        services.rating_submit(
            user=person, project=project, level=data["level"], comment=data["comment"], assisted_by=assisted_by
        )

    return _act(
        request,
        pk,
        "rating",
        None,
        run,
        build=lambda request, project: RatingForm(request.POST),
        success=_("Thank you: your rating is counted."),
    )
