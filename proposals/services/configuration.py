"""What officials set: the categories and each area's proposal rules."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput
from civic.services import audit_record, require_perm
from civic.text import clean_text

from ..models import AreaPolicy, Category
from ._common import (
    CATEGORY_DESCRIPTION_MAX,
    CATEGORY_NAME_MAX,
)


@transaction.atomic
def category_save(
    *,
    actor,
    name: str,
    name_en: str = "",
    description: str = "",
    position: int = 100,
    is_active: bool = True,
    category=None,
) -> Category:
    require_perm(actor, "proposals.manage_categories", None, _("Only officials manage the categories."))
    name = clean_text(name, field="name", limit=CATEGORY_NAME_MAX, single_line=True)
    name_en = clean_text(name_en, field="name_en", limit=60, single_line=True)
    description = clean_text(description, field="description", limit=CATEGORY_DESCRIPTION_MAX)
    if not name:
        raise InvalidInput("name_missing", _("A category needs a name."), field="name")
    category = category or Category()
    category.name, category.name_en, category.description, category.position, category.is_active = (
        name,
        name_en,
        description,
        position,
        is_active,
    )
    try:
        with transaction.atomic():  # the unique name settles two saves at the same moment
            category.save()
    except IntegrityError:
        raise Conflict("category_exists", _("There is already a category with this name."), field="name") from None
    after = {"name": category.name, "name_en": category.name_en, "active": is_active}
    audit_record(actor=actor, action="proposal.category_saved", obj=category, after=after)
    return category


@transaction.atomic
def area_policy_set(
    *,
    actor,
    area,
    endorsement_threshold: int,
    collection_days: int,
    response_working_days: int,
    author_counts: bool = True,
):
    """Set the proposal rules of an area (its sub-areas inherit them unless they set their own). They apply
    to proposals published from now on; a published proposal keeps the rules it was published under."""
    require_perm(actor, "proposals.set_rules", area, _("Only an official of this area or above can set its rules."))
    values = {
        "endorsement_threshold": endorsement_threshold,
        "collection_days": collection_days,
        "response_working_days": response_working_days,
    }
    limits = {"endorsement_threshold": (1, 100000), "collection_days": (1, 365), "response_working_days": (1, 120)}
    for field, value in values.items():
        low, high = limits[field]
        if not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(
                "rule_out_of_range",
                _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                field=field,
            )
    if not isinstance(author_counts, bool):
        raise InvalidInput("rule_invalid", _("Say yes or no."), field="author_counts")
    values["author_counts"] = author_counts
    before = AreaPolicy.objects.filter(area=area).values(*values).first()
    policy, _created = AreaPolicy.objects.update_or_create(area=area, defaults=values)
    audit_record(actor=actor, action="proposal.rules_set", obj=policy, area=area, before=before, after=values)
    return policy
