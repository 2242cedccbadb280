"""Assisted participation (代办): residents registered in person by staff, acts done with them in person, and
the code with which such a resident later claims their account.

Every service of any stage that a staff member may do for a resident takes `assisted_by=None` next to the
person acting, and starts with `assisted_channel(resident=..., assisted_by=...)`: it checks that the staff
member may act for this resident and gives the channel to store on the record ("assisted" or "online"); the
audit row gets `assisted_by` too (`audit_record(..., assisted_by=assisted_by)`)."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput
from ..models import (
    Area,
    AreaLevel,
    AssistedResident,
    Channel,
    ClaimCode,
    ResidencyVerification,
    VerificationStatus,
)
from ..text import clean_text
from ..validators import normalise_mobile
from .audit import audit_record
from .permissions import require_perm

__all__ = [
    "CLAIM_CODE_ALPHABET",
    "account_claim",
    "assisted_channel",
    "assisted_register",
    "claim_code_hash",
    "claim_code_issue",
    "normalise_id_last4",
]

User = get_user_model()

NAME_MAX = 60
ADDRESS_MAX = 200
# No 0/O, 1/I/L: a code is read aloud and copied from paper.
CLAIM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 12


def normalise_id_last4(value: str) -> str:
    """The last four characters of a resident identity card: three digits and a digit or X."""
    text = "".join((value or "").split()).upper()
    if len(text) != 4 or not text[:3].isdigit() or not (text[3].isdigit() or text[3] == "X"):
        raise InvalidInput(
            "id_last4_invalid",
            _("Enter the last four characters of the ID card: three digits and a digit or X."),
            field="id_last4",
        )
    return text


def _mobile(phone: str) -> str:
    try:
        return normalise_mobile(phone)
    except ValidationError as error:
        raise InvalidInput("phone_invalid", error.messages[0], field="phone") from error


def assisted_channel(*, resident, assisted_by) -> str:
    """The channel of an act for `resident`. With `assisted_by` (the staff member at the resident's side) it
    must be someone who may act for this resident in person; raises NotAllowed otherwise."""
    if assisted_by is None:
        return Channel.ONLINE
    require_perm(
        assisted_by,
        "civic.act_for",
        resident,
        _("You can act only for residents registered in person in your area."),
        personal=True,
    )
    return Channel.ASSISTED


@transaction.atomic
def assisted_register(
    *, actor, display_name: str, cell: Area, address: str, id_last4: str, phone: str = "", consent: bool
) -> AbstractBaseUser:
    """Register a resident who has no account, met in person: verified in their grid cell on the spot (the
    usual verification record, approved by `actor`), with their recorded consent."""
    if cell is None or cell.level != AreaLevel.GRID:
        raise InvalidInput("cell_required", _("Choose the grid cell the resident lives in."), field="cell")
    require_perm(
        actor,
        "civic.register_assisted",
        cell,
        _("Only organisers and officials of this area can register residents in person."),
        personal=True,
    )
    name = clean_text(display_name, field="display_name", limit=NAME_MAX, single_line=True)
    if not name:
        raise InvalidInput("display_name_missing", _("Please enter the resident's name."), field="display_name")
    last4 = normalise_id_last4(id_last4)
    mobile = _mobile(phone) if (phone or "").strip() else None
    address = clean_text(address, field="address", limit=ADDRESS_MAX, single_line=True)
    if len(address) < 4:
        raise InvalidInput(
            "address_missing", _("Please enter the resident's address (building, unit, room)."), field="address"
        )
    if not consent:
        raise InvalidInput(
            "consent_missing",
            _("The resident must agree in person to be registered and to have staff act with them."),
            field="consent",
        )
    Area.objects.select_for_update().filter(pk=cell.pk).first()  # one registration at a time in a cell
    if AssistedResident.objects.filter(cell=cell, id_last4=last4, user__display_name=name).exists():
        raise Conflict(
            "already_registered",
            _("%(name)s with these ID characters is already registered in this grid cell.") % {"name": name},
        )
    if mobile and User.objects.filter(login_phone=mobile).exists():
        raise Conflict("phone_taken", _("An account already signs in with this mobile number."), field="phone")
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User(email=None, login_phone=mobile, display_name=name)
            user.set_unusable_password()
            user.save()
    except IntegrityError as error:
        raise Conflict(
            "phone_taken", _("An account already signs in with this mobile number."), field="phone"
        ) from error
    AssistedResident.objects.create(user=user, id_last4=last4, cell=cell, registered_by=actor, consent_at=now)
    verification = ResidencyVerification.objects.create(
        user=user,
        cell=cell,
        address=address,
        status=VerificationStatus.APPROVED,
        decided_by=actor,
        decided_at=now,
        expires_at=now + timedelta(days=settings.RESIDENCY_VALID_DAYS),
    )
    audit_record(actor=actor, action="assisted.registered", obj=user, area=cell, after={"consent": True})
    audit_record(
        actor=actor,
        action="verification.approved",
        obj=verification,
        area=cell,
        before={"status": "pending"},
        after={"status": "approved", "in_person": True, "expires_at": verification.expires_at.isoformat()},
    )
    return user


def claim_code_hash(code: str) -> str:
    text = "".join(c for c in (code or "").upper() if c.isalnum())
    return hashlib.sha256(text.encode()).hexdigest()


def _format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def claim_code_issue(*, actor, resident) -> str:
    """A new single-use claim code for an assisted resident, returned once (only its hash is kept); any
    earlier unused code stops working."""
    require_perm(
        actor,
        "civic.issue_claim_code",
        resident,
        _("Only staff of the resident's area can hand over a claim code."),
        personal=True,
    )
    registration = AssistedResident.objects.select_for_update().get(user=resident)
    if registration.claimed_at is not None:
        raise Conflict("already_claimed", _("The resident has already claimed this account."))
    now = timezone.now()
    ClaimCode.objects.filter(user=resident, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    raw = "".join(secrets.choice(CLAIM_CODE_ALPHABET) for _n in range(CLAIM_CODE_LENGTH))
    ClaimCode.objects.create(
        user=resident,
        code_hash=claim_code_hash(raw),
        issued_by=actor,
        issued_at=now,
        expires_at=now + timedelta(days=settings.CLAIM_CODE_VALID_DAYS),
    )
    audit_record(actor=actor, action="assisted.claim_code_issued", obj=resident, area=registration.cell)
    return _format_code(raw)


def _claim_email(email: str, user) -> str:
    email = (email or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput("email_invalid", _("Enter a valid e-mail address."), field="email") from error
    taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    if taken or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists():
        raise Conflict("email_taken", _("This e-mail address already belongs to another account."), field="email")
    return email


@transaction.atomic
def account_claim(*, code: str, password: str, email: str = "", phone: str = "") -> AbstractBaseUser:
    """An assisted resident takes over their account with the code handed over in person: sets a password
    and optionally an e-mail address (confirmed when first used to sign in) or a mobile number. Use it
    through `civic.accounts.claim_account`, which puts every try under the sign-in lockout."""
    now = timezone.now()
    claim = ClaimCode.objects.select_for_update().filter(code_hash=claim_code_hash(code)).first()
    if claim is None or claim.used_at is not None or claim.expires_at <= now:
        raise InvalidInput(
            "claim_code_invalid",
            _(
                "This code is not valid: it may be mistyped, used or expired. "
                "Ask the staff who helped you for a new one."
            ),
            field="code",
        )
    user = User.objects.select_for_update().get(pk=claim.user_id)
    email = _claim_email(email, user)
    mobile = _mobile(phone) if (phone or "").strip() else None
    if mobile and User.objects.filter(login_phone=mobile).exclude(pk=user.pk).exists():
        raise Conflict("phone_taken", _("An account already signs in with this mobile number."), field="phone")
    if not (email or mobile or user.login_phone or user.email):
        raise InvalidInput(
            "login_missing",
            _("Give an e-mail address or a mobile number to sign in with next time."),
            field="email",
        )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput("password_invalid", " ".join(error.messages), field="password") from error
    if email:
        user.email = email
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    if mobile:
        user.login_phone = mobile
    user.set_password(password)
    user.save(update_fields=["email", "login_phone", "password"])
    claim.used_at = now
    claim.save(update_fields=["used_at"])
    AssistedResident.objects.filter(user=user).update(claimed_at=now)
    audit_record(actor=user, action="assisted.claimed", obj=user, after={"email": bool(email)})
    return user
