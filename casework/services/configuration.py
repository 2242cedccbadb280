"""Officials manage the categories of their areas (defined, overridden or withdrawn below) and the units
that handle them."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput
from civic.models import Organisation
from civic.services import audit_record, require_perm
from civic.text import clean_text

from ..models import Category, Unit, UnitKind, UnitService
from ..selectors.categories import category_in

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
NAME_MAX, NAME_EN_MAX, DESCRIPTION_MAX = 40, 60, 300


def _limit(value, *, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise InvalidInput(
            "limit_invalid",
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return number


@transaction.atomic
def category_save(
    *,
    actor,
    area,
    key: str,
    name: str,
    name_en: str = "",
    description: str = "",
    unit_kind: str,
    response_hours,
    handling_days,
    default_unit: Unit | None = None,
    requires_after_photo: bool = False,
    clock_stop_allowed: bool = False,
    is_offered: bool = True,
    position: int = 100,
) -> Category:
    """Define the category `key` in `area` (a new one, or an override of the one above), or change the one
    defined there."""
    require_perm(actor, "casework.manage_categories", area, _("Only officials of this area can manage categories."))
    key = (key or "").strip().lower()
    if not KEY.match(key):
        raise InvalidInput("key_invalid", _("Use lower-case letters, digits, - and _ (at most 40)."), field="key")
    name = clean_text(name, field="name", limit=NAME_MAX, required=True, single_line=True)
    name_en = clean_text(name_en, field="name_en", limit=NAME_EN_MAX, single_line=True)
    description = clean_text(description, field="description", limit=DESCRIPTION_MAX)
    if unit_kind not in UnitKind.values:
        raise InvalidInput("unit_kind_invalid", _("Choose a kind of unit from the list."), field="unit_kind")
    response_hours = _limit(response_hours, field="response_hours", low=1, high=400)
    handling_days = _limit(handling_days, field="handling_days", low=1, high=90)
    if default_unit is not None and not (
        default_unit.is_active and UnitService.objects.filter(unit=default_unit, category_key=key).exists()
    ):
        raise InvalidInput(
            "unit_not_serving",
            _("%(unit)s does not handle this category.") % {"unit": default_unit},
            field="default_unit",
        )
    category = Category.objects.select_for_update().filter(area=area, key=key).first()
    before = None
    if category is None:
        category = Category(area=area, area_path=area.path, key=key, created_by=actor)
    else:
        before = {
            "name": category.name,
            "response_hours": category.response_hours,
            "handling_days": category.handling_days,
            "is_offered": category.is_offered,
        }
    category.name, category.name_en, category.description = name, name_en, description
    category.unit_kind = unit_kind
    category.response_hours, category.handling_days = response_hours, handling_days
    category.default_unit = default_unit
    category.requires_after_photo = bool(requires_after_photo)
    category.clock_stop_allowed = bool(clock_stop_allowed)
    category.is_offered = bool(is_offered)
    category.position = int(position or 100)
    category.updated_at = timezone.now()
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise Conflict("category_exists", _("This area already has a category with that key.")) from None
    audit_record(
        actor=actor,
        action="casework.category_saved",
        obj=category,
        area=area,
        before=before,
        after={
            "key": key,
            "name": name,
            "response_hours": response_hours,
            "handling_days": handling_days,
            "is_offered": category.is_offered,
        },
    )
    return category


@transaction.atomic
def unit_save(
    *, actor, organisation: Organisation, kind: str, phone: str = "", is_active: bool = True, area=None
) -> Unit:
    """Make an organisation a handling unit (or change one). `area` is where the official acts."""
    require_perm(actor, "casework.manage_units", area, _("Only officials can manage handling units."))
    if kind not in UnitKind.values:
        raise InvalidInput("unit_kind_invalid", _("Choose a kind of unit from the list."), field="kind")
    phone = clean_text(phone, field="phone", limit=30, single_line=True)
    unit, _created = Unit.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"kind": kind, "phone": phone, "is_active": is_active}
    )
    unit.kind, unit.phone, unit.is_active = kind, phone, bool(is_active)
    unit.save(update_fields=["kind", "phone", "is_active"])
    audit_record(actor=actor, action="casework.unit_saved", obj=unit, area=area, after={"kind": kind})
    return unit


@transaction.atomic
def unit_service_add(*, actor, unit: Unit, area, category_key: str) -> UnitService:
    require_perm(actor, "casework.manage_units", area, _("Only officials of this area can assign units here."))
    key = (category_key or "").strip().lower()
    if (
        category_in(area, key) is None
        and not Category.objects.filter(key=key, area_path__startswith=area.path).exists()
    ):
        raise InvalidInput("category_unknown", _("No such category in this area."), field="category_key")
    service, created = UnitService.objects.get_or_create(
        unit=unit, area=area, category_key=key, defaults={"area_path": area.path}
    )
    if not created:
        raise Conflict("service_exists", _("This unit already handles this category here."))
    audit_record(actor=actor, action="casework.unit_service_added", obj=unit, area=area, after={"key": key})
    return service


@transaction.atomic
def unit_service_remove(*, actor, service: UnitService) -> None:
    require_perm(actor, "casework.manage_units", service.area, _("Only officials of this area can change this."))
    audit_record(
        actor=actor,
        action="casework.unit_service_removed",
        obj=service.unit,
        area=service.area,
        before={"key": service.category_key},
    )
    service.delete()
