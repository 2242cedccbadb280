"""Proposal pages: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.errors import DomainError, NotAllowed
from civic.forms import ReasonForm, apply_domain_error
from civic.models import Area, AreaRoleKind, Organisation
from civic.selectors import effective_verification, organisations_represented, timeline_for
from civic.validators import as_pk

from . import lifecycle, selectors, services
from .forms import AnswerForm, CategoryForm, CommentForm, CoSponsorForm, FilterForm, ProposalForm
from .models import Category, Comment, Proposal, ProposalState


def _areas_for(user):
    """Areas a person may propose in: their home chain, their organisations' areas, the areas they staff."""
    condition = Q(pk__in=[])
    verification = effective_verification(user)
    if verification:
        condition |= Q(code__in=verification.cell.path.strip("/").split("/"))
    for organisation in organisations_represented(user).prefetch_related("areas"):
        for area in organisation.areas.all():
            condition |= Q(path__startswith=area.path)
    from civic.selectors import covered_by

    staff = covered_by(user, {AreaRoleKind.OFFICIAL, AreaRoleKind.ORGANISER}, "path")
    if staff is not None:
        condition |= staff
    return Area.objects.filter(condition).order_by("path")


def _is_staff(user) -> bool:
    from civic.predicates import holds_role_anywhere

    return holds_role_anywhere(user, "official") or holds_role_anywhere(user, "organiser")


def _visible(request, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("area", "category", "author", "organisation"), pk=pk)
    if not selectors.may_see(proposal, request.user):
        raise Http404
    return proposal


def proposal_list(request):
    form = FilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "category": data["category"],
            "state": data["state"] or None,
            "actor_kind": data["actor"] or None,
            "query": data["q"],
            "sort": data["sort"] or "newest",
        }
    area = Area.objects.filter(code=request.GET.get("area", "")).first()
    page = Paginator(selectors.proposal_list(area=area, **filters), 20).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.shown_state = selectors.effective_state(proposal)
        proposal.overdue = selectors.is_overdue(proposal)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "proposals/list.html", {"form": form, "page": page, "area": area, "query": query.urlencode()}
    )


@login_required
def proposal_new(request):
    user = request.user
    staff = _is_staff(user)
    areas = _areas_for(user)
    organisations = list(organisations_represented(user))
    form = ProposalForm(
        request.POST or None, request.FILES or None, areas=areas, organisations=organisations, staff=staff
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = Organisation.objects.filter(pk=as_pk(data.get("organisation"))).first()
        try:
            proposal = services.proposal_create(
                author=user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                area=data["area"],
                location=data["location"],
                estimated_cost=data["estimated_cost"],
                organisation=organisation,
                channel=data.get("channel") or "online",
                on_behalf_of=data.get("on_behalf_of", ""),
                files=data.get("files", []),
                publish="publish" in request.POST,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Published. Neighbours can co-sign it now.")
                if "publish" in request.POST
                else _("Saved as a draft; only you can see it."),
            )
            return redirect(proposal.get_absolute_url())
    return render(request, "proposals/form.html", {"form": form, "can_propose": areas.exists(), "editing": False})


@login_required
def proposal_edit(request, pk):
    proposal = _visible(request, pk)
    if proposal.author_id != request.user.pk:
        raise NotAllowed("not_author", _("Only the author can edit a proposal."))
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "area": proposal.area,
        "location": proposal.location,
        "estimated_cost": proposal.estimated_cost,
    }
    form = ProposalForm(
        request.POST or None,
        initial=initial,
        areas=_areas_for(request.user) | Area.objects.filter(pk=proposal.area_id),
        organisations=[],
        staff=False,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_update(
                actor=request.user,
                proposal=proposal,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                area=data["area"],
                location=data["location"],
                estimated_cost=data["estimated_cost"] if data["estimated_cost"] is not None else "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(proposal.get_absolute_url())
    return render(
        request, "proposals/form.html", {"form": form, "can_propose": True, "editing": True, "proposal": proposal}
    )


def proposal_detail(request, pk):
    proposal = _visible(request, pk)
    user = request.user
    state = selectors.effective_state(proposal)
    context = {
        "proposal": proposal,
        "state": state,
        "state_label": ProposalState(state).label,
        "overdue": selectors.is_overdue(proposal),
        "policy": selectors.policy_for(proposal.area),
        "percent": min(100, round(100 * proposal.endorsement_count / proposal.threshold)) if proposal.threshold else 0,
        "stances": selectors.stance_counts(proposal),
        "threads": (threads := selectors.comment_threads(proposal)),
        "editable": {
            c.pk for c in threads if user.is_authenticated and c.author_id == user.pk and selectors.comment_edit_open(c)
        },
        "answers": selectors.answers(proposal),
        "cosponsors": selectors.cosponsors(proposal),
        "endorsers": selectors.endorsers(proposal, limit=50),
        "timeline": timeline_for(proposal),
        "attachments": proposal.attachments.all(),
        "similar": selectors.similar_proposals(title=proposal.title, area=proposal.area, exclude_pk=proposal.pk)
        if state == ProposalState.DRAFT
        else [],
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
        "open_for_answer": state in lifecycle.OPEN_FOR_ANSWER,
        "open_for_comments": state in lifecycle.OPEN_FOR_COMMENTS and not proposal.is_hidden,
        "withdrawable": lifecycle.can_move(state, ProposalState.WITHDRAWN),
        "correctable": state in lifecycle.OPEN_FOR_ANSWER,
        "declinable": lifecycle.can_move(state, ProposalState.DECLINED),
        "cosponsorable": selectors.accepts_cosponsors(state),
        "can_answer": user.has_perm("proposals.answer", proposal),
        "comment_form": CommentForm(),
        "answer_form": AnswerForm(),
        "cosponsor_form": CoSponsorForm(organisations=organisations_represented(user))
        if user.is_authenticated
        else None,
        "reason_form": ReasonForm(),
        **selectors.viewer_facts(proposal, user),
    }
    if user.is_authenticated:
        from civic.selectors import is_eligible

        context["eligible"] = is_eligible(user, proposal.area)
    return render(request, "proposals/detail.html", context)


def _done(request, proposal, message):
    messages.success(request, message)
    return redirect(proposal.get_absolute_url())


@login_required
@require_POST
def proposal_action(request, pk, action):
    proposal = _visible(request, pk)
    user = request.user
    if action == "publish":
        services.proposal_publish(actor=user, proposal=proposal)
        return _done(request, proposal, _("Published. Neighbours can co-sign it now."))
    if action == "endorse":
        services.proposal_endorse(user=user, proposal=proposal)
        return _done(request, proposal, _("Thank you for co-signing."))
    if action == "unendorse":
        services.proposal_unendorse(user=user, proposal=proposal)
        return _done(request, proposal, _("Your co-signature is withdrawn."))
    if action in ("follow", "unfollow"):
        services.proposal_follow(user=user, proposal=proposal, follow=action == "follow")
        return _done(
            request,
            proposal,
            _("You follow this proposal.") if action == "follow" else _("You no longer follow this proposal."),
        )
    if action == "withdraw":
        services.proposal_withdraw(actor=user, proposal=proposal, reason=request.POST.get("reason", ""))
        return _done(request, proposal, _("The proposal is withdrawn."))
    if action == "decline":
        form = ReasonForm(request.POST)
        services.proposal_decline(actor=user, proposal=proposal, reason=form.data.get("reason", ""))
        return _done(request, proposal, _("The proposal is declined; its followers have been told why."))
    if action == "answer":
        form = AnswerForm(request.POST)
        services.proposal_answer(
            official=user, proposal=proposal, status=form.data.get("status", ""), reason=form.data.get("reason", "")
        )
        return _done(request, proposal, _("The answer is published."))
    if action == "comment":
        form = CommentForm(request.POST)
        parent = Comment.objects.filter(pk=as_pk(request.POST.get("parent")), proposal=proposal).first()
        organisation = Organisation.objects.filter(pk=as_pk(request.POST.get("organisation"))).first()
        comment = services.comment_add(
            author=user,
            proposal=proposal,
            body=form.data.get("body", ""),
            stance=form.data.get("stance", "neutral"),
            parent=parent,
            organisation=organisation,
        )
        messages.success(request, _("Your comment is published."))
        return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    if action == "cosponsor":
        data = request.POST
        organisation = Organisation.objects.filter(pk=data.get("organisation") or None).first()
        services.cosponsor_join(
            user=user,
            proposal=proposal,
            organisation=organisation,
            pledge_kind=data.get("pledge_kind", "none"),
            pledge_amount=data.get("pledge_amount") or None,
            pledge_description=data.get("pledge_description", ""),
        )
        return _done(request, proposal, _("You are now a co-sponsor."))
    raise Http404


@login_required
@require_POST
def comment_edit(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    services.comment_edit(
        actor=request.user,
        comment=comment,
        body=request.POST.get("body", ""),
        stance=request.POST.get("stance") or None,
    )
    messages.success(request, _("Saved."))
    return redirect(f"{comment.proposal.get_absolute_url()}#comment-{comment.pk}")


@login_required
def overdue(request):
    if not request.user.has_perm("proposals.view_overdue"):
        raise NotAllowed("not_allowed", _("You do not have permission to see this page."))
    page = Paginator(selectors.waiting_for_answer(request.user), 30).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.overdue = selectors.is_overdue(proposal)
    return render(request, "proposals/overdue.html", {"page": page})


@login_required
def categories(request):
    if not request.user.has_perm("proposals.manage_categories"):
        raise NotAllowed("not_allowed", _("You do not have permission to see this page."))
    editing = Category.objects.filter(pk=as_pk(request.GET.get("edit") or request.POST.get("pk"))).first()
    initial = (
        {
            "name": editing.name,
            "description": editing.description,
            "position": editing.position,
            "is_active": editing.is_active,
        }
        if editing
        else None
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, category=editing, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("proposal-categories")
    return render(
        request, "proposals/categories.html", {"form": form, "editing": editing, "categories": Category.objects.all()}
    )


def similar(request):
    """JSON for the form's 'similar proposals' panel."""
    area = (
        Area.objects.filter(pk=as_pk(request.GET.get("area"))).first()
        or Area.objects.filter(code=request.GET.get("area", "")).first()
    )
    found = selectors.similar_proposals(title=request.GET.get("title", "")[:80], area=area)
    return JsonResponse(
        {
            "results": [
                {"id": p.pk, "title": p.title, "url": p.get_absolute_url(), "state": p.get_state_display()}
                for p in found
            ]
        }
    )


@login_required
def area_rules(request, code):
    from .forms import AreaRulesForm

    area = get_object_or_404(Area, code=code)
    if not request.user.has_perm("proposals.set_rules", area):
        raise NotAllowed("not_allowed", _("You do not have permission to see this page."))
    current = selectors.policy_for(area)
    initial = {
        "endorsement_threshold": current.endorsement_threshold,
        "collection_days": current.collection_days,
        "response_working_days": current.response_working_days,
    }
    form = AreaRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_policy_set(actor=request.user, area=area, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved. New proposals in %(area)s follow these rules.") % {"area": area.name})
            return redirect("area-detail", code=area.code)
    return render(request, "proposals/area_rules.html", {"area": area, "form": form, "current": current})
