"""Officials' pages: the categories of an area (inherited, overridden, withdrawn) and the handling units."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civic.forms import submit
from civic.models import Area, Organisation
from civic.selectors import area_ancestors
from civic.views.shared import require_page_perm

from .. import services
from ..forms import CategoryForm, UnitForm
from ..models import Unit
from ..selectors import categories_defined_in, categories_in, units_in


def _unit_or_none(pk):
    return Unit.objects.select_related("organisation").filter(pk=pk).first() if pk else None


def area_categories(request, code):
    """Public: the categories that apply in an area and their limits; officials define and override here."""
    area = get_object_or_404(Area, code=code)
    can_manage = request.user.has_perm("casework.manage_categories", area)
    units = list(units_in(area)) if can_manage else []
    form = None
    status = 200
    if can_manage:
        posted = request.method == "POST"
        initial = {}
        override = request.GET.get("override", "")
        if override and not posted:
            inherited = next((c for c in categories_in(area, include_withdrawn=True) if c.key == override), None)
            if inherited is not None:
                initial = {
                    "key": inherited.key,
                    "name": inherited.name,
                    "name_en": inherited.name_en,
                    "description": inherited.description,
                    "unit_kind": inherited.unit_kind,
                    "response_hours": inherited.response_hours,
                    "handling_days": inherited.handling_days,
                    "default_unit": inherited.default_unit_id or "",
                    "requires_after_photo": inherited.requires_after_photo,
                    "clock_stop_allowed": inherited.clock_stop_allowed,
                    "is_offered": inherited.is_offered,
                    "position": inherited.position,
                }
        form = CategoryForm(request.POST if posted else None, units=units, initial=initial or None)
        if posted:
            done = submit(
                form,
                lambda d: services.category_save(
                    actor=request.user,
                    area=area,
                    key=d["key"],
                    name=d["name"],
                    name_en=d["name_en"],
                    description=d["description"],
                    unit_kind=d["unit_kind"],
                    response_hours=d["response_hours"],
                    handling_days=d["handling_days"],
                    default_unit=_unit_or_none(d["default_unit"]),
                    requires_after_photo=d["requires_after_photo"],
                    clock_stop_allowed=d["clock_stop_allowed"],
                    is_offered=d["is_offered"],
                    position=d["position"] if d["position"] is not None else 100,
                ),
            )
            if done:
                messages.success(request, _("Category saved."))
                return redirect("casework:area-categories", code=area.code)
            status = done.status
    elif request.method == "POST":
        require_page_perm(request, "casework.manage_categories", area)
    return render(
        request,
        "casework/categories.html",
        {
            "area": area,
            "ancestors": area_ancestors(area),
            "applying": categories_in(area, include_withdrawn=True),
            "defined_here": {c.key for c in categories_defined_in(area)},
            "form": form,
            "can_manage": can_manage,
        },
        status=status,
    )


@login_required
def area_units(request, code):
    """Officials: the units serving an area, and making an organisation a unit for a category here."""
    area = get_object_or_404(Area, code=code)
    require_page_perm(request, "casework.manage_units", area)
    organisations = Organisation.objects.filter(is_hidden=False).order_by("name")
    categories = categories_in(area)
    posted = request.method == "POST"
    form = UnitForm(request.POST if posted else None, organisations=organisations, categories=categories)

    def save(data):
        organisation = Organisation.objects.get(pk=data["organisation"])
        unit = services.unit_save(
            actor=request.user, organisation=organisation, kind=data["kind"], phone=data["phone"], area=area
        )
        return services.unit_service_add(actor=request.user, unit=unit, area=area, category_key=data["category_key"])

    names = {c.key: c.display_name for c in categories_in(area, include_withdrawn=True)}
    units = list(units_in(area))
    for unit in units:
        for service in unit.services.all():
            service.category_name = names.get(service.category_key, service.category_key)
    status = 200
    if posted:
        done = submit(form, save)
        if done:
            messages.success(request, _("The unit now handles this category here."))
            return redirect("casework:area-units", code=area.code)
        status = done.status
    return render(
        request,
        "casework/units.html",
        {
            "area": area,
            "ancestors": area_ancestors(area),
            "units": units,
            "form": form,
        },
        status=status,
    )
