"""Moderation: reporting content, the queue, deciding a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import (
    ModerationDecisionForm,
    ReportForm,
    submit,
)
from ..models import (
    ModerationCase,
)
from ..registry import moderation_adapter
from .shared import require_page_perm


def _reported_object(type_label: str, pk: int):
    try:
        app_label, model = type_label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except (ValueError, ContentType.DoesNotExist) as error:
        raise Http404 from error
    model_class = content_type.model_class()
    if model_class is None or moderation_adapter(model_class) is None:
        raise Http404
    return get_object_or_404(model_class, pk=pk)


@login_required
def report_content(request, type_label, pk):
    obj = _reported_object(type_label, pk)
    adapter = moderation_adapter(type(obj))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: services.content_report(reporter=request.user, obj=obj, **data)
    ):
        messages.success(request, _("Thank you. The moderators will look at it."))
        return redirect(adapter.url(obj))
    return render(
        request, "civic/report_form.html", {"form": form, "excerpt": adapter.excerpt(obj), "back": adapter.url(obj)}
    )


@login_required
def moderation_queue(request):
    require_page_perm(request, "civic.view_moderation_queue")
    decided = request.GET.get("decided") == "1"
    page = Paginator(selectors.moderation_queue(request.user, decided=decided), 20).get_page(request.GET.get("page"))
    return render(request, "civic/moderation_queue.html", {"page": page, "decided": decided})


@login_required
def moderation_case(request, pk):
    case = get_object_or_404(ModerationCase.objects.select_related("area", "author", "content_type"), pk=pk)
    require_page_perm(request, "civic.decide_case", case)
    form = ModerationDecisionForm(request.POST or None)
    if request.method == "POST" and submit(
        form,
        lambda data: services.moderation_decide(
            actor=request.user, case=case, hide=data["decision"] == "hide", reason=data["reason"]
        ),
    ):
        messages.success(request, _("Decision recorded; the author has been told."))
        return redirect("civic:moderation-queue")
    obj = case.content_object
    adapter = moderation_adapter(type(obj)) if obj is not None else None
    return render(
        request,
        "civic/moderation_case.html",
        {
            "case": case,
            "form": form,
            "reports": case.reports.select_related("reporter").order_by("created_at"),
            "url": adapter.url(obj) if adapter else "",
        },
    )
