"""Every write of the civic core: keyword-only, one transaction each, DomainError on a broken rule."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .errors import Conflict, InvalidInput
from .models import AREA_LEVEL_ORDER, Area, AreaLevel, AreaRole, Membership, MembershipRole, Organisation
from .validators import validate_credit_code

User = get_user_model()


def _child_level_ok(parent: Area | None, level: str) -> bool:
    if parent is None:
        return level == AreaLevel.CITY
    return AREA_LEVEL_ORDER.index(level) == AREA_LEVEL_ORDER.index(parent.level) + 1


@transaction.atomic
def area_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise InvalidInput("area_incomplete", _("An area needs a code and a name."))
    if "/" in code:
        raise InvalidInput("area_code_invalid", _("An area code cannot contain “/”."), field="code")
    if level not in AREA_LEVEL_ORDER:
        raise InvalidInput("area_level_unknown", _("Unknown area level “%(level)s”.") % {"level": level})
    if not _child_level_ok(parent, level):
        if parent is None:
            message = _("Only a city can stand at the top of the area tree.")
        else:
            message = _("A %(level)s cannot be placed directly under a %(parent)s.") % {
                "level": AreaLevel(level).label,
                "parent": AreaLevel(parent.level).label,
            }
        raise InvalidInput("area_level_order", message, field="level")
    if Area.objects.filter(code=code).exists():
        raise Conflict("area_code_taken", _("An area with the code %(code)s already exists.") % {"code": code})
    path = f"{parent.path if parent else '/'}{code}/"
    return Area.objects.create(
        code=code, name=name, level=level, parent=parent, path=path, depth=0 if parent is None else parent.depth + 1
    )


@transaction.atomic
def area_get_or_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    existing = Area.objects.filter(code=code).first()
    return existing or area_create(code=code, name=name, level=level, parent=parent)


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, credit_code: str | None = None, description: str = "", areas=(), representative=None
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("organisation_name_missing", _("An organisation needs a name."), field="name")
    credit_code = (credit_code or "").strip().upper() or None
    if credit_code is None and kind != "residents_group":
        raise InvalidInput(
            "credit_code_missing",
            _("A unified social credit code is required for this kind of organisation."),
            field="credit_code",
        )
    if credit_code is not None:
        try:
            validate_credit_code(credit_code)
        except ValidationError as error:
            raise InvalidInput(error.code, error.messages[0], field="credit_code") from error
        if Organisation.objects.filter(credit_code=credit_code).exists():
            raise Conflict(
                "credit_code_taken",
                _("An organisation with this unified social credit code is already registered."),
                field="credit_code",
            )
    organisation = Organisation.objects.create(name=name, kind=kind, credit_code=credit_code, description=description)
    organisation.areas.set(areas)
    if representative is not None:
        Membership.objects.create(organisation=organisation, user=representative, role=MembershipRole.REPRESENTATIVE)
    return organisation


@transaction.atomic
def area_role_grant(*, user, area: Area, role: str, granted_by=None) -> AreaRole:
    obj, _created = AreaRole.objects.get_or_create(user=user, area=area, role=role, defaults={"granted_by": granted_by})
    return obj
