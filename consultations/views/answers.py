"""The drafters' answering desk: every opinion answered alone or in a group, then the answering closed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.errors import NotFound
from civic.forms import submit
from civic.services import require_perm

from .. import selectors, services
from ..forms import AnswerForm, GroupForm
from ..models import Opinion, OpinionGroup
from ._common import back

__all__ = ["answer_desk", "finish_answering", "group_answer", "group_create", "opinion_answer"]


def _drafter_consultation(request, pk):
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(request.user, "consultations.answer", consultation, _("Only the drafters can answer opinions."))
    return consultation


def _desk(request, consultation, status=200, **forms):
    show = request.GET.get("show", "unanswered")
    queryset = selectors.opinions(request.user, consultation, answered=None if show == "all" else False, order="unit")
    page = selectors.opinion_page(queryset, request.GET.get("page"))
    page.object_list = selectors.with_unit_labels(page.object_list, consultation)
    if any(o.wording for o in page.object_list):  # the draft each proposed wording is compared with
        unit_list = selectors.units(selectors.version_of(consultation))
        for o in page.object_list:
            o.draft_text = selectors.unit_full_text(o.unit, unit_list) if o.unit_id else ""
    context = {
        "consultation": consultation,
        "page": page,
        "show": show,
        "groups": selectors.groups(consultation),
        "progress": selectors.answer_progress(consultation),
        "answer_form": AnswerForm(),
        "group_form": GroupForm(),
        "failed": None,
    }
    context.update(forms)
    return render(request, "consultations/answers.html", context, status=status)


@login_required
def answer_desk(request, pk):
    return _desk(request, _drafter_consultation(request, pk))


@login_required
@require_POST
def opinion_answer(request, pk, opinion_pk):
    consultation = _drafter_consultation(request, pk)
    opinion = Opinion.objects.filter(pk=opinion_pk, consultation=consultation).first()
    if opinion is None:
        raise NotFound("not_found", _("This opinion does not exist."))
    form = AnswerForm(request.POST)
    done = submit(form, lambda data: services.opinion_answer(actor=request.user, opinion=opinion, **data))
    if done:
        messages.success(request, _("Answered; the author is told."))
        return redirect(f"{_desk_url(consultation)}#opinion-{opinion.pk}")
    return _desk(request, consultation, status=done.status, failed=opinion.pk, failed_form=form)


def _desk_url(consultation):
    from django.urls import reverse

    return reverse("consultations:answer-desk", args=[consultation.pk])


@login_required
@require_POST
def group_create(request, pk):
    consultation = _drafter_consultation(request, pk)
    ids = [int(v) for v in request.POST.getlist("opinions") if v.isdigit()]
    form = GroupForm(request.POST, opinion_ids=ids)
    done = submit(
        form,
        lambda data: services.group_create(
            actor=request.user,
            consultation=consultation,
            title=data["title"],
            opinions=list(Opinion.objects.filter(pk__in=data["opinions"], consultation=consultation)),
        ),
    )
    if done:
        messages.success(request, _("The opinions are grouped; answer the group once."))
        return redirect(_desk_url(consultation))
    return _desk(request, consultation, status=done.status, group_form=form)


@login_required
@require_POST
def group_answer(request, pk, group_pk):
    consultation = _drafter_consultation(request, pk)
    group = OpinionGroup.objects.filter(pk=group_pk, consultation=consultation).first()
    if group is None:
        raise NotFound("not_found", _("This group does not exist."))
    form = AnswerForm(request.POST)
    done = submit(form, lambda data: services.group_answer(actor=request.user, group=group, **data))
    if done:
        messages.success(request, _("Every opinion of the group is answered; the authors are told."))
        return redirect(_desk_url(consultation))
    return _desk(request, consultation, status=done.status, failed_group=group.pk, failed_form=form)


@login_required
@require_POST
def finish_answering(request, pk):
    consultation = _drafter_consultation(request, pk)
    services.consultation_finish_answering(actor=request.user, consultation=consultation)
    messages.success(request, _("Every opinion is answered; the followers are told."))
    return back(consultation)
