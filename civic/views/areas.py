"""Home page and areas: the map of the city, an area's page, its roles."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import pagecache, pages, selectors, services
from ..forms import (
    ReasonForm,
    RoleGrantForm,
    submit,
)
from ..models import (
    Area,
    AreaLevel,
    AreaRole,
)
from .shared import require_page_perm

User = get_user_model()


def _home_areas() -> dict:
    roots = list(selectors.area_children_with_counts(None))
    districts = list(selectors.area_children_with_counts(roots[0])) if len(roots) == 1 else []
    return {"roots": roots, "districts": districts, "counts": selectors.area_counts_by_level()}


def home(request):
    # The only part read from the database, the area tree's summary, is shared and cached (civic.pagecache).
    part = pagecache.Part("home", pages.home_scopes(), (), _home_areas, request=request, signed_in_page=True)
    page = lambda: render(request, "home.html", {"part": part})  # noqa: E731
    return pagecache.whole_page(request, part, page, reader=dict)  # nothing personal but the header


def area_list(request):
    part = pagecache.Part(
        "area-list",
        pages.area_list_scopes(),
        (),
        lambda: {"roots": selectors.area_children_with_counts(None)},
        request=request,
        signed_in_page=True,  # nothing personal but the header
    )
    page = lambda: render(request, "civic/area_list.html", {"part": part})  # noqa: E731
    return pagecache.whole_page(request, part, page, reader=dict)


def _shared_area(area) -> dict:
    counts = selectors.area_counts_by_level(area)
    return {
        "ancestors": selectors.area_ancestors(area),
        "children": selectors.area_children_with_counts(area),
        "counts": [(AreaLevel(level).label, n) for level, n in counts.items() if n],
        "organisations": selectors.organisation_list(area=area)[:20],
        "role_holders": selectors.area_role_holders(area),
        "timeline": selectors.timeline_for_area(area),
    }


def _area_reader(request) -> dict | None:
    """What a signed-in reader sees of an area page that others do not: whether they live there (an
    official, who may manage its roles, gets the page rendered for them)."""
    if pagecache.person(request)["official"]:
        return None
    return _eligible(request)


def _eligible(request) -> dict:
    cell = selectors.verified_cell_path(request.user)
    return {"eligible_in": lambda path: cell is not None and cell.startswith(path)}


def area_detail(request, code):
    # Versions first, then the area: what the shared parts keep is never older than their versions.
    part = pagecache.Part(
        "area", pages.area_scopes(code), (code,), lambda: _shared_area(area), request=request, signed_in_page=True
    )
    reader = lambda: _area_reader(request)  # noqa: E731
    if kept := pagecache.kept_page(request, part, reader):
        return kept
    area = get_object_or_404(Area, code=code)

    def render_page():
        signed_in = request.user.is_authenticated and not pagecache.holes(request)
        return render(
            request,
            "civic/area_detail.html",
            {
                "area": area,
                "part": part,
                "can_manage_roles": signed_in and request.user.has_perm("civic.grant_role", area),
                "reader": {"me": str(request.user.pk), **_eligible(request)} if signed_in else None,
            },
        )

    return pagecache.whole_page(request, part, render_page, reader)


@login_required
def area_roles(request, code):
    area = get_object_or_404(Area, code=code)
    require_page_perm(request, "civic.grant_role", area)
    form = RoleGrantForm(request.POST if request.method == "POST" and "grant" in request.POST else None)
    if done := submit(
        form,
        lambda data: services.area_role_grant(
            actor=request.user, user=selectors.active_person_by_email(data["email"]), area=area, role=data["role"]
        ),
    ):
        messages.success(request, _("%(person)s now holds the role.") % {"person": done.value.user.public_name})
        return redirect("civic:area-roles", code=area.code)
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
    done = submit(
        ReasonForm(request.POST),
        lambda data: services.area_role_revoke(actor=request.user, area_role=area_role, reason=data["reason"]),
    )
    if done.error:
        raise done.error
    if done:
        messages.success(request, _("The role was taken back."))
    else:
        messages.error(request, _("Please give a reason."))
    return redirect("civic:area-roles", code=area_role.area.code)
