"""Proposal pages: parse, call a service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from civic import pagecache
from civic.acting import acting_pair
from civic.errors import NotAllowed
from civic.forms import submit
from civic.media import PRIVATE_CACHE, file_response
from civic.models import Area, Organisation
from civic.selectors import organisations_represented, timeline_for
from civic.validators import as_pk

from . import lifecycle, pages, selectors, services
from .forms import (
    AnswerForm,
    CategoryForm,
    CommentEditForm,
    CommentForm,
    CoSponsorForm,
    DeclineForm,
    FilterForm,
    ProposalForm,
    WithdrawForm,
)
from .models import Attachment, Category, Comment, Proposal, ProposalState
from .predicates import authors_may


def _is_staff(user) -> bool:
    from civic.predicates import holds_role_anywhere

    return holds_role_anywhere(user, "official") or holds_role_anywhere(user, "organiser")


def _visible(request, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("area", "category", "author", "organisation"), pk=pk)
    if not selectors.may_see(proposal, request.user):
        raise Http404
    return proposal


def _list_context(request, area_code: str) -> dict:
    """What the list shows (rendered only when the cache has no current copy)."""
    area = Area.objects.filter(code=area_code).first() if area_code else None
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
    page = selectors.proposal_page(area=area, number=request.GET.get("page"), **filters)
    for proposal in page.object_list:
        proposal.shown_state = selectors.effective_state(proposal)
        proposal.overdue = selectors.is_overdue(proposal)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "area": area,
        "query": query.urlencode(),
        "valid_until": selectors.shown_states_valid_until(),
    }


def proposal_list(request):
    # Shared by everyone: the whole list is one cached part per area, filters, page and language.
    code = request.GET.get("area", "")
    area = Area.objects.filter(code=code).only("code").first() if code else None
    part = pagecache.Part(
        "proposal-list",
        pages.list_scopes(area),
        (sorted(request.GET.lists()),),
        lambda: _list_context(request, code),
        request=request,
        signed_in_page=True,
    )
    page = lambda: render(request, "proposals/list.html", {"list_part": part})  # noqa: E731
    return pagecache.whole_page(request, part, page, reader=dict)  # nothing personal but the header


@login_required
def proposal_new(request):
    user = request.user
    areas = selectors.areas_to_propose_in(user)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        areas=areas,
        organisations=list(organisations_represented(user)),
        staff=_is_staff(user),
    )
    if request.method == "POST" and (
        done := submit(
            form,
            lambda data: services.proposal_create(
                author=user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                area=data["area"],
                location=data["location"],
                estimated_cost=data["estimated_cost"],
                organisation=data.get("organisation"),
                channel=data.get("channel") or "online",
                on_behalf_of=data.get("on_behalf_of", ""),
                files=data.get("files", []),
                publish=data["publish"],
            ),
        )
    ):
        messages.success(
            request,
            _("Published. Neighbours can co-sign it now.")
            if done.value.state != ProposalState.DRAFT
            else _("Saved as a draft; only you can see it."),
        )
        return redirect(done.value.get_absolute_url())
    return render(request, "proposals/form.html", {"form": form, "can_propose": areas.exists(), "editing": False})


@login_required
def proposal_edit(request, pk):
    proposal = _visible(request, pk)
    if not authors_may(request.user, "proposals.edit_proposal", proposal):
        raise NotAllowed("not_allowed", _("Only the author can edit a proposal."))
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
        areas=selectors.areas_to_propose_in(request.user) | Area.objects.filter(pk=proposal.area_id),
        organisations=[],
        staff=False,
        editing=True,
    )
    if request.method == "POST" and (
        done := submit(
            form,
            lambda data: services.proposal_update(
                actor=request.user,
                proposal=proposal,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                area=data["area"],
                location=data["location"],
                estimated_cost=data["estimated_cost"] if data["estimated_cost"] is not None else "",
            ),
        )
    ):
        messages.success(request, _("Saved."))
        return redirect(done.value.get_absolute_url())
    return render(
        request, "proposals/form.html", {"form": form, "can_propose": True, "editing": True, "proposal": proposal}
    )


def _with_reply_forms(threads: list) -> list:
    """Each thread its reply form, its field ids its own so a label picks its own form's choice; the same
    for every reader, so kept in the discussion every signed-in reader shares."""
    for thread in threads:
        thread.reply_form = CommentForm(auto_id=f"id_reply{thread.pk}_%s")
    return threads


def _shared_detail(proposal) -> dict:
    """What every visitor sees of a proposal's page (its cached parts), each read only when a part is rendered."""
    return {
        "stances": SimpleLazyObject(lambda: selectors.stance_counts(proposal)),
        "threads": SimpleLazyObject(lambda: _with_reply_forms(selectors.comment_threads(proposal))),
        "answers": selectors.answers(proposal),
        "cosponsors": selectors.cosponsors(proposal),
        "endorsers": selectors.endorsers(proposal, limit=50),
        "timeline": SimpleLazyObject(lambda: timeline_for(proposal)),
        "attachments": proposal.attachments.all(),
        "valid_until": selectors.state_valid_until(proposal),
    }


def _reader(request, pk: int, part) -> dict | None:
    """The signed-in reader's own facts on the page shared by every signed-in reader (read with the page's
    own query, `part.reader_rows`, or in one more), or None if it must be rendered for them: an official may
    answer it, the co-sponsor form offers the organisations one speaks for."""
    if pagecache.person(request)["official"]:
        return None
    facts = selectors.reader_facts(pk, request.user, part.reader_rows)
    return None if facts["represents"] else facts


def _detail_context(request, proposal, part=None, **forms) -> dict:
    """What the proposal page shows; `forms` replaces an empty form with a submitted one and its errors.
    `part` holds the shared parts (made before the proposal was read); without it nothing is cached.
    While the page every signed-in reader shares is made (`pagecache.holes`), nothing of the reader is
    read: what differs between readers is marked `{% reader %}` in the template and decided per request
    from `_reader`'s facts; a page rendered for one person decides it from the same facts."""
    user = request.user
    state = selectors.effective_state(proposal)
    public = state != ProposalState.DRAFT and not proposal.is_hidden
    if part is None or not public:
        part = pagecache.Part(
            "proposal", pages.detail_scopes(proposal.pk), (proposal.pk,), lambda: _shared_detail(proposal), cache=False
        )
    shared = pagecache.holes(request)  # made for every signed-in reader
    signed_in = user.is_authenticated
    personal = signed_in and not shared
    context = {
        "proposal": proposal,
        "part": part,
        "state": state,
        "state_label": ProposalState(state).label,
        "overdue": selectors.is_overdue(proposal),
        "percent": min(100, round(100 * proposal.endorsement_count / proposal.threshold)) if proposal.threshold else 0,
        "similar": selectors.similar_proposals(title=proposal.title, area=proposal.area, exclude_pk=proposal.pk)
        if state == ProposalState.DRAFT
        else [],
        "can_publish": personal and authors_may(user, "proposals.publish_proposal", proposal),
        "open_for_answer": state in lifecycle.OPEN_FOR_ANSWER,
        "open_for_comments": state in lifecycle.OPEN_FOR_COMMENTS and not proposal.is_hidden,
        "withdrawable": lifecycle.MACHINE.can(state, ProposalState.WITHDRAWN),
        "correctable": state in lifecycle.OPEN_FOR_ANSWER,
        "declinable": lifecycle.MACHINE.can(state, ProposalState.DECLINED),
        "cosponsorable": selectors.accepts_cosponsors(state),
        # officials' forms: whoever holds a role gets the page rendered for them (pagecache.whole_page)
        "can_answer": personal and user.has_perm("proposals.answer", proposal),
        "reader": None,
    }
    if personal:
        from civic.selectors import is_eligible

        facts = selectors.reader_facts(proposal.pk, user)
        person, _assisted_by = acting_pair(request)  # while acting, the page speaks of the resident's part
        if person is not user:
            theirs = selectors.reader_facts(proposal.pk, person)
            facts.update(endorsed=theirs["endorsed"], following=theirs["following"])
            context["eligible"] = is_eligible(person, proposal.area)
            context["endorsed"] = theirs["endorsed"]
        context["reader"] = {"me": str(user.pk), **facts}
    if signed_in:
        # The forms are made only if the page shows them.
        context["comment_form"] = forms.get("comment_form") or CommentForm()
        if context["can_answer"]:
            context["answer_form"] = forms.get("answer_form") or AnswerForm()
            context["reason_form"] = forms.get("reason_form") or DeclineForm()
        if context["cosponsorable"]:
            context["cosponsor_form"] = forms.get("cosponsor_form") or CoSponsorForm(
                organisations=organisations_represented(user) if personal else ()
            )
        context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm()  # shown to the author only
    return context


def proposal_detail(request, pk):
    # The shared parts' versions are read first, then the proposal: what is kept is never older than them.
    part = pagecache.Part(
        "proposal",
        pages.detail_scopes(pk),
        (pk,),
        lambda: _shared_detail(proposal),
        request=request,
        signed_in_page=True,
        reader_query=lambda me: selectors.reader_query(pk, me),  # the reader's facts in the same query
    )
    reader = lambda: _reader(request, pk, part)  # noqa: E731
    if kept := pagecache.kept_page(request, part, reader):
        return kept
    proposal = _visible(request, pk)

    def render_page():
        return render(request, "proposals/detail.html", _detail_context(request, proposal, part))

    if proposal.state == ProposalState.DRAFT or proposal.is_hidden:  # its author's alone: never kept whole
        return render_page()
    return pagecache.whole_page(request, part, render_page, reader)


@require_safe
def attachment_file(request, pk, attachment_pk):
    """An attachment, to whoever may see its proposal: typed by its verified kind, documents as downloads."""
    proposal = _visible(request, pk)
    attachment = get_object_or_404(Attachment, proposal=proposal, pk=attachment_pk)
    return file_response(
        attachment.file.storage,
        attachment.file.name,
        kind=attachment.kind,
        display_name=attachment.name,
        private=False,
        cache=PRIVATE_CACHE,  # the proposal may be withdrawn or hidden later
    )


def _done(request, proposal, message):
    messages.success(request, message)
    return redirect(proposal.get_absolute_url())


# The proposal page's actions. Those without input call their service; a refusal takes the site's one
# HTML path for domain errors. Those with input go through a form: a refusal shows the page again with
# the form and its errors.
_BUTTONS = {
    "publish": (
        lambda user, proposal: services.proposal_publish(actor=user, proposal=proposal),
        gettext_lazy("Published. Neighbours can co-sign it now."),
    ),
    "unendorse": (
        lambda user, proposal: services.proposal_unendorse(user=user, proposal=proposal),
        gettext_lazy("Your co-signature is withdrawn."),
    ),
    "follow": (
        lambda user, proposal: services.proposal_follow(user=user, proposal=proposal, follow=True),
        gettext_lazy("You follow this proposal."),
    ),
    "unfollow": (
        lambda user, proposal: services.proposal_follow(user=user, proposal=proposal, follow=False),
        gettext_lazy("You no longer follow this proposal."),
    ),
}


@login_required
@require_POST
def proposal_action(request, pk, action):
    proposal = _visible(request, pk)
    user = request.user
    person, assisted_by = acting_pair(request)  # acting for a resident in person (代办), or oneself
    if action == "endorse":
        services.proposal_endorse(user=person, proposal=proposal, assisted_by=assisted_by)
        if assisted_by is not None:
            return _done(request, proposal, _("Co-signed for %(name)s.") % {"name": person.public_name})
        return _done(request, proposal, _("Thank you for co-signing."))
    if action in _BUTTONS:
        service, message = _BUTTONS[action]
        service(user, proposal)
        return _done(request, proposal, message)
    if action == "withdraw":
        form = WithdrawForm(request.POST)
        if submit(form, lambda data: services.proposal_withdraw(actor=user, proposal=proposal, **data)):
            return _done(request, proposal, _("The proposal is withdrawn."))
        return render(request, "proposals/detail.html", _detail_context(request, proposal, withdraw_form=form))
    if action == "decline":
        form = DeclineForm(request.POST)
        if submit(form, lambda data: services.proposal_decline(actor=user, proposal=proposal, **data)):
            return _done(request, proposal, _("The proposal is declined; its followers have been told why."))
        return render(request, "proposals/detail.html", _detail_context(request, proposal, reason_form=form))
    if action == "answer":
        form = AnswerForm(request.POST)
        if submit(form, lambda data: services.proposal_answer(official=user, proposal=proposal, **data)):
            return _done(request, proposal, _("The answer is published."))
        return render(request, "proposals/detail.html", _detail_context(request, proposal, answer_form=form))
    if action == "comment":
        form = CommentForm(request.POST)
        parent = Comment.objects.filter(pk=as_pk(request.POST.get("parent")), proposal=proposal).first()
        organisation = Organisation.objects.filter(pk=as_pk(request.POST.get("organisation"))).first()
        if done := submit(
            form,
            lambda data: services.comment_add(
                author=person,
                proposal=proposal,
                parent=parent,
                organisation=organisation,
                assisted_by=assisted_by,
                **data,
            ),
        ):
            messages.success(request, _("Your comment is published."))
            return redirect(f"{proposal.get_absolute_url()}#comment-{done.value.pk}")
        return render(request, "proposals/detail.html", _detail_context(request, proposal, comment_form=form))
    if action == "cosponsor":
        form = CoSponsorForm(request.POST, organisations=organisations_represented(user))
        if submit(
            form,
            lambda data: services.cosponsor_join(
                user=user,
                proposal=proposal,
                organisation=data.get("organisation"),
                pledge_kind=data["pledge_kind"],
                pledge_amount=data["pledge_amount"],
                pledge_description=data["pledge_description"],
            ),
        ):
            return _done(request, proposal, _("You are now a co-sponsor."))
        return render(request, "proposals/detail.html", _detail_context(request, proposal, cosponsor_form=form))
    raise Http404


@login_required
@require_POST
def comment_edit(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    form = CommentEditForm(request.POST)
    if submit(
        form,
        lambda data: services.comment_edit(
            actor=request.user, comment=comment, body=data["body"], stance=data["stance"] or None
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect(f"{comment.proposal.get_absolute_url()}#comment-{comment.pk}")
    for errors in form.errors.values():  # the comment is edited in place on the page: its refusal is a message
        for error in errors:
            messages.error(request, error)
    proposal = _visible(request, comment.proposal_id)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


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
            "name_en": editing.name_en,
            "description": editing.description,
            "position": editing.position,
            "is_active": editing.is_active,
        }
        if editing
        else None
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(
        form, lambda data: services.category_save(actor=request.user, category=editing, **data)
    ):
        messages.success(request, _("Saved."))
        return redirect("proposals:proposal-categories")
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
        "author_counts": current.author_counts,
    }
    form = AreaRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(
        form, lambda data: services.area_policy_set(actor=request.user, area=area, **data)
    ):
        messages.success(request, _("Saved. New proposals in %(area)s follow these rules.") % {"area": area.name})
        return redirect("civic:area-detail", code=area.code)
    return render(request, "proposals/area_rules.html", {"area": area, "form": form, "current": current})


@login_required
def from_reports(request, code):
    """An area's recurring small matters (a category reported again and again in a grid cell), each with
    "turn this into a proposal", for the organisers and officials of the area."""
    from .forms import FromReportsForm

    area = get_object_or_404(Area, code=code)
    if not request.user.has_perm("proposals.propose_from_reports", area):
        raise NotAllowed("not_allowed", _("You do not have permission to see this page."))
    posted = FromReportsForm(request.POST) if request.method == "POST" else None
    if posted is not None:
        cell = Area.objects.filter(code=request.POST.get("cell", ""), path__startswith=area.path).first()
        if cell is None:
            raise Http404
        if done := submit(
            posted,
            lambda data: services.proposal_from_reports(
                actor=request.user,
                cell=cell,
                category_key=data["category_key"],
                title=data["title"],
                body=data["body"],
                category=data["category"],
            ),
        ):
            messages.success(request, _("Published. The residents who reported it have been told."))
            return redirect(done.value.get_absolute_url())
    suggestions = []
    for found in selectors.report_suggestions(area):
        same = posted is not None and posted.data.get("cell") == found.cell_code
        same = same and posted.data.get("category_key") == found.category_key
        params = {"category": found.category_name, "cell": found.cell_name, "count": found.reports}
        initial = {
            "cell": found.cell_code,
            "category_key": found.category_key,
            "title": _("%(category)s keeps coming back in %(cell)s") % params,
            "body": _(
                "%(count)s reports of “%(category)s” in %(cell)s in the last few months: each was handled, yet "
                "the problem keeps coming back. What lasting change would stop it?"
            )
            % params,
        }
        form = (
            posted
            if same
            else FromReportsForm(initial=initial, auto_id=f"id_{found.cell_code}_{found.category_key}_%s")
        )
        suggestions.append({"found": found, "form": form})
    return render(
        request,
        "proposals/from_reports.html",
        {
            "area": area,
            "suggestions": suggestions,
            "days": settings.CASEWORK_RECURRING_DAYS,
            "threshold": settings.CASEWORK_RECURRING_REPORTS,
        },
    )
