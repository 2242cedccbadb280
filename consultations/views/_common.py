from django.shortcuts import redirect

from civic.selectors import organisations_represented
from civic.services import holds_perm

from .. import selectors
from ..forms import ExtendForm, OpinionForm
from ..models import ConsultationState
from ..predicates import organisation_serves


def organisations_for(user, consultation) -> list:
    if not consultation.organisations_take_part or not getattr(user, "is_authenticated", False):
        return []
    return [
        o
        for o in organisations_represented(user).prefetch_related("areas")
        if organisation_serves(o, consultation.area)
    ]


def detail_context(request, consultation, **forms) -> dict:
    """What the consultation's page shows, for its first rendering and after a refused form."""
    from civic.selectors import timeline_for

    user = request.user
    version = selectors.version_of(consultation)
    unit_list = selectors.units(version, counted_for=user)
    roots = selectors.unit_tree(unit_list)
    may_comment = holds_perm(user, "consultations.comment", consultation, personal=True)
    is_open = selectors.is_open_now(consultation)
    context = {
        "consultation": consultation,
        "roots": roots,
        "unit_count": len(unit_list),
        "is_drafter": selectors.is_drafter(user, consultation),
        "may_enter_offline": holds_perm(user, "consultations.enter_offline", consultation),
        "may_comment": may_comment,
        "is_open": is_open,
        "following": selectors.follows(user, consultation),
        "questions": selectors.questions(consultation, user),
        "extensions": list(consultation.extensions.all()),
        "progress": selectors.answer_progress(consultation),
        "sees_opinions": selectors.sees_all_opinions(user, consultation),
        "timeline": timeline_for(consultation),
        "latest": selectors.with_unit_labels(selectors.opinions(user, consultation, order="newest")[:10], consultation),
        "states": ConsultationState,
    }
    if is_open and may_comment:
        context["opinion_form"] = forms.get("opinion_form") or OpinionForm(
            initial={"unit": request.GET.get("unit", "")},
            units=unit_list,
            organisations=organisations_for(user, consultation),
        )
    if context["is_drafter"] and consultation.state == ConsultationState.OPEN:
        context["extend_form"] = ExtendForm()
    context.update(forms)
    return context


def back(consultation, anchor: str = ""):
    url = consultation.get_absolute_url()
    return redirect(f"{url}#{anchor}" if anchor else url)
