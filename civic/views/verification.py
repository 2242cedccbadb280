"""Residency verification: asking, deciding, withdrawing, the proof file."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import DomainError
from ..forms import (
    ReasonForm,
    VerificationForm,
    apply_domain_error,
)
from ..models import (
    Area,
    AreaLevel,
    ResidencyVerification,
    VerificationStatus,
)
from .shared import back, require_page_perm


@login_required
def verification_request(request):
    """Pick the grid cell step by step (district → … → grid cell), then give the address."""
    chosen = None
    if code := request.GET.get("area") or request.POST.get("cell"):
        chosen = Area.objects.filter(code=code).first()
    if chosen is not None and chosen.level == AreaLevel.GRID:
        form = VerificationForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.verification_request(
                    user=request.user,
                    cell=chosen,
                    address=form.cleaned_data["address"],
                    proof=form.cleaned_data.get("proof"),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Your request is sent. The organisers of your community will review it."))
                return redirect("me")
        return render(
            request,
            "civic/verification_request.html",
            {"cell": chosen, "ancestors": selectors.area_ancestors(chosen), "form": form},
        )
    options = selectors.area_children_with_counts(chosen)
    return render(
        request,
        "civic/verification_choose.html",
        {"chosen": chosen, "ancestors": selectors.area_ancestors(chosen) if chosen else [], "options": options},
    )


@login_required
@require_POST
def verification_withdraw(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    services.verification_withdraw(verification=verification, user=request.user)
    messages.success(request, _("Your verification is withdrawn."))
    return redirect("me")


@login_required
def verification_queue(request):
    require_page_perm(request, "civic.view_verification_queue")
    status = request.GET.get("status", VerificationStatus.PENDING)
    if status not in (VerificationStatus.PENDING, VerificationStatus.APPROVED):
        status = VerificationStatus.PENDING
    page = Paginator(selectors.verification_queue(request.user, status=status), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "civic/verification_queue.html",
        {"page": page, "status": status, "reason_form": ReasonForm()},
    )


@login_required
@require_POST
def verification_decide(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    action = request.POST.get("action")
    if action == "approve":
        services.verification_approve(verification=verification, actor=request.user)
        messages.success(
            request, _("Approved: %(person)s is now a verified resident.") % {"person": verification.user.public_name}
        )
    elif action in ("reject", "revoke"):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give a reason."))
            return back(request, "/verifications/")
        service = services.verification_reject if action == "reject" else services.verification_revoke
        service(verification=verification, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Done. %(person)s has been told the reason.") % {"person": verification.user.public_name}
        )
    else:
        messages.error(request, _("Unknown action."))
    return back(request, "/verifications/")


@login_required
def verification_proof(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    require_page_perm(request, "civic.view_verification", verification)
    if not verification.proof:
        raise Http404
    content_type = mimetypes.guess_type(verification.proof.name)[0] or "application/octet-stream"
    response = FileResponse(verification.proof.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response
