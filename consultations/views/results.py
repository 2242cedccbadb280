"""The result: the drafters write the final text and publish it with the feedback report; everyone reads
the comparison with the draft, the report and, for a legislature's draft, the summary sent upstream."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic import pagecache
from civic.errors import NotFound
from civic.forms import submit
from civic.services import holds_perm, require_perm

from .. import pages, selectors, services
from ..forms import ConcludeForm, FinalAddForm, FinalUnitForm
from ..models import Classification, Consultation, ConsultationState, Opinion, TextUnit, VersionKind
from ._common import back

__all__ = [
    "consultation_comparison",
    "consultation_conclude",
    "consultation_report",
    "consultation_upstream",
    "final_add",
    "final_start",
    "final_text",
    "final_unit_remove",
    "final_unit_revise",
]

ADOPTING = (Classification.ADOPTED, Classification.PARTLY_ADOPTED)


def _drafter_consultation(request, pk):
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(request.user, "consultations.manage", consultation, _("Only the drafters can write the final text."))
    return consultation


def _final_url(consultation) -> str:
    return reverse("consultations:final-text", args=[consultation.pk])


def _adopted(consultation) -> list[Opinion]:
    """The opinions answered as (partly) adopted, with their unit: what a change may name as its cause."""
    return list(
        Opinion.objects.filter(consultation=consultation, classification__in=ADOPTING)
        .select_related("unit")
        .order_by("unit__position", "pk")
    )


def _causes_for(unit: TextUnit, adopted: list[Opinion]) -> list[Opinion]:
    """The adopted opinions on the draft unit this unit replaces, on the units around it (an opinion on
    第三条 proposes the wording of its paragraphs; one on a paragraph may change the article's line), and
    those on the whole text."""
    if unit.replaces_id is None:
        return [o for o in adopted if o.unit_id is None]
    parents = dict(TextUnit.objects.filter(version_id=unit.replaces.version_id).values_list("pk", "parent_id"))

    def line(pk: int | None) -> set[int]:
        chain = set()
        while pk is not None:
            chain.add(pk)
            pk = parents.get(pk)
        return chain

    above = line(unit.replaces_id)
    related = {pk for pk in parents if pk in above or unit.replaces_id in line(pk)}
    return [o for o in adopted if o.unit_id is None or o.unit_id in related]


def _final_page(request, consultation, status=200, **extra):
    version = selectors.version_of(consultation, VersionKind.FINAL)
    unit_list = list(
        TextUnit.objects.filter(version=version).prefetch_related("changed_by").order_by("position") if version else []
    )
    adopted = _adopted(consultation)
    editing = extra.pop("editing", None)
    if editing is None and request.GET.get("unit", "").isdigit():
        editing = next((u for u in unit_list if u.pk == int(request.GET["unit"])), None)
    context = {
        "consultation": consultation,
        "version": version,
        "units": unit_list,
        "adopted": adopted,
        "editing": editing,
        "editable": consultation.state in services.FINAL_EDIT_STATES,
        "progress": selectors.answer_progress(consultation),
        "may_conclude": consultation.state == ConsultationState.ANSWERED
        and holds_perm(request.user, "civic.publish_notice", consultation.area),
        "add_form": extra.pop("add_form", None) or FinalAddForm(prefix="add", causes=adopted),
        "conclude_form": extra.pop("conclude_form", None) or ConcludeForm(),
    }
    if editing is not None:
        context["unit_form"] = extra.pop("unit_form", None) or FinalUnitForm(
            initial={"text": editing.text, "opinions": [o.pk for o in editing.changed_by.all()]},
            causes=_causes_for(editing, adopted),
        )
    context.update(extra)
    return render(request, "consultations/final.html", context, status=status)


@login_required
def final_text(request, pk):
    return _final_page(request, _drafter_consultation(request, pk))


@login_required
@require_POST
def final_start(request, pk):
    consultation = _drafter_consultation(request, pk)
    services.final_prepare(actor=request.user, consultation=consultation)
    messages.success(request, _("The final text starts as a copy of the draft; revise it unit by unit."))
    return redirect(_final_url(consultation))


def _final_unit(consultation, unit_pk) -> TextUnit:
    unit = TextUnit.objects.filter(
        pk=unit_pk, version__consultation=consultation, version__kind=VersionKind.FINAL
    ).first()
    if unit is None:
        raise NotFound("not_found", _("This unit is not part of the final text."))
    return unit


@login_required
@require_POST
def final_unit_revise(request, pk, unit_pk):
    consultation = _drafter_consultation(request, pk)
    unit = _final_unit(consultation, unit_pk)
    form = FinalUnitForm(request.POST, causes=_causes_for(unit, _adopted(consultation)))
    done = submit(form, lambda data: services.final_unit_revise(actor=request.user, unit=unit, **data))
    if done:
        messages.success(request, _("The unit of the final text is saved."))
        return redirect(f"{_final_url(consultation)}#{unit.anchor}")
    return _final_page(request, consultation, status=done.status, editing=unit, unit_form=form)


@login_required
@require_POST
def final_unit_remove(request, pk, unit_pk):
    consultation = _drafter_consultation(request, pk)
    unit = _final_unit(consultation, unit_pk)
    services.final_unit_remove(actor=request.user, unit=unit)
    messages.success(request, _("The unit is taken out of the final text; the comparison shows it as removed."))
    return redirect(_final_url(consultation))


@login_required
@require_POST
def final_add(request, pk):
    consultation = _drafter_consultation(request, pk)
    after_pk = request.POST.get("after", "")
    after = _final_unit(consultation, int(after_pk)) if after_pk.isdigit() else None
    form = FinalAddForm(request.POST, prefix="add", causes=_adopted(consultation))
    done = submit(
        form,
        lambda data: services.final_unit_add(actor=request.user, consultation=consultation, after=after, **data),
    )
    if done:
        messages.success(request, _("The unit is added to the final text."))
        return redirect(f"{_final_url(consultation)}#{done.value.anchor}")
    return _final_page(request, consultation, status=done.status, add_form=form)


@login_required
@require_POST
def consultation_conclude(request, pk):
    consultation = _drafter_consultation(request, pk)
    form = ConcludeForm(request.POST)
    done = submit(
        form, lambda data: services.consultation_conclude(actor=request.user, consultation=consultation, **data)
    )
    if done:
        messages.success(request, _("The result is published: the final text, the comparison and the feedback report."))
        return back(consultation)
    return _final_page(request, consultation, status=done.status, conclude_form=form)


def _result_consultation(request, pk):
    """A concluded consultation for everyone; before that, its drafters preview the result."""
    consultation = selectors.consultation_for(request.user, pk)
    if not selectors.result_public(consultation):
        require_perm(
            request.user,
            "consultations.manage",
            consultation,
            _("The result is public once the drafters publish it."),
        )
    return consultation


def _result_page(request, pk, name: str, template: str, shared) -> HttpResponse:
    """A result page: kept for everyone once the result is published (nothing of it changes then but what
    moderation hides), one rendering for every signed-in reader too (nothing personal but the header); the
    drafters' preview before that is rendered for them."""
    part = pagecache.Part(
        name, pages.result_scopes(pk), (pk,), lambda: shared(pk), request=request, signed_in_page=True
    )
    if kept := pagecache.kept_page(request, part, dict):
        return kept
    consultation = _result_consultation(request, pk)
    if not selectors.result_public(consultation):
        part = pagecache.Part(name, [], (pk,), lambda: shared(pk), cache=False)
    return pagecache.whole_page(request, part, lambda: render(request, template, {"part": part}), dict)


def _comparison_shared(pk) -> dict:
    consultation = Consultation.objects.select_related("area").get(pk=pk)
    rows = selectors.comparison(consultation)
    return {
        "consultation": consultation,
        "rows": rows,
        "changed": sum(1 for r in rows if r.status != "same"),
        "preview": not selectors.result_public(consultation),
    }


def _report_shared(pk) -> dict:
    consultation = Consultation.objects.select_related("area").get(pk=pk)
    return {
        "consultation": consultation,
        "report": SimpleLazyObject(lambda: selectors.feedback_report(consultation)),
        "preview": not selectors.result_public(consultation),
    }


def consultation_comparison(request, pk):
    return _result_page(request, pk, "consultation-comparison", "consultations/comparison.html", _comparison_shared)


def consultation_report(request, pk):
    return _result_page(request, pk, "consultation-report", "consultations/report.html", _report_shared)


def consultation_upstream(request, pk):
    consultation = _result_consultation(request, pk)
    if not consultation.originator:
        raise NotFound("not_found", _("This consultation was not sent by a legislature."))
    return render(
        request,
        "consultations/upstream.html",
        {
            "consultation": consultation,
            "report": selectors.feedback_report(consultation),
            "preview": not selectors.result_public(consultation),
        },
    )
