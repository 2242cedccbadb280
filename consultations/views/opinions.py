"""Pages of opinions: giving one, the paged list, one opinion with its wording's diff and answer, supports,
what staff enter from symposiums, letters, the hotline and visits, and the answers to questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic import pagecache
from civic.errors import InvalidInput, NotFound
from civic.forms import submit
from civic.models import Organisation
from civic.services import require_perm
from civic.validators import as_pk

from .. import pages, selectors, services
from ..forms import OfflineOpinionForm, OpinionForm, QuestionAnswerForm, SymposiumForm
from ..models import Classification, Consultation, Opinion, OpinionGroup, Question, Source, Symposium, TextUnit
from ..predicates import opinion_public, opinions_readable
from ..textdiff import diff_html
from ._common import back, clock_valid_until, detail_context, organisations_for, personal_facts, reader_once

__all__ = ["offline_entry", "opinion_action", "opinion_detail", "opinion_list", "question_answer"]


def _submit_opinion(request, consultation):
    unit_list = selectors.units(selectors.version_of(consultation))
    selectors.unit_tree(unit_list)
    organisations = organisations_for(request.user, consultation)
    form = OpinionForm(request.POST, units=unit_list, organisations=organisations)

    def give(data):
        organisation = Organisation.objects.filter(pk=as_pk(data.get("organisation") or "")).first()
        return services.opinion_submit(
            author=request.user,
            consultation=consultation,
            unit=data["unit"] or None,
            text=data["text"],
            wording=data["wording"],
            organisation=organisation,
            as_resident=data["as_resident"],
        )

    done = submit(form, give)
    if done:
        messages.success(request, _("Thank you. Your opinion is recorded and will be answered."))
        return redirect(done.value.get_absolute_url())
    return render(
        request,
        "consultations/detail.html",
        detail_context(request, consultation, opinion_form=form),
        status=done.status,
    )


def _list_shared(request, pk: int, view: str | None, user) -> dict:
    """What an opinion list shows to the readers of one view (rendered only when the cache has no current
    copy); with no view, what `user` may read."""
    consultation = Consultation.objects.select_related("area").get(pk=pk)
    params = request.GET
    unit = None
    if params.get("unit"):
        unit = TextUnit.objects.filter(version__consultation=consultation, anchor=params["unit"]).first()
        if unit is None:
            raise NotFound("unit_unknown", _("This part of the text does not exist in the draft."))
    answered = {"yes": True, "no": False}.get(params.get("answered", ""))
    group = OpinionGroup.objects.filter(consultation=consultation, pk=as_pk(params.get("group", "")) or 0).first()
    filters = {
        "unit": unit,
        "whole": params.get("whole") == "1",
        "source": params.get("source", ""),
        "answered": answered,
        "classification": params.get("classification", ""),
        "order": params.get("order", "time"),
        "group": group,
    }
    if view is None:
        queryset = selectors.opinions(user, consultation, **filters)
        sees_opinions = selectors.sees_all_opinions(user, consultation)
    else:
        queryset = selectors.opinions_in_view(consultation, view, **filters)
        sees_opinions = view == pages.ALL or opinions_readable(None, consultation)
    page = selectors.opinion_page(queryset, params.get("page"))
    page.object_list = selectors.with_unit_labels(page.object_list, consultation)
    unit_label = selectors.unit_labels(selectors.units(unit.version)).get(unit.pk, "") if unit else ""
    query = params.copy()
    query.pop("page", None)
    return {
        "consultation": consultation,
        "page": page,
        "unit": unit,
        "unit_label": unit_label,
        "query": query.urlencode(),
        "params": params,
        "sources": Source.choices,
        "classifications": Classification.choices,
        "sees_opinions": sees_opinions,
    }


def opinion_list(request, pk):
    user = request.user
    if request.method == "POST":
        consultation = selectors.consultation_for(user, pk)
        if not user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        return _submit_opinion(request, consultation)
    keys = sorted(request.GET.lists())
    # the kept page's versions first, then whether the consultation may be seen at all; signed-in readers who
    # see what the public sees share one rendering (nothing personal but the header)
    part = pagecache.Part(
        "opinion-list",
        pages.opinions_scopes(pk),
        (pk, pages.PUBLIC, keys),
        lambda: _list_shared(request, pk, pages.PUBLIC, None),
        request=request,
        signed_in_page=True,
    )
    facts = reader_once(request, pk)
    if kept := pagecache.kept_page(request, part, facts):
        return kept
    consultation = selectors.consultation_for(user, pk)
    # facts mean the public view (no drafter, no opinion of theirs the public does not read)
    if user.is_authenticated and facts() is None and (view := pages.view_of(user, consultation)) != pages.PUBLIC:
        # the drafters' view (every opinion), or a reader's own opinion the public does not read
        part = pagecache.Part(
            "opinion-list",
            pages.opinions_scopes(pk),
            (pk, view, keys),
            lambda: _list_shared(request, pk, view, user),
            request=request,
            cache=view is not None,
        )
    return pagecache.whole_page(
        request, part, lambda: render(request, "consultations/opinions.html", {"part": part}), facts
    )


def _opinion_shared(pk: int, opinion_pk: int) -> dict:
    """What everyone who may read an opinion sees of its page (rendered only when no current copy is kept)."""
    opinion = Opinion.objects.select_related(
        "author", "organisation", "unit", "symposium", "group", "consultation__area"
    ).get(pk=opinion_pk, consultation_id=pk)
    consultation = opinion.consultation
    draft_text = unit_label = ""
    if opinion.unit_id:
        unit_list = selectors.units(selectors.version_of(consultation))
        draft_text = selectors.unit_full_text(opinion.unit, unit_list)
        unit_label = selectors.unit_labels(unit_list).get(opinion.unit_id, "")
    return {
        "consultation": consultation,
        "opinion": opinion,
        "author": selectors.author_label(opinion),
        "draft_text": draft_text,
        "unit_label": unit_label,
        "diff": diff_html(draft_text, opinion.wording) if opinion.wording else "",
        "valid_until": clock_valid_until(consultation),  # the offer to agree closes with the window
    }


def opinion_detail(request, pk, opinion_pk):
    user = request.user
    part = pagecache.Part(
        "opinion",
        pages.opinion_scopes(pk, opinion_pk),
        (pk, opinion_pk),
        lambda: _opinion_shared(pk, opinion_pk),
        request=request,
        signed_in_page=True,
    )
    facts = reader_once(request, pk)
    if kept := pagecache.kept_page(request, part, facts):
        return kept
    consultation = selectors.consultation_for(user, pk)
    opinion = selectors.opinion_for(user, consultation, opinion_pk)
    public = opinion_public(None, opinion)
    if not public:  # the author's or the drafters' alone: rendered for them
        part = pagecache.Part(
            "opinion", [], (pk, opinion_pk), lambda: _opinion_shared(pk, opinion_pk), request=request, cache=False
        )
    # Who may agree, and whether they do, are marks: decided per reader on the page they share, and from
    # the same facts on a page rendered for one person. Agreeing is for public opinions written online,
    # by someone else, from a person who may take part, while the window is open.
    context = {
        "part": part,
        "consultation": consultation,
        "opinion": opinion,
        "support_open": public and opinion.source == Source.ONLINE and selectors.is_open_now(consultation),
        "is_drafter": user.is_authenticated
        and not pagecache.holes(request)
        and selectors.is_drafter(user, consultation),
        "reader": personal_facts(request, consultation),
    }
    return pagecache.whole_page(request, part, lambda: render(request, "consultations/opinion.html", context), facts)


@login_required
@require_POST
def opinion_action(request, pk, opinion_pk, action):
    consultation = selectors.consultation_for(request.user, pk)
    opinion = selectors.opinion_for(request.user, consultation, opinion_pk)
    if action == "support":
        services.opinion_support(user=request.user, opinion=opinion)
        messages.success(request, _("You support this opinion."))
    elif action == "unsupport":
        services.opinion_unsupport(user=request.user, opinion=opinion)
        messages.success(request, _("You no longer support this opinion."))
    else:
        raise NotFound("not_found", _("Not found."))
    return redirect(
        request.POST.get("back")
        if request.POST.get("back", "").startswith("/consultations/")
        else opinion.get_absolute_url()
    )


@login_required
def offline_entry(request, pk):
    """Staff enter a symposium and the opinions that came in offline."""
    consultation = selectors.consultation_for(request.user, pk)
    require_perm(
        request.user, "consultations.enter_offline", consultation, _("Only staff of this area can enter opinions.")
    )
    unit_list = selectors.units(selectors.version_of(consultation))
    selectors.unit_tree(unit_list)
    symposiums = selectors.symposiums(consultation)
    symposium_form = SymposiumForm(request.POST if request.POST.get("do") == "symposium" else None)
    opinion_form = OfflineOpinionForm(
        request.POST if request.POST.get("do") == "opinion" else None,
        units=unit_list,
        symposiums=symposiums,
        initial={
            "symposium": request.GET.get("symposium", ""),
            "source": "symposium" if request.GET.get("symposium") else "",
        },
    )
    status = 200
    if request.method == "POST" and request.POST.get("do") == "symposium":
        done = submit(
            symposium_form,
            lambda data: services.symposium_record(staff=request.user, consultation=consultation, **data),
        )
        status = done.status
        if done:
            messages.success(request, _("The symposium is recorded. Enter its opinions now."))
            return redirect(f"{request.path}?symposium={done.value.pk}")
    if request.method == "POST" and request.POST.get("do") == "opinion":

        def enter(data):
            symposium = None
            if data["symposium"]:
                symposium = Symposium.objects.filter(pk=as_pk(data["symposium"]), consultation=consultation).first()
                if symposium is None:
                    raise InvalidInput(
                        "symposium_missing", _("Choose the symposium the opinion was given at."), field="symposium"
                    )
            return services.opinion_enter_offline(
                staff=request.user,
                consultation=consultation,
                source=data["source"],
                symposium=symposium,
                received_on=data["received_on"],
                submitter=data["submitter"],
                unit=data["unit"] or None,
                text=data["text"],
                wording=data["wording"],
            )

        done = submit(opinion_form, enter)
        status = done.status
        if done:
            messages.success(request, _("The opinion is entered."))
            suffix = f"?symposium={done.value.symposium_id}" if done.value.symposium_id else ""
            return redirect(f"{request.path}{suffix}")
    return render(
        request,
        "consultations/offline.html",
        {
            "consultation": consultation,
            "symposiums": symposiums,
            "symposium_form": symposium_form,
            "opinion_form": opinion_form,
            "entered": selectors.with_unit_labels(
                selectors.opinions(request.user, consultation, order="newest").exclude(source=Source.ONLINE)[:20],
                consultation,
            ),
        },
        status=status,
    )


@login_required
@require_POST
def question_answer(request, pk, question_pk):
    consultation = selectors.consultation_for(request.user, pk)
    question = Question.objects.filter(pk=question_pk, consultation=consultation).first()
    if question is None:
        raise NotFound("not_found", _("This question does not exist."))
    form = QuestionAnswerForm(request.POST, question=question)
    done = submit(
        form,
        lambda data: services.question_answer(
            user=request.user, question=question, options=data["options"], text=data["text"]
        ),
    )
    if done:
        messages.success(request, _("Thank you for your answer."))
        return back(consultation, "questions")
    context = detail_context(request, consultation, question_form=form, question_failed=question.pk)
    return render(request, "consultations/detail.html", context, status=done.status)
