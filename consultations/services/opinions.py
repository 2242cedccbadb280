"""Opinions: written online by participants, entered by staff from symposiums, letters, the hotline and
visits; supports ("同意此意见")."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.selectors import is_eligible, organisations_represented
from civic.services import audit_record, holds_perm, require_perm
from civic.text import clean_text

from ..models import (
    OFFLINE_ENTRY_STATES,
    OPINION_LIMIT,
    WORDING_LIMIT,
    Consultation,
    ConsultationState,
    Opinion,
    OpinionSupport,
    Participation,
    Source,
    Symposium,
    TextUnit,
    VersionKind,
)
from ..pages import bump_count
from ..predicates import organisation_serves
from ._common import NOTE_MAX, PLACE_MAX, SUBMITTER_MAX, follow, locked

S = ConsultationState

__all__ = [
    "opinion_enter_offline",
    "opinion_submit",
    "opinion_support",
    "opinion_unsupport",
    "symposium_record",
    "window_refusal",
]


def window_refusal(consultation, now) -> Conflict | None:
    """Why opinions cannot be given now (the server's clock), or None while the window is open."""
    if consultation.window_open(now):
        return None
    if consultation.state == S.OPEN and consultation.opens_at and now < consultation.opens_at:
        opens = timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M")
        return Conflict("window_not_open", _("Opinions are taken from %(opens)s.") % {"opens": opens})
    return Conflict("window_closed", _("This consultation is no longer taking opinions."))


def _unit(consultation, unit) -> TextUnit | None:
    """The draft unit commented on: it must be a unit of this consultation's draft text."""
    if unit is None or unit == "":
        return None
    queryset = TextUnit.objects.filter(version__consultation=consultation, version__kind=VersionKind.DRAFT)
    found = (
        queryset.filter(pk=unit.pk).first() if isinstance(unit, TextUnit) else queryset.filter(anchor=str(unit)).first()
    )
    if found is None:
        raise NotFound("unit_unknown", _("This part of the text does not exist in the draft."))
    return found


def _texts(text, wording, unit) -> tuple[str, str]:
    text = clean_text(text, field="text", limit=OPINION_LIMIT, required=True, message=_("Write your opinion."))
    wording = clean_text(wording, field="wording", limit=WORDING_LIMIT)
    if wording and unit is None:
        raise InvalidInput(
            "wording_without_unit", _("Choose the part of the text your wording would replace."), field="wording"
        )
    return text, wording


@transaction.atomic
def opinion_submit(
    *,
    author,
    consultation,
    text: str,
    unit=None,
    wording: str = "",
    organisation=None,
    as_resident: bool = False,
    now=None,
) -> Opinion:
    """A participant's opinion on a unit of the draft (a `TextUnit` or its anchor) or on the whole text."""
    now = now or timezone.now()
    consultation = locked(consultation)
    if consultation.state == S.DRAFT:
        raise NotFound("not_found", _("This consultation does not exist."))
    if not holds_perm(author, "consultations.comment", consultation, personal=True):
        if not getattr(author, "is_authenticated", False):
            raise NotAllowed("not_allowed", _("Sign in to give your opinion."))
        if consultation.participation == Participation.RESIDENTS:
            raise NotAllowed(
                "not_eligible",
                _("Only residents verified in %(area)s may give opinions on this consultation.")
                % {"area": consultation.area.name},
            )
        raise NotAllowed("not_allowed", _("You cannot give opinions on this consultation."))
    refusal = window_refusal(consultation, now)
    if refusal:
        raise refusal
    found = _unit(consultation, unit)
    text, wording = _texts(text, wording, found)
    if organisation is not None:
        if as_resident:
            raise InvalidInput(
                "organisation_as_resident", _("An organisation's opinion is shown with its name."), field="as_resident"
            )
        if not consultation.organisations_take_part:
            raise NotAllowed("organisations_not_invited", _("This consultation asks residents, not organisations."))
        represented = organisations_represented(author).filter(pk=organisation.pk).prefetch_related("areas").first()
        if represented is None:
            raise NotAllowed("not_representative", _("You do not represent this organisation."))
        if not organisation_serves(represented, consultation.area):
            raise NotAllowed("organisation_elsewhere", _("This organisation does not serve the consulting area."))
    elif consultation.participation == Participation.RESIDENTS and not is_eligible(author, consultation.area):
        # a representative may speak for their organisation, not as a resident of an area they do not live in
        raise NotAllowed(
            "not_eligible",
            _("Only residents verified in %(area)s may give opinions on this consultation.")
            % {"area": consultation.area.name},
        )
    opinion = Opinion.objects.create(
        consultation=consultation,
        unit=found,
        author=author,
        organisation=organisation,
        as_resident=bool(as_resident),
        text=text,
        wording=wording,
        source=Source.ONLINE,
        created_at=now,
    )
    Consultation.objects.filter(pk=consultation.pk).update(opinion_count=F("opinion_count") + 1)
    bump_count(consultation)  # an update sends no signal
    follow(author, consultation)
    audit_record(
        actor=author,
        action="consultation.opinion",
        obj=opinion,
        area=consultation.area,
        acting_for=organisation,
        after={"unit": found.anchor if found else ""},
    )
    return opinion


@transaction.atomic
def symposium_record(
    *, staff, consultation, held_on: date, place: str, attendance: int, note: str = "", now=None
) -> Symposium:
    """A symposium (座谈会) held during the window, whose opinions staff then enter."""
    now = now or timezone.now()
    consultation = locked(consultation)
    require_perm(staff, "consultations.enter_offline", consultation, _("Only staff of this area can enter opinions."))
    if consultation.state not in OFFLINE_ENTRY_STATES:
        raise Conflict("not_collecting", _("Opinions are no longer entered for this consultation."))
    if not isinstance(held_on, date):
        raise InvalidInput("date_invalid", _("Give the date of the meeting."), field="held_on")
    _in_window(consultation, held_on, now, field="held_on")
    place = clean_text(
        place,
        field="place",
        limit=PLACE_MAX,
        required=True,
        single_line=True,
        message=_("Say where the meeting was held."),
    )
    try:
        attendance = int(attendance)
    except (TypeError, ValueError):
        attendance = 0
    if attendance < 1:
        raise InvalidInput("attendance_invalid", _("Give how many people attended (at least one)."), field="attendance")
    symposium = Symposium.objects.create(
        consultation=consultation,
        held_on=held_on,
        place=place,
        attendance=attendance,
        note=clean_text(note, field="note", limit=NOTE_MAX),
        entered_by=staff,
    )
    audit_record(
        actor=staff,
        action="consultation.symposium",
        obj=consultation,
        area=consultation.area,
        after={"place": place, "attendance": attendance},
    )
    return symposium


def _in_window(consultation, day: date, now, *, field: str) -> None:
    opens = timezone.localdate(consultation.opens_at)
    closes = timezone.localdate(consultation.closes_at)
    if day > timezone.localdate(now):
        raise InvalidInput("date_in_future", _("This date has not come yet."), field=field)
    if not opens <= day <= closes:
        raise InvalidInput(
            "date_outside_window",
            _("Only opinions given while the consultation was open (%(opens)s to %(closes)s) are entered.")
            % {"opens": opens.isoformat(), "closes": closes.isoformat()},
            field=field,
        )


@transaction.atomic
def opinion_enter_offline(
    *,
    staff,
    consultation,
    source: str,
    text: str,
    unit=None,
    wording: str = "",
    symposium=None,
    submitter: str = "",
    received_on: date | None = None,
    now=None,
) -> Opinion:
    """An opinion that came in at a symposium, by letter, on the hotline or in a visit, entered by staff."""
    now = now or timezone.now()
    consultation = locked(consultation)
    require_perm(staff, "consultations.enter_offline", consultation, _("Only staff of this area can enter opinions."))
    if consultation.state not in OFFLINE_ENTRY_STATES:
        raise Conflict("not_collecting", _("Opinions are no longer entered for this consultation."))
    if source not in Source.values or source == Source.ONLINE:
        raise InvalidInput("source_invalid", _("Choose where the opinion came from."), field="source")
    if source == Source.SYMPOSIUM:
        if symposium is None or symposium.consultation_id != consultation.pk:
            raise InvalidInput(
                "symposium_missing", _("Choose the symposium the opinion was given at."), field="symposium"
            )
        received_on = symposium.held_on
    else:
        symposium = None
        if not isinstance(received_on, date):
            raise InvalidInput("date_invalid", _("Give the day the opinion came in."), field="received_on")
        _in_window(consultation, received_on, now, field="received_on")
    found = _unit(consultation, unit)
    text, wording = _texts(text, wording, found)
    opinion = Opinion.objects.create(
        consultation=consultation,
        unit=found,
        text=text,
        wording=wording,
        source=source,
        symposium=symposium,
        submitter=clean_text(submitter, field="submitter", limit=SUBMITTER_MAX, single_line=True),
        received_on=received_on,
        entered_by=staff,
        created_at=now,
    )
    Consultation.objects.filter(pk=consultation.pk).update(opinion_count=F("opinion_count") + 1)
    bump_count(consultation)  # an update sends no signal
    audit_record(
        actor=staff,
        action="consultation.opinion_entered",
        obj=opinion,
        area=consultation.area,
        after={"source": source},
    )
    return opinion


def _locked_opinion(opinion) -> Opinion:
    try:
        return Opinion.objects.select_for_update(of=("self",)).select_related("consultation__area").get(pk=opinion.pk)
    except Opinion.DoesNotExist:
        raise NotFound("not_found", _("This opinion does not exist.")) from None


@transaction.atomic
def opinion_support(*, user, opinion, now=None) -> OpinionSupport:
    """ "同意此意见": once per person, while the window is open, for someone else's public opinion."""
    now = now or timezone.now()
    opinion = _locked_opinion(opinion)
    require_perm(user, "consultations.support", opinion, _("You cannot support this opinion."), personal=True)
    refusal = window_refusal(opinion.consultation, now)
    if refusal:
        raise refusal
    if OpinionSupport.objects.filter(opinion=opinion, user=user).exists():
        raise Conflict("already_supported", _("You already support this opinion."))
    try:
        with transaction.atomic():
            support = OpinionSupport.objects.create(opinion=opinion, user=user, created_at=now)
    except IntegrityError:
        raise Conflict("already_supported", _("You already support this opinion.")) from None
    Opinion.objects.filter(pk=opinion.pk).update(support_count=F("support_count") + 1)
    return support


@transaction.atomic
def opinion_unsupport(*, user, opinion, now=None) -> bool:
    now = now or timezone.now()
    opinion = _locked_opinion(opinion)
    refusal = window_refusal(opinion.consultation, now)
    if refusal:
        raise refusal
    deleted, _rows = OpinionSupport.objects.filter(opinion=opinion, user=user).delete()
    if deleted:
        Opinion.objects.filter(pk=opinion.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)
