from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from civic import pagecache
from civic.selectors import organisations_represented
from civic.services import holds_perm

from .. import pages, selectors
from ..forms import ExtendForm, OpinionForm
from ..models import Consultation, ConsultationState
from ..predicates import organisation_serves


def organisations_for(user, consultation) -> list:
    if not consultation.organisations_take_part or not getattr(user, "is_authenticated", False):
        return []
    return [
        o
        for o in organisations_represented(user).prefetch_related("areas")
        if organisation_serves(o, consultation.area)
    ]


def clock_valid_until(consultation):
    """When what a page of `consultation` shows changes with the clock: the window opening or closing."""
    if consultation.state != ConsultationState.OPEN:
        return None
    now = timezone.now()
    return next((t for t in (consultation.opens_at, consultation.closes_at) if t and t > now), None)


def shared_detail(pk: int, view: str | None, user=None) -> dict:
    """What every reader of one view sees of a consultation's page (its kept parts): read only when a part is
    rendered, the consultation itself afresh (the kept parts are never older than the versions read). With
    no view (a reader who sees more than the public), what `user` may read, rendered for them alone. The
    "Comment" links of the text show while the window is open, to the readers who may comment (a mark)."""
    from civic.selectors import timeline_for

    from ..predicates import opinions_readable

    consultation = Consultation.objects.select_related("area").get(pk=pk)

    def text():
        version = selectors.version_of(consultation)
        if view is None:
            unit_list = selectors.units(version, counted_for=user)
        else:
            unit_list = selectors.units(version)
            counts = selectors.unit_counts(consultation, view)
            for unit in unit_list:
                vars(unit)["opinion_total"] = counts.get(unit.pk, 0)
        return {"roots": selectors.unit_tree(unit_list), "count": len(unit_list)}

    def latest():
        if view is None:
            found = selectors.opinions(user, consultation, order="newest")[:10]
        else:
            found = selectors.opinions_in_view(consultation, view, order="newest")[:10]
        return selectors.with_unit_labels(found, consultation)

    if view is None:
        sees_opinions = selectors.sees_all_opinions(user, consultation)
    else:
        sees_opinions = view == pages.ALL or opinions_readable(None, consultation)
    return {
        "consultation": consultation,
        "text": SimpleLazyObject(text),
        "commentable": selectors.is_open_now(consultation),
        "extensions": SimpleLazyObject(lambda: list(consultation.extensions.all())),
        "progress": SimpleLazyObject(lambda: selectors.answer_progress(consultation)),
        "sees_opinions": sees_opinions,
        "latest": SimpleLazyObject(latest),
        "timeline": SimpleLazyObject(lambda: timeline_for(consultation)),
        "valid_until": clock_valid_until(consultation),
    }


def reader(request, pk: int) -> dict | None:
    """The signed-in reader's own facts on the consultation's pages every signed-in reader shares (one
    query), or None if theirs must be rendered for them: an official (forms only they see), one who drafts
    it, enters offline opinions, speaks for an organisation where organisations take part or has an opinion
    the public does not read."""
    if pagecache.person(request)["official"]:
        return None
    facts = selectors.reader_facts(pk, request.user)
    return None if facts["own_page"] else facts


def reader_once(request, pk: int, *, query_is_theirs: bool = False):
    """`reader(request, pk)` asked at most once per request (the kept page, the view and `whole_page` each
    want it); with `query_is_theirs`, a page asked with a query is rendered for its reader."""
    found: list = []

    def facts() -> dict | None:
        if not found:
            found.append(None if query_is_theirs and request.GET else reader(request, pk))
        return found[0]

    return facts


def personal_facts(request, consultation) -> dict | None:
    """The facts the marks of a page rendered for one signed-in reader are decided by (the same as on the
    shared page, `may_comment` by the whole rule, organisations too), or None for a visitor and while the
    shared page is made."""
    user = request.user
    if not user.is_authenticated or pagecache.holes(request):
        return None
    facts = selectors.reader_facts(consultation.pk, user)
    facts["may_comment"] = holds_perm(user, "consultations.comment", consultation, personal=True)
    return {"me": str(user.pk), **facts}


def detail_context(request, consultation, part=None, **forms) -> dict:
    """What the consultation's page shows the reader, for its first rendering and after a refused form; the
    shared parts come from `part` (made before the consultation was read; without it nothing is kept).
    While the page every signed-in reader shares is made (`pagecache.holes`), nothing of the reader is read:
    what differs between readers is marked `{% reader %}` in the template and decided per request from
    `reader`'s facts; a page rendered for one person decides the same marks from `personal_facts`."""
    user = request.user
    shared = pagecache.holes(request)
    facts = personal_facts(request, consultation)
    personal = facts is not None
    may_comment = bool(facts and facts["may_comment"])
    is_open = selectors.is_open_now(consultation)
    is_drafter = personal and selectors.is_drafter(user, consultation)
    if part is None:
        view = pages.view_of(user, consultation)
        part = pagecache.Part(
            "consultation",
            pages.detail_scopes(consultation.pk),
            (consultation.pk, view),
            lambda: shared_detail(consultation.pk, view, user),
            cache=False,
        )
    context = {
        "consultation": consultation,
        "part": part,
        "is_drafter": is_drafter,
        "may_enter_offline": personal and holds_perm(user, "consultations.enter_offline", consultation),
        "is_open": is_open,
        "questions": selectors.questions(consultation),
        "progress": SimpleLazyObject(lambda: selectors.answer_progress(consultation)),
        "states": ConsultationState,
        "reader": facts,
    }
    if is_open and (may_comment or shared):
        organisations = organisations_for(user, consultation) if personal else []
        unit = "" if shared else request.GET.get("unit", "")

        def opinion_form():
            unit_list = selectors.units(selectors.version_of(consultation))
            selectors.unit_tree(unit_list)  # the form's choices show the units' depth
            return OpinionForm(initial={"unit": unit}, units=unit_list, organisations=organisations)

        # The empty form (a choice of every unit of the text) is the same for everyone who speaks for
        # themselves: a kept part, made only when it is rendered.
        context["give_opinion"] = True
        context["opinion_form"] = forms.get("opinion_form") or SimpleLazyObject(opinion_form)
        context["opinion_form_shared"] = not (forms.get("opinion_form") or organisations or unit)
    if is_drafter and consultation.state == ConsultationState.OPEN:
        context["extend_form"] = ExtendForm()
    context.update(forms)
    return context


def back(consultation, anchor: str = ""):
    url = consultation.get_absolute_url()
    return redirect(f"{url}#{anchor}" if anchor else url)
