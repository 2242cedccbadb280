"""Answering: every opinion classified with a public reason, alone or in a group; the close guard."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic import pagecache
from civic.errors import Conflict, InvalidInput, NotFound
from civic.services import audit_record, notify, require_perm
from civic.text import clean_text

from ..models import (
    ANSWERING_STATES,
    OFFLINE_ENTRY_STATES,
    REASON_LIMIT,
    Classification,
    Consultation,
    ConsultationState,
    Opinion,
    OpinionGroup,
)
from ..pages import bump_opinions
from ._common import GROUP_TITLE_MAX, locked, move, tell_followers

S = ConsultationState

__all__ = [
    "consultation_finish_answering",
    "group_add",
    "group_answer",
    "group_create",
    "group_remove",
    "opinion_answer",
    "unanswered_count",
]


def _answer_values(classification: str, reason: str) -> tuple[str, str]:
    if classification not in Classification.values:
        raise InvalidInput("classification_invalid", _("Choose how the opinion is answered."), field="classification")
    reason = clean_text(
        reason,
        field="reason",
        limit=REASON_LIMIT,
        required=True,
        message=_("Give the reason; the author and the public read it."),
    )
    return classification, reason


def _may_answer(actor, consultation) -> None:
    require_perm(actor, "consultations.answer", consultation, _("Only the drafters can answer opinions."))
    if consultation.state not in ANSWERING_STATES:
        if consultation.state == S.OPEN:
            raise Conflict("window_still_open", _("Opinions are answered after the window closes."))
        raise Conflict("answering_over", _("The answers of this consultation are final."))


def _tell_author(opinion, classification: str, reason: str) -> None:
    if opinion.author_id is None:
        return
    notify(
        recipient=opinion.author,
        kind="consultation.answered",
        title=gettext_lazy("Your opinion on “%(title)s” was answered: %(answer)s"),
        body=reason,
        params={"title": opinion.consultation.title, "answer": Classification(classification).label},
        url=opinion.get_absolute_url(),
    )


def _locked_opinion(opinion) -> Opinion:
    try:
        return Opinion.objects.select_for_update(of=("self",)).select_related("author").get(pk=opinion.pk)
    except Opinion.DoesNotExist:
        raise NotFound("not_found", _("This opinion does not exist.")) from None


@transaction.atomic
def opinion_answer(*, actor, opinion, classification: str, reason: str, now=None) -> Opinion:
    """Answer one opinion (once; an opinion in a group is answered with its group)."""
    now = now or timezone.now()
    consultation = locked(opinion.consultation)
    _may_answer(actor, consultation)
    opinion = _locked_opinion(opinion)
    if opinion.consultation_id != consultation.pk:
        raise NotFound("not_found", _("This opinion does not exist."))
    if opinion.answered_at is not None:
        raise Conflict("already_answered", _("This opinion has already been answered."))
    if opinion.group_id is not None:
        raise Conflict("answer_with_group", _("This opinion is in a group: answer the group."))
    classification, reason = _answer_values(classification, reason)
    updated = Opinion.objects.filter(pk=opinion.pk, answered_at__isnull=True).update(
        classification=classification, reason=reason, answered_by=actor, answered_at=now
    )
    if not updated:
        raise Conflict("already_answered", _("This opinion has already been answered."))
    bump_opinions(consultation.pk, [opinion.pk])  # an update sends no signal
    opinion.classification, opinion.reason, opinion.answered_by, opinion.answered_at = (
        classification,
        reason,
        actor,
        now,
    )
    opinion.consultation = consultation
    audit_record(
        actor=actor,
        action="consultation.opinion_answered",
        obj=opinion,
        area=consultation.area,
        after={"classification": classification},
    )
    _tell_author(opinion, classification, reason)
    return opinion


def _group_opinions(consultation, opinions) -> list[Opinion]:
    ids = sorted({o.pk for o in opinions})
    if not ids:
        raise InvalidInput("group_empty", _("Choose the opinions to group."), field="opinions")
    found = list(
        Opinion.objects.select_for_update(of=("self",)).filter(pk__in=ids, consultation=consultation).order_by("pk")
    )
    if len(found) != len(ids):
        raise NotFound("not_found", _("An opinion chosen is not one of this consultation's."))
    if any(o.answered_at is not None for o in found):
        raise Conflict("already_answered", _("An answered opinion cannot be grouped."))
    return found


def _may_group(actor, consultation) -> None:
    require_perm(actor, "consultations.answer", consultation, _("Only the drafters can group opinions."))
    if consultation.state not in OFFLINE_ENTRY_STATES:
        raise Conflict("answering_over", _("The answers of this consultation are final."))


@transaction.atomic
def group_create(*, actor, consultation, title: str, opinions) -> OpinionGroup:
    """Group similar unanswered opinions to answer them once (an opinion moves from any earlier group)."""
    consultation = locked(consultation)
    _may_group(actor, consultation)
    title = clean_text(
        title, field="title", limit=GROUP_TITLE_MAX, required=True, single_line=True, message=_("Name the group.")
    )
    found = _group_opinions(consultation, opinions)
    group = OpinionGroup.objects.create(consultation=consultation, title=title, created_by=actor)
    Opinion.objects.filter(pk__in=[o.pk for o in found]).update(group=group)
    bump_opinions(consultation.pk, [o.pk for o in found])
    audit_record(
        actor=actor,
        action="consultation.group_created",
        obj=consultation,
        area=consultation.area,
        after={"group": group.pk, "opinions": len(found)},
    )
    return group


def _locked_group(group) -> OpinionGroup:
    try:
        return OpinionGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
    except OpinionGroup.DoesNotExist:
        raise NotFound("not_found", _("This group does not exist.")) from None


@transaction.atomic
def group_add(*, actor, group, opinions) -> OpinionGroup:
    consultation = locked(group.consultation)
    _may_group(actor, consultation)
    group = _locked_group(group)
    if group.answered_at is not None:
        raise Conflict("already_answered", _("This group has already been answered."))
    found = _group_opinions(consultation, opinions)
    Opinion.objects.filter(pk__in=[o.pk for o in found]).update(group=group)
    bump_opinions(consultation.pk, [o.pk for o in found])
    return group


@transaction.atomic
def group_remove(*, actor, opinion) -> Opinion:
    consultation = locked(opinion.consultation)
    _may_group(actor, consultation)
    opinion = _locked_opinion(opinion)
    if opinion.answered_at is not None:
        raise Conflict("already_answered", _("This opinion has already been answered."))
    Opinion.objects.filter(pk=opinion.pk).update(group=None)
    bump_opinions(consultation.pk, [opinion.pk])
    opinion.group = None
    return opinion


@transaction.atomic
def group_answer(*, actor, group, classification: str, reason: str, now=None) -> OpinionGroup:
    """Answer every opinion of a group at once (once)."""
    now = now or timezone.now()
    consultation = locked(group.consultation)
    _may_answer(actor, consultation)
    group = _locked_group(group)
    if group.consultation_id != consultation.pk:
        raise NotFound("not_found", _("This group does not exist."))
    if group.answered_at is not None:
        raise Conflict("already_answered", _("This group has already been answered."))
    classification, reason = _answer_values(classification, reason)
    members = list(
        Opinion.objects.select_for_update(of=("self",)).select_related("author").filter(group=group).order_by("pk")
    )
    if not members:
        raise Conflict("group_empty", _("This group has no opinions left to answer."))
    if any(o.answered_at is not None for o in members):
        raise Conflict("already_answered", _("An opinion of this group has already been answered."))
    OpinionGroup.objects.filter(pk=group.pk).update(
        classification=classification, reason=reason, answered_by=actor, answered_at=now
    )
    Opinion.objects.filter(group=group, answered_at__isnull=True).update(
        classification=classification, reason=reason, answered_by=actor, answered_at=now
    )
    bump_opinions(consultation.pk, [o.pk for o in members])  # the group's row too: both are updates
    pagecache.bump(f"consultation:{consultation.pk}")
    group.classification, group.reason, group.answered_by, group.answered_at = classification, reason, actor, now
    audit_record(
        actor=actor,
        action="consultation.group_answered",
        obj=consultation,
        area=consultation.area,
        after={"group": group.pk, "classification": classification, "opinions": len(members)},
    )
    for opinion in members:
        opinion.consultation = consultation
        _tell_author(opinion, classification, reason)
    return group


def unanswered_count(consultation) -> int:
    return Opinion.objects.filter(consultation=consultation, answered_at__isnull=True).count()


@transaction.atomic
def consultation_finish_answering(*, actor, consultation, now=None) -> Consultation:
    """Close the answering: refused while an opinion is unanswered."""
    now = now or timezone.now()
    consultation = locked(consultation)
    require_perm(actor, "consultations.answer", consultation, _("Only the drafters can answer opinions."))
    if consultation.state == S.CLOSED:
        # The row lock on the consultation keeps new opinions (they lock it too) out while this is counted.
        left = unanswered_count(consultation)
        if left:
            raise Conflict(
                "opinions_unanswered",
                _("%(count)s opinions still wait for an answer; answer every opinion first.") % {"count": left},
            )
    consultation.answered_at = now
    move(
        consultation,
        S.ANSWERED,
        actor=actor,
        verb="consultation.answered",
        params={"count": consultation.opinion_count},
        fields=["answered_at"],
    )
    tell_followers(
        consultation,
        kind="consultation.update",
        title=gettext_lazy("Every opinion on “%(title)s” has been answered"),
        exclude=[actor],
    )
    return consultation
