"""Residency and eligibility: who is a verified resident where; the requests to decide."""

from django.db.models import QuerySet
from django.utils import timezone

from ..models import (
    Area,
    AreaRoleKind,
    ResidencyVerification,
    User,
    VerificationStatus,
)
from .roles import covered_by


def effective_verification(person) -> ResidencyVerification | None:
    """The verification that makes `person` a resident now, if any (one query)."""
    if not getattr(person, "is_authenticated", False):
        return None
    cached = getattr(person, "_civic_verification", False)
    if cached is not False:
        return cached
    from django.db import connection

    from civic import rows

    # what `filter(user=…, status=approved, expires_at__gt=now).select_related("cell").first()` reads, in one
    # plain statement: every ballot and every signed-in page asks it (one approved verification at a time)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(ResidencyVerification, 'v')}, {rows.columns(Area, 'a')} "
            f"FROM {quote(ResidencyVerification._meta.db_table)} v JOIN {quote(Area._meta.db_table)} a "
            "ON a.id = v.cell_id WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s "
            "ORDER BY v.created_at DESC LIMIT 1",
            [person.pk, VerificationStatus.APPROVED.value, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()
    verification = None
    if row is not None:
        n = rows.width(ResidencyVerification)
        verification = rows.build(ResidencyVerification, row[:n])
        verification.cell = rows.build(Area, row[n:])
    person._civic_verification = verification
    return verification


def verification_join(person_alias: str) -> tuple[str, str, list]:
    """What `effective_verification` reads, to read with a person in the same statement: (the select list,
    the joins after the person's table named `person_alias`, their parameters). Hand the selected values to
    `verification_remember`. At most one row joins (one approved verification at a time, a constraint)."""
    from django.db import connection

    from civic import rows

    quote = connection.ops.quote_name
    select = f"{rows.columns(ResidencyVerification, 'ev')}, {rows.columns(Area, 'ec')}"
    joins = (
        f" LEFT JOIN {quote(ResidencyVerification._meta.db_table)} ev ON ev.user_id = {quote(person_alias)}.id "
        "AND ev.status = %s AND ev.expires_at > %s "
        f"LEFT JOIN {quote(Area._meta.db_table)} ec ON ec.id = ev.cell_id"
    )
    params = [VerificationStatus.APPROVED.value, connection.ops.adapt_datetimefield_value(timezone.now())]
    return select, joins, params


def verification_remember(person, values) -> None:
    """Keep on `person` (for this request) the verification read by `verification_join`'s columns."""
    from civic import rows

    n = rows.width(ResidencyVerification)
    verification = None
    if values[0] is not None:
        verification = rows.build(ResidencyVerification, values[:n])
        verification.cell = rows.build(Area, values[n:])
    person._civic_verification = verification


def verified_cell_path(person) -> str | None:
    """The path of the grid cell that makes `person` a resident now, or None: what `effective_verification`
    says, in one plain query (no models built), for a page that asks it on every signed-in reading."""
    if not getattr(person, "is_authenticated", False):
        return None
    from django.db import connection

    from civic.rows import prepared_cursor

    with prepared_cursor() as cursor:  # parsed and planned once per connection
        cursor.execute(
            f"SELECT a.path FROM {ResidencyVerification._meta.db_table} v JOIN {Area._meta.db_table} a "
            f"ON a.id = v.cell_id WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s",
            [person.pk, VerificationStatus.APPROVED.value, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()  # one approved verification at a time (a constraint)
    return row[0] if row else None


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


def has_pending_verification(user) -> bool:
    return ResidencyVerification.objects.filter(user=user, status=VerificationStatus.PENDING).exists()
