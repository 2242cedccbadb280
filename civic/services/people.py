"""People: profiles and deactivation (personal data anonymised in place)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput
from ..models import (
    ACTIVE_VERIFICATION_STATUSES,
    AssistedResident,
    ResidencyVerification,
    VerificationStatus,
)
from ..text import clean_text
from .audit import audit_record
from .permissions import require_perm

User = get_user_model()

DISPLAY_NAME_MAX = 60
PHONE_MAX = 20
BIO_MAX = 1000


@transaction.atomic
def profile_update(
    *, user, display_name: str, phone: str = "", preferred_language: str | None = None, bio: str = ""
) -> None:
    name = clean_text(display_name, field="display_name", limit=DISPLAY_NAME_MAX, single_line=True)
    if not name:
        raise InvalidInput("display_name_missing", _("Please enter a display name."), field="display_name")
    phone = clean_text(phone, field="phone", limit=PHONE_MAX, single_line=True)
    if phone and not all(c.isdigit() or c in "+- " for c in phone):
        raise InvalidInput(
            "phone_invalid", _("A phone number can contain only digits, spaces, + and -."), field="phone"
        )
    languages = dict(settings.LANGUAGES)
    if preferred_language and preferred_language not in languages:
        raise InvalidInput("language_unknown", _("Unknown language."), field="preferred_language")
    bio = clean_text(bio, field="bio", limit=BIO_MAX)
    user.display_name = name
    user.phone = phone
    user.bio = bio
    if preferred_language:
        user.preferred_language = preferred_language
    user.save(update_fields=["display_name", "phone", "bio", "preferred_language"])


@transaction.atomic
def user_deactivate(*, user, actor) -> None:
    """Close an account: people are never deleted, their personal data is anonymised in place."""
    require_perm(actor, "civic.close_account", user)
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
    user.login_phone = None
    AssistedResident.objects.filter(user=user).update(id_last4="")
    user.bio = ""
    user.is_active = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save()
