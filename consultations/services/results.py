"""The result of a consultation: the final text, revised unit by unit and linked to the opinions that
changed it, and its publication with the feedback report (意见采纳情况说明) as an outcome notice."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.services import notice_publish, notify, require_perm
from civic.text import clean_text

from ..models import (
    Classification,
    Consultation,
    ConsultationState,
    Opinion,
    TextUnit,
    TextVersion,
    UnitKind,
    VersionKind,
)
from ._common import UNIT_TEXT_MAX, locked, move, subscribers, tell_followers

S = ConsultationState

__all__ = [
    "FINAL_EDIT_STATES",
    "RESULT_NOTICE_KIND",
    "consultation_conclude",
    "final_prepare",
    "final_unit_add",
    "final_unit_remove",
    "final_unit_revise",
]

RESULT_NOTICE_KIND = "consult"  # a notice kind is at most 10 characters
# The final text is written while the opinions are answered and after; it is fixed once published.
FINAL_EDIT_STATES = {S.CLOSED, S.ANSWERED}
ADOPTING = {Classification.ADOPTED, Classification.PARTLY_ADOPTED}
NUMBER_MAX = 30
SUMMARY_MAX = 10000


def _may_manage(actor, consultation) -> None:
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can write the final text."))


def _editable(consultation) -> None:
    if consultation.state not in FINAL_EDIT_STATES:
        raise Conflict(
            "final_not_editable",
            _("The final text is written after the window closes and is fixed once the result is published."),
        )


def _final(consultation) -> TextVersion:
    version = TextVersion.objects.filter(consultation=consultation, kind=VersionKind.FINAL).first()
    if version is None:
        raise Conflict("final_missing", _("Start the final text from the draft first."))
    return version


def _copy_draft(consultation, actor) -> TextVersion:
    draft = TextVersion.objects.get(consultation=consultation, kind=VersionKind.DRAFT)
    final = TextVersion.objects.create(
        consultation=consultation,
        kind=VersionKind.FINAL,
        source=draft.source,
        source_format=draft.source_format,
        created_by=actor,
    )
    copies: dict[int, TextUnit] = {}
    for unit in TextUnit.objects.filter(version=draft).order_by("position"):
        copy = TextUnit.objects.create(
            version=final,
            parent=copies.get(unit.parent_id) if unit.parent_id else None,
            position=unit.position,
            kind=unit.kind,
            level=unit.level,
            number=unit.number,
            ordinal=unit.ordinal,
            anchor=unit.anchor,
            text=unit.text,
            replaces=unit,
        )
        copies[unit.pk] = copy
    return final


@transaction.atomic
def final_prepare(*, actor, consultation) -> TextVersion:
    """Start the final text as a copy of the draft (each unit replacing its draft unit, with its anchor);
    the existing final text when it was started already."""
    consultation = locked(consultation)
    _may_manage(actor, consultation)
    _editable(consultation)
    existing = TextVersion.objects.filter(consultation=consultation, kind=VersionKind.FINAL).first()
    return existing or _copy_draft(consultation, actor)


def _causes(consultation, opinions) -> list[Opinion]:
    """The opinions a change is linked to: of this consultation, answered as (partly) adopted."""
    ids = {o.pk if isinstance(o, Opinion) else int(o) for o in opinions or ()}
    if not ids:
        return []
    found = list(Opinion.objects.filter(pk__in=ids, consultation=consultation))
    if len(found) != len(ids):
        raise InvalidInput("opinion_unknown", _("One of the opinions is not of this consultation."), field="opinions")
    if any(o.classification not in ADOPTING for o in found):
        raise InvalidInput(
            "opinion_not_adopted",
            _("A change can only be linked to opinions answered as adopted or partly adopted."),
            field="opinions",
        )
    return found


def _final_unit(unit) -> TextUnit:
    unit = TextUnit.objects.select_related("version__consultation").get(pk=unit.pk)
    if unit.version.kind != VersionKind.FINAL:
        raise InvalidInput("unit_not_final", _("Only units of the final text can be revised."), field="unit")
    return unit


@transaction.atomic
def final_unit_revise(*, actor, unit, text: str, opinions=()) -> TextUnit:
    """Give a unit of the final text its new wording, linked to the opinions that caused the change."""
    unit = _final_unit(unit)
    consultation = locked(unit.version.consultation)
    _may_manage(actor, consultation)
    _editable(consultation)
    unit.text = clean_text(text, field="text", limit=UNIT_TEXT_MAX, required=unit.kind != UnitKind.HEADING)
    unit.save(update_fields=["text"])
    unit.changed_by.set(_causes(consultation, opinions))
    return unit


def _open_position(version, after: TextUnit | None) -> int:
    """The position right after `after` (at the start without one), made free by moving the later units
    one place on (in two steps, so that the unique position never holds two units at once)."""
    position = (after.position + 1) if after else 1
    later = TextUnit.objects.filter(version=version, position__gte=position)
    shift = 1_000_000
    later.update(position=F("position") + shift)
    TextUnit.objects.filter(version=version, position__gte=position + shift).update(position=F("position") - shift + 1)
    return position


def _anchor(version, kind: str) -> str:
    taken = set(TextUnit.objects.filter(version=version).values_list("anchor", flat=True))
    n = 1
    while f"new-{kind}-{n}" in taken:
        n += 1
    return f"new-{kind}-{n}"


@transaction.atomic
def final_unit_add(*, actor, consultation, after=None, kind: str, number: str = "", text: str, opinions=()) -> TextUnit:
    """A unit the final text adds after `after` (at the start without one), at `after`'s level."""
    consultation = locked(consultation)
    _may_manage(actor, consultation)
    _editable(consultation)
    version = _final(consultation)
    if kind not in UnitKind.values:
        raise InvalidInput("kind_invalid", _("Choose what kind of unit this is."), field="kind")
    if after is not None:
        after = TextUnit.objects.filter(pk=after.pk, version=version).first()
        if after is None:
            raise InvalidInput("unit_unknown", _("This unit is not part of the final text."), field="after")
    number = clean_text(number, field="number", limit=NUMBER_MAX, single_line=True)
    text = clean_text(text, field="text", limit=UNIT_TEXT_MAX, required=True, message=_("Write the unit's text."))
    causes = _causes(consultation, opinions)
    unit = TextUnit.objects.create(
        version=version,
        parent=after.parent if after else None,
        position=_open_position(version, after),
        kind=kind,
        level=after.level if after else 1,
        number=number,
        anchor=_anchor(version, kind),
        text=text,
    )
    unit.changed_by.set(causes)
    return unit


@transaction.atomic
def final_unit_remove(*, actor, unit, opinions=()) -> None:
    """Take a unit (and the units inside it) out of the final text; the draft keeps it, shown as removed."""
    unit = _final_unit(unit)
    consultation = locked(unit.version.consultation)
    _may_manage(actor, consultation)
    _editable(consultation)
    causes = _causes(consultation, opinions)
    if unit.replaces_id and causes:
        # the reason for the removal is kept on the draft's side: the comparison shows it with the removed unit
        TextUnit.objects.get(pk=unit.replaces_id).changed_by.add(*causes)
    unit.delete()


def _report_body(consultation) -> str:
    from ..selectors import feedback_report

    report = feedback_report(consultation)
    lines = [
        _(
            "%(opinions)s opinions were received from %(participants)s participants; %(answered)s were answered, "
            "%(adopted)s adopted and %(partly)s partly adopted (adoption rate %(rate)s)."
        )
        % {
            "opinions": report.opinions,
            "participants": report.participants,
            "answered": report.answered,
            "adopted": report.by_classification.get(Classification.ADOPTED, 0),
            "partly": report.by_classification.get(Classification.PARTLY_ADOPTED, 0),
            "rate": report.adoption_rate_text,
        }
    ]
    if report.changed_units:
        lines.append(
            _("The final text changes %(count)s units of the draft; each change names the opinions behind it.")
            % {"count": report.changed_units}
        )
    lines.append(_("The feedback report gives every answer with its reason."))
    return "\n".join(lines)


@transaction.atomic
def consultation_conclude(*, actor, consultation, summary: str = "", now=None) -> Consultation:
    """Publish the result: the final text, the feedback report as an outcome notice on the area's board,
    and, for a legislature's draft, the summary for the legislature. Every opinion must be answered."""
    now = now or timezone.now()
    consultation = locked(consultation)
    _may_manage(actor, consultation)
    require_perm(
        actor,
        "civic.publish_notice",
        consultation.area,
        _("Only an official of the consulting area can publish the result."),
    )
    if consultation.state == S.CLOSED:
        raise Conflict("opinions_unanswered", _("Answer every opinion before publishing the result."))
    summary = clean_text(summary, field="summary", limit=SUMMARY_MAX)
    if consultation.originator and not summary:
        raise InvalidInput(
            "summary_missing",
            _("Write the summary the legislature that sent the draft receives."),
            field="summary",
        )
    final = TextVersion.objects.filter(consultation=consultation, kind=VersionKind.FINAL).first()
    if final is None and consultation.state == S.ANSWERED:
        final = _copy_draft(consultation, actor)
    consultation.concluded_at = now
    consultation.result_summary = summary
    move(
        consultation,
        S.CONCLUDED,
        actor=actor,
        verb="consultation.concluded",
        fields=["concluded_at", "result_summary"],
    )
    assert final is not None  # the state machine let only an answered consultation through
    final.published_at = now
    final.save(update_fields=["published_at"])
    report_url = reverse("consultations:consultation-report", args=[consultation.pk])
    notice_publish(
        actor=actor,
        area=consultation.area,
        kind=RESULT_NOTICE_KIND,
        title=_("Feedback on the opinions: %(title)s") % {"title": consultation.title},
        body=_report_body(consultation),
        source_key=f"{RESULT_NOTICE_KIND}:{consultation.pk}",
        source_url=report_url,
        decided_at=now,
    )
    tell_followers(
        consultation,
        kind="consultation.update",
        title=gettext_lazy("The result of “%(title)s” is out: the final text and the feedback report"),
        exclude=[actor],
        url=report_url,
    )
    followers = set(consultation.follows.values_list("user_id", flat=True))
    for person in subscribers(consultation):
        if person.pk == actor.pk or person.pk in followers:
            continue
        notify(
            recipient=person,
            kind="consultation.result",
            title=gettext_lazy("The result of “%(title)s” is out: the final text and the feedback report"),
            params={"title": consultation.title},
            url=report_url,
        )
    return consultation
