"""Home page and areas: the map of the city, an area's page, its roles."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..errors import DomainError
from ..forms import (
    ReasonForm,
    RoleGrantForm,
    apply_domain_error,
)
from ..models import (
    Area,
    AreaLevel,
    AreaRole,
    Organisation,
)
from .shared import require_page_perm

User = get_user_model()


def home(request):
    roots = list(selectors.area_children_with_counts(None))
    districts = list(selectors.area_children_with_counts(roots[0])) if len(roots) == 1 else []
    return render(
        request,
        "home.html",
        {
            "roots": roots,
            "districts": districts,
            "counts": selectors.area_counts_by_level(),
            "organisation_count": Organisation.objects.filter(confirmed_at__isnull=False).count(),
        },
    )


def area_list(request):
    return render(request, "civic/area_list.html", {"roots": selectors.area_children_with_counts(None)})


def area_detail(request, code):
    area = get_object_or_404(Area, code=code)
    counts = selectors.area_counts_by_level(area)
    return render(
        request,
        "civic/area_detail.html",
        {
            "area": area,
            "ancestors": selectors.area_ancestors(area),
            "children": selectors.area_children_with_counts(area),
            "counts": [(AreaLevel(level).label, n) for level, n in counts.items() if n],
            "organisations": selectors.organisation_list(area=area)[:20],
            "role_holders": selectors.area_role_holders(area),
            "timeline": selectors.timeline_for_area(area),
            "can_manage_roles": request.user.has_perm("civic.grant_role", area),
            "eligible": selectors.is_eligible(request.user, area),
        },
    )


@login_required
def area_roles(request, code):
    area = get_object_or_404(Area, code=code)
    require_page_perm(request, "civic.grant_role", area)
    form = RoleGrantForm(request.POST if request.method == "POST" and "grant" in request.POST else None)
    if form.is_bound and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            form.add_error("email", _("Nobody with this e-mail address is registered on the platform."))
        else:
            try:
                services.area_role_grant(actor=request.user, user=person, area=area, role=form.cleaned_data["role"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("%(person)s now holds the role.") % {"person": person.public_name})
                return redirect("area-roles", code=area.code)
    return render(
        request,
        "civic/area_roles.html",
        {
            "area": area,
            "form": form,
            "direct_roles": AreaRole.objects.filter(area=area).select_related("user", "granted_by").order_by("role"),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def area_role_revoke(request, pk):
    area_role = get_object_or_404(AreaRole.objects.select_related("area"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("area-roles", code=area_role.area.code)
    services.area_role_revoke(actor=request.user, area_role=area_role, reason=form.cleaned_data["reason"])
    messages.success(request, _("The role was taken back."))
    return redirect("area-roles", code=area_role.area.code)
