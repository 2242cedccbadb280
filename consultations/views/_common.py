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


def shared_detail(pk: int, view: str | None, commentable: bool, user=None) -> dict:
    """What every reader of one view sees of a consultation's page (its kept parts): read only when a part is
    rendered, the consultation itself afresh (the kept parts are never older than the versions read). With
    no view (a reader who sees more than the public), what `user` may read, rendered for them alone."""
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
        "commentable": commentable,
        "extensions": SimpleLazyObject(lambda: list(consultation.extensions.all())),
        "progress": SimpleLazyObject(lambda: selectors.answer_progress(consultation)),
        "sees_opinions": sees_opinions,
        "latest": SimpleLazyObject(latest),
        "timeline": SimpleLazyObject(lambda: timeline_for(consultation)),
        "valid_until": clock_valid_until(consultation),
    }


def detail_context(request, consultation, part=None, **forms) -> dict:
    """What the consultation's page shows the reader, for its first rendering and after a refused form; the
    shared parts come from `part` (made before the consultation was read; without it nothing is kept)."""
    user = request.user
    may_comment = holds_perm(user, "consultations.comment", consultation, personal=True)
    is_open = selectors.is_open_now(consultation)
    is_drafter = selectors.is_drafter(user, consultation)
    if part is None:
        view = pages.view_of(user, consultation)
        part = pagecache.Part(
            "consultation",
            pages.detail_scopes(consultation.pk),
            (consultation.pk, view, is_open and may_comment),
            lambda: shared_detail(consultation.pk, view, is_open and may_comment, user),
            cache=False,
        )
    context = {
        "consultation": consultation,
        "part": part,
        "is_drafter": is_drafter,
        "may_enter_offline": holds_perm(user, "consultations.enter_offline", consultation),
        "may_comment": may_comment,
        "is_open": is_open,
        "following": selectors.follows(user, consultation),
        "questions": selectors.questions(consultation, user),
        "progress": SimpleLazyObject(lambda: selectors.answer_progress(consultation)),
        "states": ConsultationState,
    }
    if is_open and may_comment:
        organisations = organisations_for(user, consultation)

        def opinion_form():
            unit_list = selectors.units(selectors.version_of(consultation))
            selectors.unit_tree(unit_list)  # the form's choices show the units' depth
            return OpinionForm(
                initial={"unit": request.GET.get("unit", "")}, units=unit_list, organisations=organisations
            )

        # The empty form (a choice of every unit of the text) is the same for everyone who speaks for
        # themselves: a kept part, made only when it is rendered.
        context["give_opinion"] = True
        context["opinion_form"] = forms.get("opinion_form") or SimpleLazyObject(opinion_form)
        context["opinion_form_shared"] = not (forms.get("opinion_form") or organisations or request.GET.get("unit"))
    if is_drafter and consultation.state == ConsultationState.OPEN:
        context["extend_form"] = ExtendForm()
    context.update(forms)
    return context


def back(consultation, anchor: str = ""):
    url = consultation.get_absolute_url()
    return redirect(f"{url}#{anchor}" if anchor else url)
