"""Residency verification: asking, deciding, withdrawing, the proof file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import (
    ButtonForm,
    ReasonForm,
    VerificationDecisionForm,
    VerificationForm,
    submit,
)
from ..media import file_response
from ..models import (
    AreaLevel,
    ResidencyVerification,
    VerificationStatus,
)
from .shared import area_named, back, refuse_unless, require_page_perm


@login_required
def verification_request(request):
    """Pick the grid cell step by step (district → … → grid cell), then give the address."""
    chosen = area_named(request.GET.get("area") or request.POST.get("cell"))
    if chosen is not None and chosen.level == AreaLevel.GRID:
        form = VerificationForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and submit(
            form,
            lambda data: services.verification_request(
                user=request.user, cell=chosen, address=data["address"], proof=data.get("proof")
            ),
        ):
            messages.success(request, _("Your request is sent. The organisers of your community will review it."))
            return redirect("civic:me")
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
    form = ButtonForm(request.POST)
    refuse_unless(
        submit(form, lambda data: services.verification_withdraw(verification=verification, user=request.user)), form
    )
    messages.success(request, _("Your verification is withdrawn."))
    return redirect("civic:me")


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
    form = VerificationDecisionForm(request.POST)

    def decide(data):
        if data["action"] == "approve":
            return services.verification_approve(verification=verification, actor=request.user)
        service = services.verification_reject if data["action"] == "reject" else services.verification_revoke
        return service(verification=verification, actor=request.user, reason=data["reason"])

    done = submit(form, decide)
    if done.error:
        raise done.error
    person = verification.user.public_name
    if done and form.cleaned_data["action"] == "approve":
        messages.success(request, _("Approved: %(person)s is now a verified resident.") % {"person": person})
    elif done:
        messages.success(request, _("Done. %(person)s has been told the reason.") % {"person": person})
    elif "action" in form.errors:
        messages.error(request, _("Unknown action."))
    else:
        messages.error(request, _("Please give a reason."))
    return back(request, reverse("civic:verification-queue"))


@login_required
def verification_proof(request, pk):
    verification = get_object_or_404(ResidencyVerification, pk=pk)
    require_page_perm(request, "civic.view_verification", verification)
    # A download named after the request, typed by what the upload policy verified (civic.media).
    return file_response(
        verification.proof.storage, verification.proof.name, display_name=f"proof-{verification.pk}", private=True
    )
