"""Reads of the civic core that are more than a `get`: visibility per user, lists without N+1."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import (
    Area,
    AreaLevel,
    AreaRole,
    AreaRoleKind,
    AuditEntry,
    Membership,
    MembershipRole,
    ModerationCase,
    Notification,
    Organisation,
    OrganisationRequest,
    OrganisationRequestStatus,
    ResidencyVerification,
    TimelineEntry,
    User,
    VerificationStatus,
)
from .predicates import area_roles_of
from .registry import TIMELINE_VERBS


def covered_by(user, roles, lookup: str) -> Q | None:
    """A filter for rows whose area (at `lookup`, a path) lies under an area where `user` holds one of
    `roles`; None when they hold none of them."""
    paths = [path for role, path in area_roles_of(user) if role in roles]
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


# --- areas ----------------------------------------------------------------------------------------


def area_descendants(area: Area, *, include_self: bool = False) -> QuerySet[Area]:
    queryset = Area.objects.filter(path__startswith=area.path)
    return queryset if include_self else queryset.exclude(pk=area.pk)


def area_children_with_counts(area: Area | None) -> QuerySet[Area]:
    """Children of `area` (the roots if None), each annotated with its number of children."""
    queryset = Area.objects.filter(parent=area) if area else Area.objects.filter(parent__isnull=True)
    return queryset.annotate(child_count=Count("children")).order_by("code")


def area_ancestors(area: Area) -> list[Area]:
    """The chain from the root down to the parent of `area`, in one query."""
    codes = area.ancestor_codes
    if not codes:
        return []
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def area_counts_by_level(area: Area | None = None) -> dict[str, int]:
    queryset = area_descendants(area) if area else Area.objects.all()
    counts = dict(queryset.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    return {level.value: counts.get(level.value, 0) for level in AreaLevel}


def area_role_holders(area: Area) -> QuerySet[AreaRole]:
    """Roles held in this area or above it (they cover it), nearest first."""
    return (
        AreaRole.objects.filter(area__code__in=area.path.strip("/").split("/"), user__is_active=True)
        .select_related("user", "area")
        .order_by("-area__depth", "role", "user__display_name")
    )


def areas_for_roles(user, roles: set[str]) -> QuerySet[Area]:
    """Every area where `user` holds one of `roles`, directly or through an area above (all for an admin)."""
    if user.is_superuser:
        return Area.objects.all()
    condition = covered_by(user, roles, "path")
    return Area.objects.none() if condition is None else Area.objects.filter(condition)


# --- eligibility ----------------------------------------------------------------------------------


def effective_verification(person) -> ResidencyVerification | None:
    """The verification that makes `person` a resident now, if any (one query)."""
    if not getattr(person, "is_authenticated", False):
        return None
    cached = getattr(person, "_civic_verification", False)
    if cached is not False:
        return cached
    verification = (
        ResidencyVerification.objects.filter(
            user=person, status=VerificationStatus.APPROVED, expires_at__gt=timezone.now()
        )
        .select_related("cell")
        .first()
    )
    person._civic_verification = verification
    return verification


def is_eligible(person, area: Area) -> bool:
    """True if `person` is a verified resident of `area` or of an area under it.

    A verification in a grid cell makes the person eligible in that cell and every area above it,
    until it expires or is revoked. At most one query per person per request (cached on the object).
    """
    if area is None or not getattr(person, "is_active", False):
        return False
    verification = effective_verification(person)
    return verification is not None and verification.cell.path.startswith(area.path)


def eligible_people(area: Area) -> QuerySet[User]:
    """Everyone eligible in `area` now (for counts of eligible residents, quorum shares)."""
    return User.objects.filter(
        is_active=True,
        verifications__status=VerificationStatus.APPROVED,
        verifications__expires_at__gt=timezone.now(),
        verifications__cell__path__startswith=area.path,
    ).distinct()


def verification_history(user) -> QuerySet[ResidencyVerification]:
    return ResidencyVerification.objects.filter(user=user).select_related("user", "cell__parent", "decided_by")


def verification_queue(user, *, status: str = VerificationStatus.PENDING) -> QuerySet[ResidencyVerification]:
    """Requests in the areas where `user` is organiser or official (all of them for an administrator)."""
    queryset = ResidencyVerification.objects.filter(status=status).select_related("user", "cell__parent", "decided_by")
    if not user.is_superuser:
        condition = covered_by(user, {AreaRoleKind.ORGANISER, AreaRoleKind.OFFICIAL}, "cell__path")
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition).exclude(user=user)
    return queryset.order_by("created_at")


# --- organisations --------------------------------------------------------------------------------


def organisation_list(*, kind: str | None = None, area: Area | None = None, include_unconfirmed: bool = False):
    queryset = Organisation.objects.filter(is_hidden=False).annotate(member_count=Count("memberships", distinct=True))
    if not include_unconfirmed:
        queryset = queryset.filter(confirmed_at__isnull=False)
    if kind:
        queryset = queryset.filter(kind=kind)
    if area is not None:
        # serving this area, an area under it, or an area above it (e.g. a city-wide NGO)
        queryset = queryset.filter(
            Q(areas__path__startswith=area.path) | Q(areas__code__in=area.path.strip("/").split("/"))
        ).distinct()
    return queryset.prefetch_related("areas").order_by("name")


def organisation_representatives(organisation) -> QuerySet[Membership]:
    return organisation.memberships.filter(role=MembershipRole.REPRESENTATIVE).select_related("user")


def organisations_represented(user) -> QuerySet[Organisation]:
    """Organisations the person may act for: they represent it and it is confirmed."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role=MembershipRole.REPRESENTATIVE,
        confirmed_at__isnull=False,
        is_hidden=False,
    )


def pending_requests_for_organisation(organisation) -> QuerySet[OrganisationRequest]:
    return organisation.requests.filter(status=OrganisationRequestStatus.PENDING).select_related("user", "created_by")


def pending_invitations(user) -> QuerySet[OrganisationRequest]:
    return OrganisationRequest.objects.filter(
        user=user, kind="invitation", status=OrganisationRequestStatus.PENDING
    ).select_related("user", "organisation", "created_by")


# --- timeline -------------------------------------------------------------------------------------


def render_timeline_entry(entry: TimelineEntry) -> str:
    from .models import AreaRoleKind as Roles

    message = TIMELINE_VERBS.get(entry.verb)
    params = dict(entry.params)
    if "role" in params and params["role"] in Roles.values:
        params["role"] = Roles(params["role"]).label
    if message is None:
        return entry.verb
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return str(message)


def _with_text(entries):
    entries = list(entries)
    for entry in entries:
        entry.text = render_timeline_entry(entry)
    return entries


def timeline_for(subject, *, limit: int = 50) -> list[TimelineEntry]:
    content_type = ContentType.objects.get_for_model(subject)
    return _with_text(
        TimelineEntry.objects.filter(subject_type=content_type, subject_id=subject.pk)
        .select_related("actor")
        .order_by("created_at", "id")[:limit]
    )


def timeline_for_organisation(organisation, *, limit: int = 50) -> list[TimelineEntry]:
    return _with_text(TimelineEntry.objects.filter(organisation=organisation).order_by("-created_at", "-id")[:limit])


def timeline_for_area(area: Area, *, limit: int = 30) -> list[TimelineEntry]:
    """What happened in this area and everything under it, newest first."""
    return _with_text(
        TimelineEntry.objects.filter(area_path__startswith=area.path).order_by("-created_at", "-id")[:limit]
    )


# --- notifications --------------------------------------------------------------------------------


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


# --- moderation and audit -------------------------------------------------------------------------


def moderation_queue(user, *, decided: bool = False) -> QuerySet[ModerationCase]:
    queryset = ModerationCase.objects.filter(decided_at__isnull=not decided).select_related(
        "content_type", "area", "author", "decided_by"
    )
    if not user.is_superuser:
        condition = covered_by(user, {AreaRoleKind.MODERATOR}, "area__path")
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition)
    return queryset.order_by("-updated_at")


def audit_entries(user, *, action: str = "", actor_email: str = "", area: Area | None = None, since=None, until=None):
    """Audit entries an official may browse: those of their areas (everything for an administrator)."""
    queryset = AuditEntry.objects.select_related("actor", "acting_for", "area", "content_type")
    if not user.is_superuser:
        condition = covered_by(user, {AreaRoleKind.OFFICIAL}, "area_path")
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition)
    if action:
        queryset = queryset.filter(action__startswith=action)
    if actor_email:
        queryset = queryset.filter(actor__email__iexact=actor_email.strip())
    if area is not None:
        queryset = queryset.filter(area_path__startswith=area.path)
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    if until:
        queryset = queryset.filter(created_at__date__lte=until)
    return queryset.order_by("-created_at", "-id")


def person_summary(person) -> dict:
    """What a public profile shows: organisations (confirmed, public) and whether the person is verified."""
    memberships = (
        Membership.objects.filter(user=person, organisation__confirmed_at__isnull=False, organisation__is_hidden=False)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {"memberships": memberships, "verified": effective_verification(person) is not None}


def has_pending_verification(user) -> bool:
    return ResidencyVerification.objects.filter(user=user, status=VerificationStatus.PENDING).exists()
