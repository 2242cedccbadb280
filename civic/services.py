"""Every write of the civic core: keyword-only, one transaction each, DomainError on a broken rule.

Permission checks use the django-rules permissions of civic/rules.py, so pages, API and WebSocket
consumers enforce the same thing.
"""

import csv
import io
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import events
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .models import (
    ACTIVE_VERIFICATION_STATUSES,
    AREA_LEVEL_ORDER,
    Area,
    AreaLevel,
    AreaRole,
    AreaRoleKind,
    AuditEntry,
    DeliveryChoice,
    Membership,
    MembershipRole,
    ModerationCase,
    ModerationStatus,
    Notification,
    NotificationPreference,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    OrganisationRequestKind,
    OrganisationRequestStatus,
    Report,
    ReportReason,
    ResidencyVerification,
    TimelineEntry,
    VerificationStatus,
)
from .predicates import forget_roles
from .registry import NOTIFICATION_KINDS, moderation_adapter
from .uploads import accept_upload
from .validators import validate_credit_code

User = get_user_model()


def require_perm(user, perm: str, obj=None, message=None) -> None:
    """Raise NotAllowed (translated) unless `user` holds the django-rules permission `perm` on `obj`."""
    if not user.has_perm(perm, obj):
        raise NotAllowed("not_allowed", message or _("You are not allowed to do this."))


# --- audit and timeline -------------------------------------------------------------------------


def audit_record(
    *, actor, action: str, obj=None, area: Area | None = None, acting_for=None, before=None, after=None
) -> AuditEntry:
    """Append one entry to the audit log (callers are already inside their transaction)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        acting_for=acting_for,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        area=area,
        area_path=area.path if area else "",
        before=before,
        after=after,
    )


def timeline_record(
    *, subject, verb: str, params: dict | None = None, url: str = "", actor=None, organisation=None, area=None
) -> TimelineEntry:
    """Write one public line of a subject's story; any app may call it, earlier pages read it."""
    return TimelineEntry.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        verb=verb,
        params=params or {},
        url=url,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        area=area,
        area_path=area.path if area else "",
    )


# --- notifications ------------------------------------------------------------------------------


def notification_delivery(user, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    if pref:
        return pref
    return NOTIFICATION_KINDS.get(kind, (None, DeliveryChoice.IMMEDIATE))[1]


def _send_notification_mail(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email or recipient.anonymised_at:
        return
    with translation.override(recipient.preferred_language):
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{_('Open on the platform:')} {settings.SITE_URL}{notification.url}"
        body += "\n\n" + _("You can choose which e-mails you receive at %(url)s") % {
            "url": f"{settings.SITE_URL}/notifications/preferences/"
        }
        send_mail(f"[{settings.SITE_NAME}] {notification.title}", body.strip(), None, [recipient.email])
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


def _in_language(text, params) -> str:
    """A lazy translation rendered now (in the active language), its `%(name)s` filled from `params`.

    Plain text (a reason someone typed) is kept as written: a `%` in it is no placeholder.
    """
    if isinstance(text, Promise):
        return str(text) % params if params else str(text)
    return str(text)


def notify(*, recipient, kind: str, title, body="", url: str = "", params: dict | None = None) -> Notification:
    """Tell one person something: in the inbox always, by e-mail as they chose, live if online.

    Pass `title` (and a translated `body`) as lazy translations with their `params`, never as text already
    translated: they are rendered here in the recipient's language, not in the language of whoever acted.
    """
    delivery = notification_delivery(recipient, kind)
    with translation.override(recipient.preferred_language):
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            title=_in_language(title, params)[:200],
            body=_in_language(body, params),
            url=url,
            delivery=delivery,
        )
    if delivery == DeliveryChoice.IMMEDIATE:
        transaction.on_commit(lambda: _send_notification_mail(notification.pk))
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()
    events.publish_to_user(
        recipient.pk,
        events.NOTIFICATION,
        {"id": notification.pk, "title": notification.title, "url": url, "unread": unread},
    )
    return notification


@transaction.atomic
def notification_mark_read(*, user, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    count = queryset.update(read_at=timezone.now())
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    events.publish_to_user(user.pk, events.NOTIFICATION_READ, {"unread": unread})
    return count


@transaction.atomic
def notification_preference_set(*, user, kind: str, delivery: str) -> NotificationPreference:
    if kind not in NOTIFICATION_KINDS:
        raise InvalidInput("notification_kind_unknown", _("Unknown kind of notification."), field="kind")
    if delivery not in DeliveryChoice.values:
        raise InvalidInput("delivery_unknown", _("Choose e-mail at once, a daily digest, or only on the site."))
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return pref


def send_digests(*, now=None) -> int:
    """E-mail each person their daily-digest notifications not yet e-mailed. Safe to run twice at once:
    rows are claimed under a lock (skipped by a concurrent run) and marked in the same transaction."""
    now = now or timezone.now()
    sent = 0
    recipients = (
        Notification.objects.filter(delivery=DeliveryChoice.DAILY, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in list(recipients):
        with transaction.atomic():
            claimed = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, delivery=DeliveryChoice.DAILY, emailed_at__isnull=True)
                .order_by("created_at")
            )
            if not claimed:
                continue
            recipient = User.objects.get(pk=recipient_id)
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=now)
            if not recipient.is_active or recipient.anonymised_at:
                continue
            with translation.override(recipient.preferred_language):
                lines = [f"- {n.title}" + (f"\n  {settings.SITE_URL}{n.url}" if n.url else "") for n in claimed]
                subject = _("%(count)s new notifications") % {"count": len(claimed)}
                body = (
                    "\n".join(lines)
                    + "\n\n"
                    + _("You can choose which e-mails you receive at %(url)s")
                    % {"url": f"{settings.SITE_URL}/notifications/preferences/"}
                )
                send_mail(f"[{settings.SITE_NAME}] {subject}", body, None, [recipient.email])
            sent += 1
    return sent


# --- people ---------------------------------------------------------------------------------------


@transaction.atomic
def profile_update(
    *, user, display_name: str, phone: str = "", preferred_language: str | None = None, bio: str = ""
) -> None:
    name = " ".join((display_name or "").split())
    if not name:
        raise InvalidInput("display_name_missing", _("Please enter a display name."), field="display_name")
    phone = (phone or "").strip()
    if phone and not all(c.isdigit() or c in "+- " for c in phone):
        raise InvalidInput(
            "phone_invalid", _("A phone number can contain only digits, spaces, + and -."), field="phone"
        )
    languages = dict(settings.LANGUAGES)
    if preferred_language and preferred_language not in languages:
        raise InvalidInput("language_unknown", _("Unknown language."), field="preferred_language")
    user.display_name = name[:60]
    user.phone = phone[:20]
    user.bio = (bio or "").strip()[:1000]
    if preferred_language:
        user.preferred_language = preferred_language
    user.save(update_fields=["display_name", "phone", "bio", "preferred_language"])


@transaction.atomic
def user_deactivate(*, user, actor) -> None:
    """Close an account: people are never deleted, their personal data is anonymised in place."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise NotAllowed("not_allowed", _("You are not allowed to do this."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at:
        raise Conflict("already_deactivated", _("This account is already closed."))
    audit_record(actor=actor, action="user.deactivated", obj=user)
    ResidencyVerification.objects.filter(user=user, status__in=ACTIVE_VERIFICATION_STATUSES).update(
        status=VerificationStatus.WITHDRAWN, ended_at=timezone.now()
    )
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"closed-{user.pk}@invalid"
    user.display_name = _("Former resident")
    user.phone = ""
    user.bio = ""
    user.is_active = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save()


# --- areas ----------------------------------------------------------------------------------------


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
    path = f"{parent.path if parent else '/'}{code}/"
    try:
        with transaction.atomic():  # the unique constraint settles two creations at the same moment
            return Area.objects.create(
                code=code,
                name=name,
                level=level,
                parent=parent,
                path=path,
                depth=0 if parent is None else parent.depth + 1,
            )
    except IntegrityError:
        raise Conflict(
            "area_code_taken", _("An area with the code %(code)s already exists.") % {"code": code}
        ) from None


@transaction.atomic
def area_get_or_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    existing = Area.objects.filter(code=code).first()
    return existing or area_create(code=code, name=name, level=level, parent=parent)


AREA_CSV_COLUMNS = ["code", "name", "level", "parent_code"]


@transaction.atomic
def area_import_csv(*, actor, data: bytes) -> dict[str, int]:
    """Import areas from CSV (code,name,level,parent_code); all or nothing, errors name the line.

    Existing codes with the same name, level and parent are left alone, so a file can be imported again.
    """
    if not actor.is_superuser:
        raise NotAllowed("not_allowed", _("Only administrators can import areas."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("csv_encoding", _("The file must be UTF-8 encoded CSV.")) from error
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames][:4] != AREA_CSV_COLUMNS:
        raise InvalidInput(
            "csv_header", _("The first line must be the header: %(header)s") % {"header": ",".join(AREA_CSV_COLUMNS)}
        )
    created = unchanged = 0
    for line_no, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        parent_code = (row.get("parent_code") or "").strip()
        try:
            parent = None
            if parent_code:
                parent = Area.objects.filter(code=parent_code).first()
                if parent is None:
                    raise InvalidInput(
                        "area_parent_unknown",
                        _("The parent area %(code)s does not exist (it must come earlier in the file).")
                        % {"code": parent_code},
                    )
            existing = Area.objects.filter(code=code).first()
            if existing is not None:
                same = (
                    existing.name == (row.get("name") or "").strip()
                    and existing.level == (row.get("level") or "").strip()
                    and existing.parent_id == (parent.pk if parent else None)
                )
                if not same:
                    raise Conflict(
                        "area_code_taken", _("An area with the code %(code)s already exists.") % {"code": code}
                    )
                unchanged += 1
                continue
            area_create(code=code, name=row.get("name") or "", level=(row.get("level") or "").strip(), parent=parent)
            created += 1
        except (InvalidInput, Conflict) as error:
            raise InvalidInput(
                error.code, _("Line %(line)s: %(error)s") % {"line": line_no, "error": error.message}
            ) from error
    audit_record(actor=actor, action="area.imported", after={"created": created, "unchanged": unchanged})
    return {"created": created, "unchanged": unchanged}


# --- roles ----------------------------------------------------------------------------------------


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
        url=f"/areas/{area.code}/",
    )
    return obj


@transaction.atomic
def area_role_revoke(*, actor, area_role: AreaRole, reason: str) -> None:
    reason = (reason or "").strip()
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
        url=f"/areas/{area.code}/",
    )


# --- residency verification ----------------------------------------------------------------------


def _expire_stale_verifications(user, now) -> None:
    ResidencyVerification.objects.filter(user=user, status=VerificationStatus.APPROVED, expires_at__lte=now).update(
        status=VerificationStatus.EXPIRED, ended_at=now
    )


@transaction.atomic
def verification_request(*, user, cell: Area, address: str, proof=None) -> ResidencyVerification:
    require_perm(user, "civic.request_verification")
    if cell is None or cell.level != AreaLevel.GRID:
        raise InvalidInput("cell_required", _("Choose the grid cell you live in."), field="cell")
    address = " ".join((address or "").split())
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
            url="/verifications/",
        )
    return verification


def _locked_verification(verification) -> ResidencyVerification:
    return ResidencyVerification.objects.select_for_update().select_related("cell", "user").get(pk=verification.pk)


@transaction.atomic
def verification_approve(*, verification, actor) -> ResidencyVerification:
    verification = _locked_verification(verification)
    if verification.user_id == actor.pk:
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
        url="/me/",
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
    notify(recipient=verification.user, kind="verification.decided", title=title, body=verification.reason, url="/me/")


@transaction.atomic
def verification_reject(*, verification, actor, reason: str) -> ResidencyVerification:
    reason = (reason or "").strip()
    verification = _locked_verification(verification)
    if verification.user_id == actor.pk:
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
    verification.reason = reason[:500]
    verification.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _verification_ended(verification, actor, "pending", gettext_lazy("Your residency verification was not approved"))
    return verification


@transaction.atomic
def verification_revoke(*, verification, actor, reason: str) -> ResidencyVerification:
    reason = (reason or "").strip()
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
    verification.reason = reason[:500]
    verification.save(update_fields=["status", "ended_at", "reason"])
    _verification_ended(verification, actor, "approved", gettext_lazy("Your residency verification was revoked"))
    return verification


@transaction.atomic
def verification_withdraw(*, verification, user) -> ResidencyVerification:
    verification = _locked_verification(verification)
    if verification.user_id != user.pk:
        raise NotAllowed("not_yours", _("This is not your verification."))
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


# --- organisations --------------------------------------------------------------------------------


def _clean_credit_code(kind: str, credit_code: str | None) -> str | None:
    credit_code = (credit_code or "").strip().upper() or None
    if kind not in OrganisationKind.values:
        raise InvalidInput("organisation_kind_unknown", _("Unknown kind of organisation."), field="kind")
    if credit_code is None and kind != OrganisationKind.RESIDENTS_GROUP:
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
    return credit_code


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, credit_code: str | None = None, description: str = "", areas=(), representative=None
) -> Organisation:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("organisation_name_missing", _("An organisation needs a name."), field="name")
    credit_code = _clean_credit_code(kind, credit_code)
    areas = list(areas)
    if not areas:
        raise InvalidInput(
            "organisation_areas_missing", _("Choose at least one area the organisation serves."), field="areas"
        )
    try:
        with transaction.atomic():  # the unique constraint settles two registrations at the same moment
            organisation = Organisation.objects.create(
                name=name[:120], kind=kind, credit_code=credit_code, description=(description or "").strip()
            )
    except IntegrityError:
        raise Conflict(
            "credit_code_taken",
            _("An organisation with this unified social credit code is already registered."),
            field="credit_code",
        ) from None
    organisation.areas.set(areas)
    if representative is not None:
        Membership.objects.create(organisation=organisation, user=representative, role=MembershipRole.REPRESENTATIVE)
    audit_record(actor=representative, action="organisation.registered", obj=organisation, area=areas[0])
    timeline_record(
        subject=organisation,
        verb="organisation.registered",
        params={"organisation": organisation.name},
        actor=representative,
        organisation=organisation,
        area=areas[0],
    )
    return organisation


@transaction.atomic
def organisation_register(*, actor, name, kind, credit_code=None, description="", areas=()) -> Organisation:
    """A person registers an organisation and becomes its first representative; an official confirms it."""
    require_perm(actor, "civic.register_organisation")
    return organisation_create(
        name=name, kind=kind, credit_code=credit_code, description=description, areas=areas, representative=actor
    )


@transaction.atomic
def organisation_update(*, actor, organisation, name: str, description: str, areas) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require_perm(
        actor, "civic.manage_organisation", organisation, _("Only the organisation's representatives can edit it.")
    )
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("organisation_name_missing", _("An organisation needs a name."), field="name")
    areas = list(areas)
    if not areas:
        raise InvalidInput(
            "organisation_areas_missing", _("Choose at least one area the organisation serves."), field="areas"
        )
    before = {"name": organisation.name, "areas": sorted(organisation.areas.values_list("code", flat=True))}
    organisation.name = name[:120]
    organisation.description = (description or "").strip()
    organisation.save(update_fields=["name", "description"])
    organisation.areas.set(areas)
    audit_record(
        actor=actor,
        action="organisation.updated",
        obj=organisation,
        acting_for=organisation,
        before=before,
        after={"name": organisation.name, "areas": sorted(a.code for a in areas)},
    )
    return organisation


@transaction.atomic
def organisation_confirm(*, actor, organisation) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require_perm(
        actor,
        "civic.confirm_organisation",
        organisation,
        _("Only an official of an area this organisation serves can confirm it."),
    )
    if organisation.confirmed_at:
        raise Conflict("organisation_confirmed", _("This organisation is already confirmed."))
    organisation.confirmed_at = timezone.now()
    organisation.confirmed_by = actor
    organisation.save(update_fields=["confirmed_at", "confirmed_by"])
    area = organisation.areas.order_by("depth").first()
    audit_record(actor=actor, action="organisation.confirmed", obj=organisation, area=area)
    timeline_record(
        subject=organisation,
        verb="organisation.confirmed",
        params={"organisation": organisation.name, "official": actor.public_name},
        actor=actor,
        organisation=organisation,
        area=area,
    )
    for membership in organisation.memberships.filter(role=MembershipRole.REPRESENTATIVE).select_related("user"):
        notify(
            recipient=membership.user,
            kind="organisation.confirmed",
            title=gettext_lazy("%(organisation)s is confirmed and can now act on the platform"),
            params={"organisation": organisation.name},
            url=f"/organisations/{organisation.pk}/",
        )
    return organisation


def organisation_acting_for(*, user, organisation) -> Organisation | None:
    """The organisation a person may act for, or None to act as themselves.

    Later apps call this before recording what was created "for" an organisation.
    """
    if organisation is None:
        return None
    if not Membership.objects.filter(organisation=organisation, user=user, role=MembershipRole.REPRESENTATIVE).exists():
        raise NotAllowed("not_representative", _("You can act only for organisations you represent."))
    if not organisation.confirmed_at:
        raise NotAllowed("organisation_unconfirmed", _("This organisation has not been confirmed by an official yet."))
    if organisation.is_hidden:
        raise NotAllowed("organisation_hidden", _("This organisation is hidden by moderation."))
    return organisation


@transaction.atomic
def organisation_request_join(*, user, organisation, message: str = "") -> OrganisationRequest:
    if not user.is_active:
        raise NotAllowed("not_allowed", _("You are not allowed to do this."))
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise Conflict("already_member", _("You are already a member of this organisation."))
    try:
        with transaction.atomic():
            request = OrganisationRequest.objects.create(
                organisation=organisation,
                user=user,
                kind=OrganisationRequestKind.JOIN,
                message=(message or "").strip()[:500],
                created_by=user,
            )
    except IntegrityError as error:
        raise Conflict("request_pending", _("There is already a request waiting for this person.")) from error
    for membership in organisation.memberships.filter(role=MembershipRole.REPRESENTATIVE).select_related("user"):
        notify(
            recipient=membership.user,
            kind="organisation.request",
            title=gettext_lazy("%(person)s asks to join %(organisation)s"),
            params={"person": user.public_name, "organisation": organisation.name},
            body=request.message,
            url=f"/organisations/{organisation.pk}/members/",
        )
    return request


@transaction.atomic
def organisation_invite(*, actor, organisation, email: str, role: str = MembershipRole.MEMBER) -> OrganisationRequest:
    require_perm(
        actor, "civic.manage_organisation", organisation, _("Only the organisation's representatives can invite.")
    )
    if role not in MembershipRole.values:
        raise InvalidInput("role_unknown", _("Unknown role."), field="role")
    invitee = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if invitee is None:
        raise NotFound(
            "person_unknown", _("Nobody with this e-mail address is registered on the platform."), field="email"
        )
    if Membership.objects.filter(organisation=organisation, user=invitee).exists():
        raise Conflict("already_member", _("%(person)s is already a member.") % {"person": invitee.public_name})
    try:
        with transaction.atomic():
            request = OrganisationRequest.objects.create(
                organisation=organisation,
                user=invitee,
                kind=OrganisationRequestKind.INVITATION,
                role=role,
                created_by=actor,
            )
    except IntegrityError as error:
        raise Conflict("request_pending", _("There is already a request waiting for this person.")) from error
    audit_record(actor=actor, action="organisation.invited", obj=request, acting_for=organisation, after={"role": role})
    notify(
        recipient=invitee,
        kind="organisation.request",
        title=gettext_lazy("%(organisation)s invites you to join as %(role)s"),
        params={"organisation": organisation.name, "role": MembershipRole(role).label},
        url="/me/",
    )
    return request


@transaction.atomic
def organisation_request_decide(*, actor, request: OrganisationRequest, accept: bool) -> OrganisationRequest:
    request = OrganisationRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request.pk)
    if request.status != OrganisationRequestStatus.PENDING:
        raise Conflict("request_decided", _("This request has already been answered."))
    if request.kind == OrganisationRequestKind.JOIN:
        require_perm(
            actor,
            "civic.manage_organisation",
            request.organisation,
            _("Only the organisation's representatives can answer."),
        )
    elif request.user_id != actor.pk:
        raise NotAllowed("not_yours", _("Only the invited person can answer an invitation."))
    request.status = OrganisationRequestStatus.ACCEPTED if accept else OrganisationRequestStatus.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        Membership.objects.get_or_create(
            organisation=request.organisation, user=request.user, defaults={"role": request.role}
        )
        timeline_record(
            subject=request.organisation,
            verb="organisation.member_joined",
            params={"person": request.user.public_name, "organisation": request.organisation.name},
            actor=actor,
            organisation=request.organisation,
        )
    audit_record(
        actor=actor, action="organisation.request_" + request.status, obj=request, acting_for=request.organisation
    )
    other = request.user if request.kind == OrganisationRequestKind.JOIN else request.created_by
    notify(
        recipient=other,
        kind="organisation.request",
        title=(
            gettext_lazy("%(person)s joined %(organisation)s")
            if accept
            else gettext_lazy("%(person)s: no membership of %(organisation)s")
        ),
        params={"person": request.user.public_name, "organisation": request.organisation.name},
        url=f"/organisations/{request.organisation.pk}/",
    )
    return request


@transaction.atomic
def organisation_request_withdraw(*, actor, request: OrganisationRequest) -> OrganisationRequest:
    request = OrganisationRequest.objects.select_for_update().get(pk=request.pk)
    if request.created_by_id != actor.pk:
        raise NotAllowed("not_yours", _("Only whoever sent a request can withdraw it."))
    if request.status != OrganisationRequestStatus.PENDING:
        raise Conflict("request_decided", _("This request has already been answered."))
    request.status = OrganisationRequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    membership = (
        Membership.objects.select_for_update().select_related("organisation", "user").filter(pk=membership.pk).first()
    )
    if membership is None:  # removed by someone else a moment ago
        raise NotFound("membership_gone", _("This person is no longer a member."))
    organisation = membership.organisation
    if membership.user_id != actor.pk:
        require_perm(
            actor,
            "civic.manage_organisation",
            organisation,
            _("Only the organisation's representatives can remove members."),
        )
    if membership.role == MembershipRole.REPRESENTATIVE:
        others = (
            Membership.objects.select_for_update()
            .filter(organisation=organisation, role=MembershipRole.REPRESENTATIVE)
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise Conflict("last_representative", _("An organisation must keep at least one representative."))
    audit_record(
        actor=actor,
        action="organisation.member_removed",
        obj=organisation,
        acting_for=organisation,
        before={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


# --- moderation -----------------------------------------------------------------------------------


def _set_hidden(obj, adapter, hidden: bool) -> None:
    type(obj).objects.filter(pk=obj.pk).update(**{adapter.hidden_field: hidden})


@transaction.atomic
def content_report(*, reporter, obj, reason: str, text: str = "") -> Report:
    require_perm(reporter, "civic.report_content")
    adapter = moderation_adapter(type(obj))
    if adapter is None:
        raise InvalidInput("not_reportable", _("This cannot be reported."))
    if reason not in ReportReason.values:
        raise InvalidInput("reason_unknown", _("Choose a reason from the list."), field="reason")
    if reason == ReportReason.OTHER and not (text or "").strip():
        raise InvalidInput("details_missing", _("Please describe the problem."), field="text")
    author = adapter.author(obj)
    if author is not None and author.pk == reporter.pk:
        raise InvalidInput("own_content", _("You cannot report what you wrote yourself."))
    content_type = ContentType.objects.get_for_model(obj)
    case, _created = ModerationCase.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults={"area": adapter.area(obj), "author": author, "excerpt": adapter.excerpt(obj)},
    )
    if Report.objects.filter(case=case, reporter=reporter).exists():
        raise Conflict("already_reported", _("You have already reported this."))
    report = Report.objects.create(case=case, reporter=reporter, reason=reason, text=(text or "").strip()[:1000])
    now = timezone.now()
    ModerationCase.objects.filter(pk=case.pk).update(report_count=F("report_count") + 1, updated_at=now)
    case.refresh_from_db()
    if case.decided_at is not None and case.status == ModerationStatus.RESTORED:
        case.decided_at = None  # new reports after a decision reopen the case for review
        case.save(update_fields=["decided_at"])
    threshold = settings.MODERATION_AUTO_HIDE_REPORTS
    if case.status == ModerationStatus.OPEN and threshold and case.report_count >= threshold:
        case.status = ModerationStatus.HIDDEN
        case.auto_hidden = True
        case.save(update_fields=["status", "auto_hidden"])
        _set_hidden(obj, adapter, True)
        audit_record(actor=None, action="moderation.auto_hidden", obj=case, area=case.area)
        if author is not None:
            notify(
                recipient=author,
                kind="moderation.decided",
                title=gettext_lazy("Something you wrote is hidden until a moderator reviews it"),
                body=case.excerpt,
                url=adapter.url(obj),
            )
    if case.area is not None and (case.report_count == 1 or (case.auto_hidden and case.report_count == threshold)):
        moderators = User.objects.filter(
            is_active=True,
            area_roles__role=AreaRoleKind.MODERATOR,
            area_roles__area__code__in=case.area.path.strip("/").split("/"),
        ).distinct()
        for moderator in moderators:
            notify(
                recipient=moderator,
                kind="moderation.reported",
                title=gettext_lazy("Content reported in %(area)s"),
                params={"area": case.area.name},
                body=case.excerpt,
                url=f"/moderation/{case.pk}/",
            )
    return report


@transaction.atomic
def moderation_decide(*, actor, case: ModerationCase, hide: bool, reason: str) -> ModerationCase:
    case = ModerationCase.objects.select_for_update(of=("self",)).select_related("content_type", "area").get(pk=case.pk)
    require_perm(actor, "civic.decide_case", case, _("Only a moderator of this area can decide."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    obj = case.content_object
    if obj is None:
        raise NotFound("content_gone", _("The reported content no longer exists."))
    adapter = moderation_adapter(type(obj))
    before = case.status
    case.status = ModerationStatus.HIDDEN if hide else ModerationStatus.RESTORED
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.decision_reason = reason[:500]
    case.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _set_hidden(obj, adapter, hide)
    audit_record(
        actor=actor,
        action="moderation.hidden" if hide else "moderation.restored",
        obj=case,
        area=case.area,
        before={"status": before},
        after={"status": case.status, "reason": reason},
    )
    if case.author_id:
        notify(
            recipient=case.author,
            kind="moderation.decided",
            title=gettext_lazy("A moderator hid something you wrote")
            if hide
            else gettext_lazy("Something you wrote is visible again"),
            body=reason,
            url=adapter.url(obj),
        )
    return case
