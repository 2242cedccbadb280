"""Area roles: granting and revoking organisers, officials and the like."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import Conflict, InvalidInput, NotFound
from ..models import (
    Area,
    AreaRole,
    AreaRoleKind,
)
from ..predicates import forget_roles
from ..text import clean_text
from .audit import audit_record, timeline_record
from .notifications import notify
from .permissions import require_perm

REASON_MAX = 500


@transaction.atomic
def area_role_grant(*, actor, user, area: Area, role: str) -> AreaRole:
    if role not in AreaRoleKind.values:
        raise InvalidInput("role_unknown", _("Unknown role."), field="role")
    require_perm(actor, "civic.grant_role", area, _("Only an official of this area or above can assign roles here."))
    if not user.is_active:
        raise InvalidInput("user_inactive", _("This account is closed."))
    obj, created = AreaRole.objects.get_or_create(user=user, area=area, role=role, defaults={"granted_by": actor})
    if not created:
        raise Conflict("role_exists", _("%(person)s already holds this role here.") % {"person": user.public_name})
    forget_roles(user)
    audit_record(actor=actor, action="role.granted", obj=obj, area=area, after={"user": user.pk, "role": role})
    timeline_record(
        subject=area,
        verb="area.role_granted",
        params={"person": user.public_name, "role": role, "area": area.name},
        actor=actor,
        area=area,
    )
    notify(
        recipient=user,
        kind="role.changed",
        title=gettext_lazy("You are now %(role)s of %(area)s"),
        params={"role": AreaRoleKind(role).label, "area": area.name},
        url=area.get_absolute_url(),
    )
    return obj


@transaction.atomic
def area_role_revoke(*, actor, area_role: AreaRole, reason: str) -> None:
    reason = clean_text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    area_role = AreaRole.objects.select_for_update().select_related("user", "area").filter(pk=area_role.pk).first()
    if area_role is None:  # taken back by someone else a moment ago
        raise NotFound("role_gone", _("This role has already been taken back."))
    require_perm(
        actor, "civic.grant_role", area_role.area, _("Only an official of this area or above can change roles here.")
    )
    area, person, role = area_role.area, area_role.user, area_role.role
    audit_record(
        actor=actor,
        action="role.revoked",
        obj=area_role,
        area=area,
        before={"user": person.pk, "role": role},
        after={"reason": reason},
    )
    area_role.delete()
    forget_roles(person)
    timeline_record(
        subject=area,
        verb="area.role_revoked",
        params={"person": person.public_name, "role": role, "area": area.name},
        actor=actor,
        area=area,
    )
    notify(
        recipient=person,
        kind="role.changed",
        title=gettext_lazy("You are no longer %(role)s of %(area)s"),
        params={"role": AreaRoleKind(role).label, "area": area.name},
        body=reason,
        url=area.get_absolute_url(),
    )
