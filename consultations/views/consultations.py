"""Pages of a consultation: the list, the page with the text, drafting (settings, text import with preview
and correction, questions), publication, extension, following and subscribing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic import pagecache
from civic.errors import NotFound
from civic.forms import submit
from civic.models import Area, AreaRoleKind
from civic.selectors import areas_for_roles
from civic.services import require_perm

from .. import pages, selectors, services, textimport
from ..forms import ConsultationForm, ExtendForm, QuestionForm, TextImportForm, UnitForm
from ..models import ConsultationState, TextUnit, VersionKind
from ._common import back, detail_context, reader_once, shared_detail

__all__ = [
    "area_subscription",
    "consultation_action",
    "consultation_desk",
    "consultation_detail",
    "consultation_edit",
    "consultation_list",
    "consultation_new",
    "consultation_text",
    "question_add",
    "unit_correct",
]


def _list_context(request) -> dict:
    """What the list shows to everyone (rendered only when the cache has no current copy)."""
    area = Area.objects.filter(code=request.GET.get("area", "")).first()
    state = request.GET.get("state", "")
    if state not in ConsultationState.values or state == ConsultationState.DRAFT:
        state = ""
    page = selectors.page_of(selectors.consultation_cards(area=area, state=state or None), request.GET.get("page"), 20)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "area": area,
        "state": state,
        "states": [(s, label) for s, label in ConsultationState.choices if s != ConsultationState.DRAFT],
        "query": query.urlencode(),
    }


def consultation_list(request):
    # Shared by everyone: the list is one cached part per area, filter, page and language, and one whole page
    # for every signed-in reader; the offer to subscribe is the reader's own (a hole filled per request), the
    # button to start a consultation an official's (whose list is rendered for them).
    code = request.GET.get("area", "")
    area = Area.objects.filter(code=code).only("code", "name").first() if code else None
    part = pagecache.Part(
        "consultation-list",
        pages.list_scopes(area),
        (sorted(request.GET.lists()),),
        lambda: _list_context(request),
        request=request,
        signed_in_page=True,
    )
    return pagecache.whole_page(
        request,
        part,
        lambda: render(request, "consultations/list.html", _mine(request, part)),
        lambda: _list_reader(request, area),
    )


def _list_reader(request, area) -> dict | None:
    """The signed-in reader's own bit of the shared list: the offer to subscribe, filled in (one query); None
    for an official or an administrator (the button to start a consultation: their list is rendered)."""
    if pagecache.person(request)["official"]:
        return None
    offered, subscribed = selectors.subscription_offer(request.user, area)
    html = ""
    if offered is not None:
        context = {"offered": offered, "subscribed": subscribed, "user": request.user, "csrf_token": "-"}
        html = pagecache.csrf_hole(render_to_string("consultations/_subscribe.html", context))
    return {pagecache.HOLES: {"subscribe": html}}


def _mine(request, part) -> dict:
    """The reader's own bits of the list: the offer to subscribe (a verified resident, without an area chosen,
    is offered the community they live in) and the button to start a consultation."""
    context: dict = {"list_part": part, "may_create": request.user.has_perm("consultations.create")}
    if request.user.is_authenticated and not pagecache.holes(request):
        code = request.GET.get("area", "")
        area = Area.objects.filter(code=code).only("code", "name").first() if code else None
        offered, subscribed = selectors.subscription_offer(request.user, area)
        context.update(offered=offered, subscribed=subscribed)
    return context


@login_required
def consultation_desk(request):
    """The drafter's list: every consultation they draft, drafts first, with unanswered opinions counted."""
    managed = selectors.consultations_managed(request.user)
    waiting = list(selectors.waiting_for_answers(request.user))
    page = selectors.page_of(managed, request.GET.get("page"), 30)
    return render(request, "consultations/desk.html", {"page": page, "waiting": waiting})


def _areas(user):
    return areas_for_roles(user, {AreaRoleKind.OFFICIAL}).order_by("path")


def _settings(data) -> dict:
    return {
        "title": data["title"],
        "kind": data["kind"],
        "originator": data["originator"],
        "background": data["background"],
        "participation": data["participation"],
        "organisations_take_part": data["organisations_take_part"],
        "opinions_public": data["opinions_public"],
        "answer_working_days": data["answer_working_days"],
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "drafters": data["drafters"],
    }


@login_required
def consultation_new(request):
    require_perm(request.user, "consultations.create", None, _("Only officials can start a consultation."))
    form = ConsultationForm(request.POST or None, areas=_areas(request.user))
    done = submit(
        form, lambda data: services.consultation_create(actor=request.user, area=data["area"], **_settings(data))
    )
    if done:
        messages.success(request, _("Saved as a draft. Now import the text."))
        return redirect("consultations:consultation-text", done.value.pk)
    return render(
        request,
        "consultations/form.html",
        {"form": form, "editing": False},
        status=done.status if request.method == "POST" else 200,
    )


@login_required
def consultation_edit(request, pk):
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(
        request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
    )
    initial = {
        "area": consultation.area,
        "title": consultation.title,
        "kind": consultation.kind,
        "originator": consultation.originator,
        "background": consultation.background,
        "participation": consultation.participation,
        "organisations_take_part": consultation.organisations_take_part,
        "opinions_public": consultation.opinions_public,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "answer_working_days": consultation.answer_working_days,
        "drafters": "\n".join(consultation.drafters.values_list("email", flat=True)),
    }
    form = ConsultationForm(request.POST or None, initial=initial, areas=Area.objects.filter(pk=consultation.area_id))
    done = submit(
        form,
        lambda data: services.consultation_update(actor=request.user, consultation=consultation, **_settings(data)),
    )
    if done:
        messages.success(request, _("Saved."))
        return redirect(consultation.get_absolute_url())
    context = {"form": form, "editing": True, "consultation": consultation}
    return render(request, "consultations/form.html", context, status=done.status if request.method == "POST" else 200)


def consultation_detail(request, pk):
    # The kept page's versions are read first, then the consultation: what is kept is never older. Visitors
    # and signed-in readers who see what the public sees share the public view's parts; a signed-in reader
    # whose facts say nothing makes the page their own gets the one rendering they all share.
    part = pagecache.Part(
        "consultation",
        pages.detail_scopes(pk),
        (pk, pages.PUBLIC),
        lambda: shared_detail(pk, pages.PUBLIC),
        request=request,
        signed_in_page=True,
    )
    facts = reader_once(request, pk, query_is_theirs=True)  # `?unit=` picks the form's unit
    if kept := pagecache.kept_page(request, part, facts):
        return kept
    user = request.user
    consultation = selectors.consultation_for(user, pk)  # a draft is no one's but its drafters'
    # facts mean the public view (no drafter, no opinion of theirs the public does not read)
    if user.is_authenticated and facts() is None and (view := pages.view_of(user, consultation)) != pages.PUBLIC:
        # the drafters' view (every opinion), or a reader's own opinion the public does not read
        part = pagecache.Part(
            "consultation",
            pages.detail_scopes(pk),
            (pk, view),
            lambda: shared_detail(pk, view, user),
            request=request,
            cache=view is not None,
        )
    return pagecache.whole_page(
        request,
        part,
        lambda: render(request, "consultations/detail.html", detail_context(request, consultation, part)),
        facts,
    )


@login_required
def consultation_text(request, pk):
    """Import the draft's text: preview how it is read (with warnings), correct the text, save it."""
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(
        request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
    )
    version = selectors.version_of(consultation)
    initial = {"source": version.source, "source_format": version.source_format} if version else {}
    form = TextImportForm(request.POST or None, initial=initial)
    preview, warnings, status = None, [], 200 if request.method == "GET" or form.is_valid() else 400
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parsed = textimport.parse(data["source"], data["source_format"])
        warnings = [services.import_warning_message(*w) for w in parsed.warnings]
        if request.POST.get("do") == "save":
            done = submit(
                form,
                lambda data: services.consultation_import_text(
                    actor=request.user,
                    consultation=consultation,
                    source=data["source"],
                    source_format=data["source_format"],
                ),
            )
            if done:
                messages.success(
                    request, _("The text is saved. Check it below and correct any part before publishing.")
                )
                return redirect(consultation.get_absolute_url())
            status = done.status
        preview = [(u, "　" * u.depth) for u in parsed.units]
    return render(
        request,
        "consultations/text.html",
        {
            "consultation": consultation,
            "form": form,
            "preview": preview,
            "warnings": warnings,
            "kinds": dict(UNIT_KINDS),
        },
        status=status,
    )


UNIT_KINDS = [(k, label) for k, label in TextUnit._meta.get_field("kind").choices]


@login_required
def unit_correct(request, pk, anchor):
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(
        request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
    )
    unit = get_object_or_404(
        TextUnit, version__consultation=consultation, version__kind=VersionKind.DRAFT, anchor=anchor
    )
    form = UnitForm(request.POST or None, initial={"kind": unit.kind, "number": unit.number, "text": unit.text})
    done = submit(form, lambda data: services.consultation_unit_correct(actor=request.user, unit=unit, **data))
    if done:
        messages.success(request, _("Corrected."))
        return back(consultation, unit.anchor)
    context = {"consultation": consultation, "unit": unit, "form": form}
    return render(
        request, "consultations/unit_form.html", context, status=done.status if request.method == "POST" else 200
    )


@login_required
def question_add(request, pk):
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(
        request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
    )
    form = QuestionForm(request.POST or None, initial={"kind": "single"})
    done = submit(form, lambda data: services.question_add(actor=request.user, consultation=consultation, **data))
    if done:
        messages.success(request, _("The question is added."))
        return back(consultation, "questions")
    context = {"consultation": consultation, "form": form}
    return render(
        request, "consultations/question_form.html", context, status=done.status if request.method == "POST" else 200
    )


@login_required
@require_POST
def consultation_action(request, pk, action):
    consultation = selectors.consultation_for(request.user, pk)
    user = request.user
    if action == "publish":
        services.consultation_publish(actor=user, consultation=consultation)
        messages.success(request, _("Published: the consultation is open for opinions."))
        return back(consultation)
    if action == "follow":
        services.consultation_follow(user=user, consultation=consultation)
        messages.success(request, _("You follow this consultation and will hear of every update."))
        return back(consultation)
    if action == "unfollow":
        services.consultation_unfollow(user=user, consultation=consultation)
        messages.success(request, _("You no longer follow this consultation."))
        return back(consultation)
    if action == "extend":
        form = ExtendForm(request.POST)
        done = submit(form, lambda data: services.consultation_extend(actor=user, consultation=consultation, **data))
        if done:
            messages.success(request, _("The window is extended; the reason is shown on the page."))
            return back(consultation)
        context = detail_context(request, consultation, extend_form=form)
        return render(
            request, "consultations/detail.html", context, status=done.status if request.method == "POST" else 200
        )
    raise NotFound("not_found", _("Not found."))


@login_required
@require_POST
def area_subscription(request, code):
    area = get_object_or_404(Area, code=code)
    if request.POST.get("subscribe") == "1":
        services.area_subscribe(user=request.user, area=area)
        messages.success(request, _("You will be told when a consultation opens in %(area)s.") % {"area": area.name})
    else:
        services.area_unsubscribe(user=request.user, area=area)
        messages.success(request, _("You will no longer be told of consultations in %(area)s.") % {"area": area.name})
    return redirect(f"{reverse('consultations:consultation-list')}?area={area.code}")
