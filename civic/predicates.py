"""Who may do what in the civic core (django-rules predicates).

Area roles cover an area and everything under it. A person's roles are read once per request and
kept on the user object, so checking many objects costs one query.
"""

import rules

from .models import AreaRoleKind, MembershipRole


def area_roles_of(user) -> list[tuple[str, str]]:
    """(role, area path) pairs of the user, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_civic_area_roles", None)
    if cached is None:
        from .models import Area, AreaRole
        from .rows import prepared_cursor

        # plain SQL, prepared: asked on many signed-in readings (who prepares votes, who works a queue)
        with prepared_cursor() as cursor:
            cursor.execute(
                f"SELECT r.role, a.path FROM {AreaRole._meta.db_table} r "
                f"JOIN {Area._meta.db_table} a ON a.id = r.area_id WHERE r.user_id = %s",
                [user.pk],
            )
            cached = [(role, path) for role, path in cursor.fetchall()]
        user._civic_area_roles = cached
    return cached


def covers(user, role: str, area) -> bool:
    """True if `user` holds `role` in `area` or in an area above it."""
    if area is None:
        return False
    return any(r == role and area.path.startswith(path) for r, path in area_roles_of(user))


def holds_role_anywhere(user, role: str) -> bool:
    return any(r == role for r, _path in area_roles_of(user))


def forget_roles(user) -> None:
    if hasattr(user, "_civic_area_roles"):
        del user._civic_area_roles


is_superuser = rules.is_superuser


@rules.predicate
def is_official_of_area(user, area):
    return covers(user, AreaRoleKind.OFFICIAL, area)


@rules.predicate
def is_organiser_of_area(user, area):
    return covers(user, AreaRoleKind.ORGANISER, area)


@rules.predicate
def is_moderator_of_area(user, area):
    return covers(user, AreaRoleKind.MODERATOR, area)


@rules.predicate
def is_official_anywhere(user):
    return holds_role_anywhere(user, AreaRoleKind.OFFICIAL)


@rules.predicate
def decides_verifications_somewhere(user):
    return holds_role_anywhere(user, AreaRoleKind.OFFICIAL) or holds_role_anywhere(user, AreaRoleKind.ORGANISER)


# Who registers residents in person and acts for them (代办): the roles below, in the area of the resident's
# grid cell or above it. Another role that may do this (e.g. the grid worker) is one more entry here.
ASSISTING_ROLES: tuple[str, ...] = (AreaRoleKind.ORGANISER, AreaRoleKind.OFFICIAL)


@rules.predicate
def assists_in_area(user, area):
    return any(covers(user, role, area) for role in ASSISTING_ROLES)


@rules.predicate
def assists_somewhere(user):
    return any(holds_role_anywhere(user, role) for role in ASSISTING_ROLES)


@rules.predicate
def assists_resident(user, resident):
    """Staff of the area of an assisted resident's grid cell (the cell they were registered in)."""
    registration = getattr(resident, "assisted", None) if resident is not None else None
    if registration is None or getattr(user, "pk", None) == resident.pk:
        return False
    return assists_in_area(user, registration.cell)


@rules.predicate
def moderates_somewhere(user):
    return holds_role_anywhere(user, AreaRoleKind.MODERATOR)


@rules.predicate
def covers_verification_cell(user, verification):
    return covers(user, AreaRoleKind.ORGANISER, verification.cell) or covers(
        user, AreaRoleKind.OFFICIAL, verification.cell
    )


@rules.predicate
def owns_verification(user, verification):
    return verification.user_id == user.pk


@rules.predicate
def is_representative(user, organisation):
    if not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user, role=MembershipRole.REPRESENTATIVE).exists()


@rules.predicate
def is_member(user, organisation):
    if not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_official_of_organisation_area(user, organisation):
    return any(covers(user, AreaRoleKind.OFFICIAL, area) for area in organisation.areas.all())


@rules.predicate
def is_moderator_of_case(user, case):
    if case.area is None:
        return False
    return covers(user, AreaRoleKind.MODERATOR, case.area)


@rules.predicate
def sees_person(user, person):
    """A person's public page: gone when they left; when they chose to hide it, seen only by themselves."""
    if not person.is_active:
        return False
    return not person.is_hidden or getattr(user, "pk", None) == person.pk


@rules.predicate
def is_active_person(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_self(user, person):
    return getattr(user, "pk", None) is not None and person is not None and user.pk == person.pk


@rules.predicate
def is_hidden_organisation(user, organisation):
    return bool(organisation.is_hidden)


@rules.predicate
def is_invited_person(user, request):
    """The person an organisation's invitation is addressed to."""
    return request.kind == "invitation" and request.user_id == getattr(user, "pk", None)


@rules.predicate
def represents_requested_organisation(user, request):
    """A representative of the organisation someone asks to join."""
    return request.kind == "join" and is_representative(user, request.organisation)


@rules.predicate
def sent_organisation_request(user, request):
    return request.created_by_id is not None and request.created_by_id == getattr(user, "pk", None)


@rules.predicate
def is_own_membership(user, membership):
    return membership.user_id == getattr(user, "pk", None)


@rules.predicate
def represents_membership_organisation(user, membership):
    return is_representative(user, membership.organisation)
