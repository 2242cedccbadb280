"""Assisted participation (代办): the residents a staff member may act for, what was done in a person's name,
and finding the people a paper batch names."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ..errors import InvalidInput
from ..models import AssistedResident, AuditEntry, User
from ..predicates import ASSISTING_ROLES, area_roles_of
from ..validators import looks_like_mobile, normalise_mobile

__all__ = ["assisted_acts_of", "assisted_residents_for", "people_identify"]


def assisted_residents_for(user, query: str = "") -> QuerySet[AssistedResident]:
    """The assisted residents registered in the areas where `user` may assist (civic.act_for's query form)."""
    paths = [path for role, path in area_roles_of(user) if role in ASSISTING_ROLES]
    if not paths:
        return AssistedResident.objects.none()
    where = Q()
    for path in paths:
        where |= Q(cell__path__startswith=path)
    residents = AssistedResident.objects.filter(where).exclude(user=user)
    query = (query or "").strip()
    if query:
        residents = residents.filter(Q(user__display_name__icontains=query) | Q(id_last4=query.upper()))
    return residents.select_related("user", "cell", "cell__parent", "registered_by").order_by(
        "cell__path", "user__display_name", "pk"
    )


def assisted_acts_of(person) -> QuerySet[AuditEntry]:
    """Everything done in a person's name by staff in person: their registration and claim codes, and every
    act with `assisted_by`, newest first."""
    user_type = ContentType.objects.get_for_model(User)
    return (
        AuditEntry.objects.filter(
            Q(actor=person, assisted_by__isnull=False)
            | Q(action__startswith="assisted.", content_type=user_type, object_id=str(person.pk))
        )
        .select_related("actor", "assisted_by", "area", "content_type")
        .order_by("-created_at", "-id")
    )


_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _booth_parts(line: str) -> tuple[str, str, str] | None:
    parts = [p for p in _SEPARATORS.split(line) if p]
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2].upper()


def people_identify(lines: list[str], area) -> list[User]:
    """The people a paper batch names, one per line, in three queries whatever the batch's size: an e-mail
    address, a mobile number, or — for a resident registered in person — "name, grid cell, last four ID
    characters" (the cell by its code or its name, inside `area`). Raises InvalidInput (field `voters`)
    naming every line that matches nobody or more than one person."""
    lines = [line.strip() for line in lines if line.strip()]
    emails = {line.lower() for line in lines if "@" in line}
    phones = {normalise_mobile(line) for line in lines if "@" not in line and looks_like_mobile(line)}
    booth = {line: _booth_parts(line) for line in lines if "@" not in line and not looks_like_mobile(line)}
    by_email = (
        {(u.email or "").lower(): u for u in User.objects.filter(email__in=emails, is_active=True)} if emails else {}
    )
    by_phone = {u.login_phone: u for u in User.objects.filter(login_phone__in=phones, is_active=True)} if phones else {}
    names = {parts[0] for parts in booth.values() if parts}
    candidates = (
        list(
            AssistedResident.objects.filter(
                user__display_name__in=names,
                user__is_active=True,
                id_last4__in={parts[2] for parts in booth.values() if parts},
                cell__path__startswith=area.path,
            ).select_related("user", "cell")
        )
        if names
        else []
    )
    found: list[User] = []
    missing: list[str] = []
    ambiguous: list[str] = []
    for line in lines:
        if "@" in line:
            person = by_email.get(line.lower())
        elif looks_like_mobile(line):
            person = by_phone.get(normalise_mobile(line))
        else:
            parts = booth[line]
            matches = (
                [
                    c.user
                    for c in candidates
                    if parts
                    and c.user.display_name == parts[0]
                    and parts[1] in (c.cell.code, c.cell.name)
                    and c.id_last4 == parts[2]
                ]
                if parts
                else []
            )
            if len(matches) > 1:
                ambiguous.append(line)
                continue
            person = matches[0] if matches else None
        if person is None:
            missing.append(line)
        else:
            found.append(person)
    problems = []
    if missing:
        problems.append(_("Not registered: %(emails)s") % {"emails": ", ".join(missing)})
    if ambiguous:
        problems.append(
            _("More than one person matches %(lines)s: write the grid cell's code instead of its name.")
            % {"lines": "; ".join(ambiguous)}
        )
    if problems:
        raise InvalidInput("voters_unknown", " ".join(problems), field="voters")
    return found
