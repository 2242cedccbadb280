"""Residency verification: requests, decisions, expiry."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import Conflict, InvalidInput, NotAllowed
from ..models import (
    ACTIVE_VERIFICATION_STATUSES,
    Area,
    AreaLevel,
    AreaRoleKind,
    ResidencyVerification,
    VerificationStatus,
)
from ..predicates import owns_verification
from ..text import clean_text
from ..uploads import accept_upload
from .audit import audit_record
from .notifications import notify
from .permissions import require_perm

User = get_user_model()

ADDRESS_MAX = 200
REASON_MAX = 500


def _expire_stale_verifications(user, now) -> None:
    ResidencyVerification.objects.filter(user=user, status=VerificationStatus.APPROVED, expires_at__lte=now).update(
        status=VerificationStatus.EXPIRED, ended_at=now
    )


@transaction.atomic
def verification_request(*, user, cell: Area, address: str, proof=None) -> ResidencyVerification:
    require_perm(user, "civic.request_verification")
    if cell is None or cell.level != AreaLevel.GRID:
        raise InvalidInput("cell_required", _("Choose the grid cell you live in."), field="cell")
    address = clean_text(address, field="address", limit=ADDRESS_MAX, single_line=True)
    if len(address) < 4:
        raise InvalidInput("address_missing", _("Please enter your address (building, unit, room)."), field="address")
    clean_proof = accept_upload(proof, field="proof") if proof is not None else None
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise one person's requests
    now = timezone.now()
    _expire_stale_verifications(user, now)
    if ResidencyVerification.objects.filter(user=user, status__in=ACTIVE_VERIFICATION_STATUSES).exists():
        raise Conflict(
            "verification_active",
            _("You already have a verification waiting or in force. To move, withdraw it first."),
        )
    try:
        with transaction.atomic():
            verification = ResidencyVerification.objects.create(user=user, cell=cell, address=address)
    except IntegrityError as error:
        raise Conflict(
            "verification_active",
            _("You already have a verification waiting or in force. To move, withdraw it first."),
        ) from error
    if clean_proof is not None:
        verification.proof.save(clean_proof.file.name, clean_proof.file, save=True)
    audit_record(actor=user, action="verification.requested", obj=verification, area=cell)
    deciders = (
        User.objects.filter(
            is_active=True,
            area_roles__role__in=[AreaRoleKind.ORGANISER, AreaRoleKind.OFFICIAL],
            area_roles__area__code__in=cell.path.strip("/").split("/"),
        )
        .exclude(pk=user.pk)
        .distinct()
    )
    for decider in deciders:
        notify(
            recipient=decider,
            kind="verification.requested",
            title=gettext_lazy("%(person)s asks to be verified in %(cell)s"),
            params={"person": user.public_name, "cell": f"{cell.parent.name if cell.parent else ''}{cell.name}"},
            url=reverse("civic:verification-queue"),
        )
    return verification


def _locked_verification(verification) -> ResidencyVerification:
    return ResidencyVerification.objects.select_for_update().select_related("cell", "user").get(pk=verification.pk)


@transaction.atomic
def verification_approve(*, verification, actor) -> ResidencyVerification:
    verification = _locked_verification(verification)
    if owns_verification(actor, verification):  # even an administrator: nobody decides their own
        raise NotAllowed("own_verification", _("You cannot decide on your own verification."))
    require_perm(
        actor, "civic.decide_verification", verification, _("Only organisers and officials of this area can decide.")
    )
    if verification.status != VerificationStatus.PENDING:
        raise Conflict("verification_not_pending", _("This request has already been decided."))
    now = timezone.now()
    verification.status = VerificationStatus.APPROVED
    verification.decided_by = actor
    verification.decided_at = now
    verification.expires_at = now + timedelta(days=settings.RESIDENCY_VALID_DAYS)
    verification.save(update_fields=["status", "decided_by", "decided_at", "expires_at"])
    audit_record(
        actor=actor,
        action="verification.approved",
        obj=verification,
        area=verification.cell,
        before={"status": "pending"},
        after={"status": "approved", "expires_at": verification.expires_at.isoformat()},
    )
    notify(
        recipient=verification.user,
        kind="verification.decided",
        title=gettext_lazy("You are verified as a resident of %(cell)s"),
        body=gettext_lazy("You can now take part in %(area)s and the areas above it."),
        params={
            "cell": verification.cell.name,
            "area": verification.cell.parent.name if verification.cell.parent else verification.cell.name,
        },
        url=reverse("civic:me"),
    )
    return verification


def _verification_ended(verification, actor, before: str, title) -> None:
    """Audit a rejection or revocation and tell the resident why."""
    audit_record(
        actor=actor,
        action=f"verification.{verification.status}",
        obj=verification,
        area=verification.cell,
        before={"status": before},
        after={"status": verification.status, "reason": verification.reason},
    )
    notify(
        recipient=verification.user,
        kind="verification.decided",
        title=title,
        body=verification.reason,
        url=reverse("civic:me"),
    )


@transaction.atomic
def verification_reject(*, verification, actor, reason: str) -> ResidencyVerification:
    reason = clean_text(reason, field="reason", limit=REASON_MAX)
    verification = _locked_verification(verification)
    if owns_verification(actor, verification):  # even an administrator: nobody decides their own
        raise NotAllowed("own_verification", _("You cannot decide on your own verification."))
    require_perm(
        actor, "civic.decide_verification", verification, _("Only organisers and officials of this area can decide.")
    )
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    if verification.status != VerificationStatus.PENDING:
        raise Conflict("verification_not_pending", _("This request has already been decided."))
    verification.status = VerificationStatus.REJECTED
    verification.decided_by = actor
    verification.decided_at = timezone.now()
    verification.reason = reason
    verification.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _verification_ended(verification, actor, "pending", gettext_lazy("Your residency verification was not approved"))
    return verification


@transaction.atomic
def verification_revoke(*, verification, actor, reason: str) -> ResidencyVerification:
    reason = clean_text(reason, field="reason", limit=REASON_MAX)
    verification = _locked_verification(verification)
    require_perm(
        actor, "civic.decide_verification", verification, _("Only organisers and officials of this area can decide.")
    )
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    if not verification.is_effective():
        raise Conflict("verification_not_effective", _("Only a verification in force can be revoked."))
    verification.status = VerificationStatus.REVOKED
    verification.ended_at = timezone.now()
    verification.reason = reason
    verification.save(update_fields=["status", "ended_at", "reason"])
    _verification_ended(verification, actor, "approved", gettext_lazy("Your residency verification was revoked"))
    return verification


@transaction.atomic
def verification_withdraw(*, verification, user) -> ResidencyVerification:
    verification = _locked_verification(verification)
    require_perm(
        user,
        "civic.withdraw_verification",
        verification,
        _("This is not your verification."),
        code="not_yours",
        personal=True,
    )
    if verification.status not in ACTIVE_VERIFICATION_STATUSES:
        raise Conflict("verification_not_active", _("This verification is no longer active."))
    before = verification.status
    verification.status = VerificationStatus.WITHDRAWN
    verification.ended_at = timezone.now()
    verification.save(update_fields=["status", "ended_at"])
    audit_record(
        actor=user,
        action="verification.withdrawn",
        obj=verification,
        area=verification.cell,
        before={"status": before},
        after={"status": "withdrawn"},
    )
    return verification
