"""The optional questions of a consultation: set in the draft, answered during the window."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.services import holds_perm, require_perm
from civic.text import clean_text

from ..models import OPINION_LIMIT, ConsultationState, Question, QuestionAnswer, QuestionKind, QuestionOption
from ._common import OPTION_MAX, QUESTION_MAX, locked
from .opinions import window_refusal

S = ConsultationState

__all__ = ["question_add", "question_answer", "question_remove"]

OPTIONS_MAX = 12


@transaction.atomic
def question_add(*, actor, consultation, kind: str, text: str, options=()) -> Question:
    consultation = locked(consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can change this consultation."))
    if consultation.state != S.DRAFT:
        raise Conflict("not_draft", _("Questions are set before the consultation is published."))
    if kind not in QuestionKind.values:
        raise InvalidInput("question_kind_invalid", _("Choose the kind of question."), field="kind")
    text = clean_text(
        text, field="text", limit=QUESTION_MAX, required=True, single_line=True, message=_("Write the question.")
    )
    choices = [clean_text(o, field="options", limit=OPTION_MAX, single_line=True) for o in options]
    choices = [c for c in choices if c]
    if kind == QuestionKind.OPEN:
        choices = []
    elif not 2 <= len(choices) <= OPTIONS_MAX:
        raise InvalidInput(
            "options_invalid",
            _("Give between 2 and %(n)s options, one per line.") % {"n": OPTIONS_MAX},
            field="options",
        )
    elif len(set(choices)) != len(choices):
        raise InvalidInput("options_repeated", _("Each option must be different."), field="options")
    position = consultation.questions.count() + 1
    question = Question.objects.create(consultation=consultation, kind=kind, text=text, position=position)
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, position=i, text=choice) for i, choice in enumerate(choices, start=1)
    )
    return question


@transaction.atomic
def question_remove(*, actor, question) -> None:
    consultation = locked(question.consultation)
    require_perm(actor, "consultations.manage", consultation, _("Only the drafters can change this consultation."))
    if consultation.state != S.DRAFT:
        raise Conflict("not_draft", _("Questions are set before the consultation is published."))
    Question.objects.filter(pk=question.pk, consultation=consultation).delete()


@transaction.atomic
def question_answer(*, user, question, options=(), text: str = "", now=None) -> QuestionAnswer:
    """A participant's answer (once per question) while the window is open."""
    now = now or timezone.now()
    consultation = locked(question.consultation)
    if not holds_perm(user, "consultations.comment", consultation, personal=True):
        raise NotAllowed("not_eligible", _("You cannot take part in this consultation."))
    refusal = window_refusal(consultation, now)
    if refusal:
        raise refusal
    question = Question.objects.filter(pk=question.pk, consultation=consultation).first()
    if question is None:
        raise NotFound("not_found", _("This question does not exist."))
    chosen = list(QuestionOption.objects.filter(question=question, pk__in=[getattr(o, "pk", o) for o in options]))
    if len(chosen) != len({getattr(o, "pk", o) for o in options}):
        raise InvalidInput("option_unknown", _("Choose among the options given."), field="options")
    if question.kind == QuestionKind.OPEN:
        text = clean_text(text, field="text", limit=OPINION_LIMIT, required=True, message=_("Write your answer."))
        chosen = []
    else:
        text = ""
        if not chosen or (question.kind == QuestionKind.SINGLE and len(chosen) > 1):
            message = (
                _("Choose one option.") if question.kind == QuestionKind.SINGLE else _("Choose at least one option.")
            )
            raise InvalidInput("options_invalid", message, field="options")
    if QuestionAnswer.objects.filter(question=question, respondent=user).exists():
        raise Conflict("already_answered", _("You have already answered this question."))
    try:
        with transaction.atomic():
            answer = QuestionAnswer.objects.create(question=question, respondent=user, text=text, created_at=now)
    except IntegrityError:
        raise Conflict("already_answered", _("You have already answered this question.")) from None
    answer.options.set(chosen)
    return answer
