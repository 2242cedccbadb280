"""Organisations: registration, confirmation, membership."""

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import Conflict, InvalidInput, NotAllowed, NotFound
from ..models import (
    Area,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    OrganisationRequestKind,
    OrganisationRequestStatus,
    OrganisationToken,
)
from ..predicates import is_representative
from ..selectors import active_person_by_email
from ..text import clean_text
from ..validators import validate_credit_code
from .audit import audit_record, timeline_record
from .notifications import notify
from .permissions import require_perm

User = get_user_model()

ORGANISATION_NAME_MAX = 120
ORGANISATION_DESCRIPTION_MAX = 5000
REQUEST_MESSAGE_MAX = 500


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
    *,
    name: str,
    kind: str,
    credit_code: str | None = None,
    description: str = "",
    areas: Iterable[Area] = (),
    representative=None,
) -> Organisation:

    name = clean_text(name, field="name", limit=ORGANISATION_NAME_MAX, single_line=True)
    description = clean_text(description, field="description", limit=ORGANISATION_DESCRIPTION_MAX)
    if not name:
        raise InvalidInput("organisation_name_missing", _("An organisation needs a name."), field="name")
    credit_code = _clean_credit_code(kind, credit_code)
    served = list(areas)
    if not served:
        raise InvalidInput(
            "organisation_areas_missing", _("Choose at least one area the organisation serves."), field="areas"
        )
    try:
        with transaction.atomic():  # the unique constraint settles two registrations at the same moment
            organisation = Organisation.objects.create(
                name=name, kind=kind, credit_code=credit_code, description=description
            )
    except IntegrityError:
        raise Conflict(
            "credit_code_taken",
            _("An organisation with this unified social credit code is already registered."),
            field="credit_code",
        ) from None
    organisation.areas.set(served)
    if representative is not None:
        Membership.objects.create(organisation=organisation, user=representative, role=MembershipRole.REPRESENTATIVE)
    audit_record(actor=representative, action="organisation.registered", obj=organisation, area=served[0])
    timeline_record(
        subject=organisation,
        verb="organisation.registered",
        params={"organisation": organisation.name},
        actor=representative,
        organisation=organisation,
        area=served[0],
    )
    return organisation


@transaction.atomic
def organisation_register(
    *, actor, name: str, kind: str, credit_code: str | None = None, description: str = "", areas: Iterable[Area] = ()
) -> Organisation:
    """A person registers an organisation and becomes its first representative; an official confirms it."""
    require_perm(actor, "civic.register_organisation")
    return organisation_create(
        name=name, kind=kind, credit_code=credit_code, description=description, areas=areas, representative=actor
    )


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, name: str, description: str, areas: Iterable[Area]
) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require_perm(
        actor, "civic.manage_organisation", organisation, _("Only the organisation's representatives can edit it.")
    )
    name = clean_text(name, field="name", limit=ORGANISATION_NAME_MAX, single_line=True)
    description = clean_text(description, field="description", limit=ORGANISATION_DESCRIPTION_MAX)
    if not name:
        raise InvalidInput("organisation_name_missing", _("An organisation needs a name."), field="name")
    served = list(areas)
    if not served:
        raise InvalidInput(
            "organisation_areas_missing", _("Choose at least one area the organisation serves."), field="areas"
        )
    before = {"name": organisation.name, "areas": sorted(organisation.areas.values_list("code", flat=True))}
    organisation.name = name
    organisation.description = description
    organisation.save(update_fields=["name", "description"])
    organisation.areas.set(served)
    audit_record(
        actor=actor,
        action="organisation.updated",
        obj=organisation,
        acting_for=organisation,
        before=before,
        after={"name": organisation.name, "areas": sorted(a.code for a in served)},
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
            url=organisation.get_absolute_url(),
        )
    return organisation


def organisation_acting_for(*, user, organisation) -> Organisation | None:
    """The organisation a person may act for, or None to act as themselves.

    Later apps call this before recording what was created "for" an organisation.
    """
    if organisation is None:
        return None
    if not is_representative(user, organisation):  # the membership itself, not a permission an admin holds
        raise NotAllowed("not_representative", _("You can act only for organisations you represent."))
    if not organisation.confirmed_at:
        raise NotAllowed("organisation_unconfirmed", _("This organisation has not been confirmed by an official yet."))
    if organisation.is_hidden:
        raise NotAllowed("organisation_hidden", _("This organisation is hidden by moderation."))
    return organisation


@transaction.atomic
def organisation_request_join(*, user, organisation, message: str = "") -> OrganisationRequest:
    require_perm(user, "civic.join_organisation")
    message = clean_text(message, field="message", limit=REQUEST_MESSAGE_MAX)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise Conflict("already_member", _("You are already a member of this organisation."))
    try:
        with transaction.atomic():
            request = OrganisationRequest.objects.create(
                organisation=organisation,
                user=user,
                kind=OrganisationRequestKind.JOIN,
                message=message,
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
            url=reverse("civic:organisation-members", kwargs={"pk": organisation.pk}),
        )
    return request


@transaction.atomic
def organisation_invite(*, actor, organisation, email: str, role: str = MembershipRole.MEMBER) -> OrganisationRequest:
    require_perm(
        actor, "civic.manage_organisation", organisation, _("Only the organisation's representatives can invite.")
    )
    if role not in MembershipRole.values:
        raise InvalidInput("role_unknown", _("Unknown role."), field="role")
    invitee = active_person_by_email(email)
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
        url=reverse("civic:me"),
    )
    return request


@transaction.atomic
def organisation_request_decide(*, actor, request: OrganisationRequest, accept: bool) -> OrganisationRequest:
    request = OrganisationRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request.pk)
    if request.status != OrganisationRequestStatus.PENDING:
        raise Conflict("request_decided", _("This request has already been answered."))
    if request.kind == OrganisationRequestKind.JOIN:
        require_perm(
            actor, "civic.answer_join_request", request, _("Only the organisation's representatives can answer.")
        )
    else:
        require_perm(
            actor,
            "civic.answer_invitation",
            request,
            _("Only the invited person can answer an invitation."),
            code="not_yours",
            personal=True,
        )
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
        url=request.organisation.get_absolute_url(),
    )
    return request


@transaction.atomic
def organisation_request_withdraw(*, actor, request: OrganisationRequest) -> OrganisationRequest:
    request = OrganisationRequest.objects.select_for_update().get(pk=request.pk)
    require_perm(
        actor,
        "civic.withdraw_organisation_request",
        request,
        _("Only whoever sent a request can withdraw it."),
        code="not_yours",
        personal=True,
    )
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
    require_perm(
        actor, "civic.remove_membership", membership, _("Only the organisation's representatives can remove members.")
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


# --- API keys of organisations (a hotline centre filing reports through Open311) ----------------------------


def organisation_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def organisation_token_issue(
    *, actor, organisation: Organisation, label: str, may_file_reports: bool = True
) -> tuple[OrganisationToken, str]:
    """Issue an API key to a confirmed organisation (an official of an area it serves): returns the row and
    the key, which is shown this once and stored only as its hash."""
    require_perm(actor, "civic.issue_organisation_token", organisation, _("Only an official may issue API keys."))
    if not organisation.is_confirmed or organisation.is_hidden:
        raise Conflict("organisation_unconfirmed", _("Only a confirmed organisation can hold an API key."))
    label = clean_text(label, field="label", limit=120, required=True, single_line=True)
    key = secrets.token_urlsafe(30)
    token = OrganisationToken.objects.create(
        organisation=organisation,
        label=label,
        key_hash=organisation_token_hash(key),
        prefix=key[:8],
        may_file_reports=may_file_reports,
        created_by=actor,
    )
    audit_record(actor=actor, action="organisation_token.issue", obj=token, after={"label": label, "prefix": key[:8]})
    return token, key


@transaction.atomic
def organisation_token_revoke(*, actor, token: OrganisationToken) -> OrganisationToken:
    require_perm(
        actor, "civic.issue_organisation_token", token.organisation, _("Only an official may revoke API keys.")
    )
    token = OrganisationToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="organisation_token.revoke", obj=token)
    return token
