"""A consultation from its draft to its window's end: settings, the text, publication, extensions, the tick."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.services import audit_record, notify, require_perm
from civic.text import clean_text
from civic.workdays import add_working_days

from .. import textimport
from ..models import (
    MACHINE,
    AreaSubscription,
    Consultation,
    ConsultationKind,
    ConsultationState,
    Extension,
    Follow,
    Participation,
    TextFormat,
    TextUnit,
    TextVersion,
    UnitKind,
    VersionKind,
)
from ._common import (
    BACKGROUND_MAX,
    ORIGINATOR_MAX,
    REASON_MAX,
    SOURCE_MAX,
    TITLE_MAX,
    UNIT_TEXT_MAX,
    follow,
    locked,
    move,
    record,
    subscribers,
    tell_followers,
)

S = ConsultationState

__all__ = [
    "area_subscribe",
    "area_unsubscribe",
    "close_due_consultations",
    "consultation_close",
    "consultation_create",
    "consultation_extend",
    "consultation_follow",
    "consultation_import_text",
    "consultation_publish",
    "consultation_unfollow",
    "consultation_unit_correct",
    "consultation_update",
    "import_warning_message",
]


def _settings(
    *,
    title,
    kind,
    originator,
    background,
    participation,
    organisations_take_part,
    opinions_public,
    answer_working_days,
) -> dict:
    if kind not in ConsultationKind.values:
        raise InvalidInput("kind_invalid", _("Choose what kind of text is consulted on."), field="kind")
    if participation not in Participation.values:
        raise InvalidInput("participation_invalid", _("Choose who may take part."), field="participation")
    try:
        days = int(answer_working_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 120:
        raise InvalidInput(
            "answer_days_invalid",
            _("Give between 1 and 120 working days for the answers."),
            field="answer_working_days",
        )
    return {
        "title": clean_text(title, field="title", limit=TITLE_MAX, required=True, single_line=True),
        "kind": kind,
        "originator": clean_text(originator, field="originator", limit=ORIGINATOR_MAX, single_line=True),
        "background": clean_text(background, field="background", limit=BACKGROUND_MAX),
        "participation": participation,
        "organisations_take_part": bool(organisations_take_part),
        "opinions_public": bool(opinions_public),
        "answer_working_days": days,
    }


def _window(opens_at: datetime | None, closes_at: datetime | None, *, now) -> None:
    if closes_at is None:
        raise InvalidInput("closes_missing", _("Say when the consultation closes."), field="closes_at")
    if opens_at is not None and closes_at <= opens_at:
        raise InvalidInput("window_invalid", _("The consultation must close after it opens."), field="closes_at")
    if closes_at <= now:
        raise InvalidInput("closes_in_past", _("The closing time has already passed."), field="closes_at")


def _drafters(actor, area, drafters) -> list:
    people = list(drafters or [])
    for person in people:
        if not person.is_active:
            raise InvalidInput("drafter_inactive", _("A named drafter has left the platform."), field="drafters")
    return people


@transaction.atomic
def consultation_create(
    *,
    actor,
    area,
    title: str,
    kind: str,
    originator: str = "",
    background: str = "",
    participation: str = Participation.RESIDENTS,
    organisations_take_part: bool = True,
    opinions_public: bool = True,
    answer_working_days: int = 15,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    drafters=(),
) -> Consultation:
    """A consultation in draft, by an official of `area` (nobody else sees it until it is published)."""
    require_perm(actor, "consultations.create_in_area", area, _("Only an official of this area can consult in it."))
    values = _settings(
        title=title,
        kind=kind,
        originator=originator,
        background=background,
        participation=participation,
        organisations_take_part=organisations_take_part,
        opinions_public=opinions_public,
        answer_working_days=answer_working_days,
    )
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidInput("window_invalid", _("The consultation must close after it opens."), field="closes_at")
    consultation = Consultation.objects.create(
        area=area, area_path=area.path, created_by=actor, opens_at=opens_at, closes_at=closes_at, **values
    )
    consultation.drafters.set(_drafters(actor, area, drafters))
    audit_record(
        actor=actor, action="consultation.created", obj=consultation, area=area, after={"title": values["title"]}
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor,
    consultation,
    title: str,
    kind: str,
    originator: str = "",
    background: str = "",
    participation: str = Participation.RESIDENTS,
    organisations_take_part: bool = True,
    opinions_public: bool = True,
    answer_working_days: int = 15,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    drafters=(),
) -> Consultation:
    """Change a consultation still in draft (once published, only the window can be extended)."""
    consultation = locked(consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can change this consultation."))
    if consultation.state != S.DRAFT:
        raise Conflict("not_draft", _("A published consultation cannot be changed; the window can be extended."))
    values = _settings(
        title=title,
        kind=kind,
        originator=originator,
        background=background,
        participation=participation,
        organisations_take_part=organisations_take_part,
        opinions_public=opinions_public,
        answer_working_days=answer_working_days,
    )
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidInput("window_invalid", _("The consultation must close after it opens."), field="closes_at")
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    consultation.save()
    consultation.drafters.set(_drafters(actor, consultation.area, drafters))
    audit_record(actor=actor, action="consultation.updated", obj=consultation, area=consultation.area)
    return consultation


# --- the text ---------------------------------------------------------------------------------------------

_WARNINGS = {
    "number_skipped": gettext_lazy("Line %(line)s: number %(number)s where %(expected)s was expected."),
    "number_repeated": gettext_lazy("Line %(line)s: number %(number)s comes again (%(expected)s was expected)."),
    "numeral_invalid": gettext_lazy("Line %(line)s: “%(numeral)s” is not a number; the line is read as a paragraph."),
    "section_outside_chapter": gettext_lazy("Line %(line)s: a section (节) outside any chapter (章)."),
    "item_outside_article": gettext_lazy("Line %(line)s: an item outside any article or heading."),
    "article_empty": gettext_lazy("Line %(line)s: %(number)s has no text."),
}


def import_warning_message(line: int, code: str, params: dict) -> str:
    """A warning of the importer in the reader's language."""
    return str(_WARNINGS[code]) % {"line": line, **params}


def _clean_source(source: str, fmt: str) -> str:
    if fmt not in TextFormat.values:
        raise InvalidInput("format_invalid", _("Choose plain text or Markdown."), field="source_format")
    text = clean_text(
        source, field="source", limit=SOURCE_MAX, required=True, message=_("Paste the text of the draft.")
    )
    return text


@transaction.atomic
def consultation_import_text(*, actor, consultation, source: str, source_format: str = TextFormat.PLAIN) -> TextVersion:
    """Read the draft's text into units (replacing what an earlier import gave); draft consultations only."""
    consultation = locked(consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can change this consultation."))
    if consultation.state != S.DRAFT:
        raise Conflict("not_draft", _("The text of a published consultation cannot be changed."))
    source = _clean_source(source, source_format)
    parsed = textimport.parse(source, source_format)
    if not parsed.units:
        raise InvalidInput("text_empty", _("The text has no lines to import."), field="source")
    version, _created = TextVersion.objects.get_or_create(
        consultation=consultation, kind=VersionKind.DRAFT, defaults={"created_by": actor}
    )
    version.units.all().delete()
    version.source, version.source_format, version.created_by = source, source_format, actor
    version.save(update_fields=["source", "source_format", "created_by"])
    saved: dict[int, TextUnit] = {}
    for position, unit in enumerate(parsed.units, start=1):
        if len(unit.text) > UNIT_TEXT_MAX:
            raise InvalidInput("unit_too_long", _("Line %(line)s is too long.") % {"line": unit.line}, field="source")
        saved[id(unit)] = TextUnit.objects.create(
            version=version,
            parent=saved[id(unit.parent)] if unit.parent is not None else None,
            position=position,
            kind=unit.kind,
            level=unit.level,
            number=unit.number[:30],
            ordinal=unit.ordinal,
            anchor=unit.anchor,
            text=unit.text,
        )
    audit_record(
        actor=actor,
        action="consultation.text_imported",
        obj=consultation,
        area=consultation.area,
        after={"units": len(parsed.units), "warnings": len(parsed.warnings)},
    )
    return version


@transaction.atomic
def consultation_unit_correct(*, actor, unit, kind: str, number: str, text: str) -> TextUnit:
    """Correct one unit of the draft after the import (what it is, its number, its text)."""
    unit = (
        TextUnit.objects.select_related("version__consultation__area").select_for_update(of=("self",)).get(pk=unit.pk)
    )
    consultation = locked(unit.version.consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can change this consultation."))
    if consultation.state != S.DRAFT or unit.version.kind != VersionKind.DRAFT:
        raise Conflict("not_draft", _("The text of a published consultation cannot be changed."))
    if kind not in UnitKind.values:
        raise InvalidInput("unit_kind_invalid", _("Choose what this part of the text is."), field="kind")
    unit.kind = kind
    unit.number = clean_text(number, field="number", limit=30, single_line=True)
    unit.text = clean_text(text, field="text", limit=UNIT_TEXT_MAX)
    if not unit.text and kind not in ("article", "chapter", "section"):
        raise InvalidInput("required", _("This part of the text needs some text."), field="text")
    unit.save(update_fields=["kind", "number", "text"])
    audit_record(
        actor=actor,
        action="consultation.unit_corrected",
        obj=consultation,
        area=consultation.area,
        after={"anchor": unit.anchor},
    )
    return unit


# --- publication, extension, closing ------------------------------------------------------------------------


@transaction.atomic
def consultation_publish(*, actor, consultation, now=None) -> Consultation:
    """Open the consultation: the draft text becomes public, subscribers of the area are told."""
    now = now or timezone.now()
    consultation = locked(consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can publish this consultation."))
    MACHINE.check(consultation.state, S.OPEN)
    version = TextVersion.objects.filter(consultation=consultation, kind=VersionKind.DRAFT).first()
    if version is None or not version.units.exists():
        raise Conflict("text_missing", _("Import the text of the draft before publishing."))
    if consultation.opens_at is None or consultation.opens_at < now:
        consultation.opens_at = now
    _window(consultation.opens_at, consultation.closes_at, now=now)
    consultation.published_at = now
    # the window is written before the state: a published consultation always has one (a constraint)
    consultation.save(update_fields=["opens_at", "published_at"])
    version.published_at = now
    version.save(update_fields=["published_at"])
    move(
        consultation,
        S.OPEN,
        actor=actor,
        verb="consultation.opened",
        params={"closes": timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")},
    )
    for drafter in [actor, *consultation.drafters.all()]:  # the drafters hear when the window closes
        follow(drafter, consultation)
    closes = timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")
    for person in subscribers(consultation):
        if person.pk == actor.pk:
            continue
        notify(
            recipient=person,
            kind="consultation.opened",
            title=gettext_lazy("Your opinion is asked: “%(title)s” (until %(closes)s)"),
            params={"title": consultation.title, "closes": closes},
            url=consultation.get_absolute_url(),
        )
    return consultation


@transaction.atomic
def consultation_extend(*, actor, consultation, closes_at: datetime, reason: str, now=None) -> Extension:
    """Make the window longer, with a public reason (never shorter; only while it is open)."""
    now = now or timezone.now()
    consultation = locked(consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can extend this consultation."))
    if consultation.state != S.OPEN:
        raise Conflict("not_open", _("Only an open consultation can be extended."))
    reason = clean_text(
        reason, field="reason", limit=REASON_MAX, required=True, message=_("Say why the window is extended.")
    )
    if closes_at is None or closes_at <= consultation.closes_at:
        raise InvalidInput(
            "extension_not_later", _("The new closing time must be later than the current one."), field="closes_at"
        )
    extension = Extension.objects.create(
        consultation=consultation,
        previous_closes_at=consultation.closes_at,
        closes_at=closes_at,
        reason=reason,
        extended_by=actor,
        extended_at=now,
    )
    consultation.closes_at = closes_at
    consultation.save(update_fields=["closes_at"])
    closes = timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M")
    audit_record(
        actor=actor,
        action="consultation.extended",
        obj=consultation,
        area=consultation.area,
        after={"closes_at": closes, "reason": reason},
    )
    record(consultation, "consultation.extended", actor=actor, params={"closes": closes, "reason": reason})
    tell_followers(
        consultation,
        kind="consultation.update",
        title=gettext_lazy("“%(title)s” is open for opinions until %(closes)s"),
        body=reason,
        params={"closes": closes},
        exclude=[actor],
    )
    return extension


def consultation_close(*, consultation, now=None) -> bool:
    """Close the window of a consultation whose closing time has passed (the tick; idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = locked(consultation)
        if consultation.state != S.OPEN or consultation.closes_at is None or consultation.closes_at > now:
            return False
        consultation.closed_at = now
        consultation.answer_due = add_working_days(
            timezone.localdate(consultation.closes_at), consultation.answer_working_days
        )
        move(
            consultation,
            S.CLOSED,
            actor=None,
            verb="consultation.closed",
            params={"count": consultation.opinion_count, "due": consultation.answer_due.isoformat()},
            fields=["closed_at", "answer_due"],
        )
        tell_followers(
            consultation,
            kind="consultation.update",
            title=gettext_lazy("“%(title)s” closed with %(count)s opinions; answers are due by %(due)s"),
            params={"count": consultation.opinion_count, "due": consultation.answer_due.isoformat()},
        )
    return True


def close_due_consultations(now=None) -> int:
    """The tick's job: close every consultation whose window has passed (safe on two machines at once)."""
    now = now or timezone.now()
    due = Consultation.objects.filter(state=S.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    return sum(consultation_close(consultation=Consultation(pk=pk), now=now) for pk in list(due))


# --- following and subscribing -------------------------------------------------------------------------------


@transaction.atomic
def consultation_follow(*, user, consultation) -> bool:
    require_perm(user, "consultations.follow", consultation, _("Sign in to follow a consultation."), personal=True)
    return follow(user, consultation)


@transaction.atomic
def consultation_unfollow(*, user, consultation) -> bool:
    deleted, _rows = Follow.objects.filter(consultation=consultation, user=user).delete()
    if deleted:
        Consultation.objects.filter(pk=consultation.pk).update(follower_count=F("follower_count") - 1)
    return bool(deleted)


@transaction.atomic
def area_subscribe(*, user, area) -> AreaSubscription:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise NotAllowed("not_allowed", _("Sign in to be told of consultations."))
    subscription, _created = AreaSubscription.objects.get_or_create(
        user=user, area=area, defaults={"area_path": area.path}
    )
    return subscription


@transaction.atomic
def area_unsubscribe(*, user, area) -> bool:
    deleted, _rows = AreaSubscription.objects.filter(user=user, area=area).delete()
    return bool(deleted)
