"""Who may do what with small-matter reports (django-rules predicates); `rules.py` names the permissions.

- Intake (accept, reject, merge, dispatch, callbacks): the grid workers of the report's cell and the
  organisers and officials of every area above it (roles cover everything under their area).
- Handling (start, return, resolve): the members of the unit the report is dispatched to.
- The reporter withdraws and rates their own report; nobody else does it in their name (staff record a
  callback rating, which is a separate permission).
"""

import rules

from civic.models import AreaRoleKind, Membership
from civic.predicates import covers, holds_role_anywhere
from civic.selectors import effective_verification

INTAKE_ROLES = (AreaRoleKind.GRID_WORKER, AreaRoleKind.ORGANISER, AreaRoleKind.OFFICIAL)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def unit_ids_of(user) -> set[int]:
    """The units whose organisation the user belongs to (cached on the user object for the request)."""
    if not _authenticated(user):
        return set()
    cached = getattr(user, "_casework_units", None)
    if cached is None:
        from .models import Unit

        cached = set(
            Unit.objects.filter(
                organisation__in=Membership.objects.filter(user=user).values("organisation")
            ).values_list("pk", flat=True)
        )
        user._casework_units = cached
    return cached


def takes_in(user, area) -> bool:
    """Grid worker, organiser or official of `area` or of an area above it."""
    return any(covers(user, role, area) for role in INTAKE_ROLES)


@rules.predicate
def is_verified_resident(user):
    return _authenticated(user) and effective_verification(user) is not None


@rules.predicate
def takes_in_area(user, area):
    return takes_in(user, area)


@rules.predicate
def takes_in_report(user, report):
    return takes_in(user, report.cell)


@rules.predicate
def refers_report(user, report):
    """Grid workers and officials (organisers do not send matters outside the platform)."""
    return covers(user, AreaRoleKind.GRID_WORKER, report.cell) or covers(user, AreaRoleKind.OFFICIAL, report.cell)


@rules.predicate
def works_for_report_unit(user, report):
    return report.unit_id is not None and report.unit_id in unit_ids_of(user)


@rules.predicate
def is_reporter(user, report):
    return _authenticated(user) and report.reporter_id == user.pk


@rules.predicate
def is_official_of_area(user, area):
    return covers(user, AreaRoleKind.OFFICIAL, area)


@rules.predicate
def answers_escalation(user, escalation):
    return covers(user, AreaRoleKind.OFFICIAL, escalation.area) or covers(user, AreaRoleKind.ORGANISER, escalation.area)


@rules.predicate
def has_a_queue(user):
    return any(holds_role_anywhere(user, role) for role in INTAKE_ROLES) or bool(unit_ids_of(user))


@rules.predicate
def answers_escalations_somewhere(user):
    """Escalations are addressed to the officials and organisers of an area."""
    return holds_role_anywhere(user, AreaRoleKind.OFFICIAL) or holds_role_anywhere(user, AreaRoleKind.ORGANISER)


@rules.predicate
def is_unit_member(user, unit):
    return unit is not None and unit.pk in unit_ids_of(user)
