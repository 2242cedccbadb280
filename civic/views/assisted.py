"""Assisted participation (代办): registering a resident in person, acting for them, the claim code and its
page, and a person's "done in my name" history."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import accounts, selectors, services
from ..acting import acting_start, acting_stop
from ..forms import AssistedRegisterForm, ClaimForm, submit
from ..models import Area, AreaLevel
from ..net import site_url
from ..predicates import ASSISTING_ROLES, area_roles_of
from ..registry import ASSISTED_ACTIONS
from ..services import holds_perm, require_perm
from .shared import require_page_perm

__all__ = [
    "acting_begin",
    "acting_end",
    "assisted_claim_code",
    "assisted_detail",
    "assisted_list",
    "assisted_new",
    "claim_account",
    "me_assisted",
]

User = get_user_model()


def _cells_for(user):
    paths = [path for role, path in area_roles_of(user) if role in ASSISTING_ROLES]
    where = Q(pk__in=[])
    for path in paths:
        where |= Q(path__startswith=path)
    return Area.objects.filter(where, level=AreaLevel.GRID).select_related("parent").order_by("path")


def _resident(request, pk):
    """An assisted resident the visitor may assist; 404 for anyone else (no hint who is registered)."""
    resident = User.objects.select_related("assisted__cell__parent", "assisted__registered_by").filter(pk=pk).first()
    if resident is None or not holds_perm(request.user, "civic.view_assisted_resident", resident, personal=True):
        raise Http404
    return resident


@login_required
def assisted_list(request):
    require_page_perm(request, "civic.view_assisted_residents")
    query = request.GET.get("q", "")[:60]
    page = Paginator(selectors.assisted_residents_for(request.user, query), 30).get_page(request.GET.get("page"))
    return render(request, "civic/assisted_list.html", {"page": page, "query": query})


@login_required
def assisted_new(request):
    require_page_perm(request, "civic.view_assisted_residents")
    form = AssistedRegisterForm(request.POST or None, cells=_cells_for(request.user))
    done = submit(form, lambda data: services.assisted_register(actor=request.user, **data))
    if done:
        messages.success(request, _("%(name)s is registered and verified.") % {"name": done.value.public_name})
        return redirect("civic:assisted-detail", pk=done.value.pk)
    return render(request, "civic/assisted_new.html", {"form": form}, status=done.status if form.is_bound else 200)


@login_required
def assisted_detail(request, pk):
    resident = _resident(request, pk)
    return render(
        request,
        "civic/assisted_detail.html",
        {
            "resident": resident,
            "registration": resident.assisted,
            "verification": selectors.effective_verification(resident),
            "acts": _history(selectors.assisted_acts_of(resident)[:50]),
        },
    )


@login_required
@require_POST
@never_cache
def assisted_claim_code(request, pk):
    """Issue a claim code and show it once, on a slip to print and hand over."""
    resident = _resident(request, pk)
    code = services.claim_code_issue(actor=request.user, resident=resident)
    return render(
        request,
        "civic/assisted_claim_code.html",
        {"resident": resident, "code": code, "claim_url": site_url(reverse("civic:claim-account"))},
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return fallback
    return target


@login_required
@require_POST
def acting_begin(request, pk):
    resident = _resident(request, pk)
    require_perm(
        request.user,
        "civic.act_for",
        resident,
        _("You can act only for residents registered in person in your area."),
        personal=True,
    )
    acting_start(request, resident)
    messages.success(request, _("You are now acting for %(name)s.") % {"name": resident.public_name})
    return redirect(_safe_next(request, reverse("proposals:proposal-list")))


@login_required
@require_POST
def acting_end(request):
    acting_stop(request)
    messages.success(request, _("You are no longer acting for anyone."))
    return redirect(_safe_next(request, reverse("civic:assisted-list")))


@never_cache
def claim_account(request):
    """An assisted resident claims their account with the code handed over in person."""
    form = ClaimForm(request.POST or None)
    done = submit(
        form,
        lambda data: accounts.claim_account(
            request, code=data["code"], password=data["password1"], email=data["email"], phone=data["phone"]
        ),
    )
    if done:
        login(request, done.value, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is yours now."))
        return redirect("civic:me-assisted")
    return render(request, "civic/claim.html", {"form": form}, status=done.status if form.is_bound else 200)


def _history(entries):
    rows = []
    for entry in entries:
        label = ASSISTED_ACTIONS.get(entry.action)
        rows.append({"entry": entry, "label": label if label is not None else entry.action})
    return rows


@login_required
def me_assisted(request):
    """Everything staff did in my name, in person."""
    page = Paginator(selectors.assisted_acts_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "civic/me_assisted.html", {"page": page, "rows": _history(page.object_list)})
