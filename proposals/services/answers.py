"""Official answers, timed in working days."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.services import audit_record, require_perm, timeline_record
from civic.text import clean_text
from civic.workdays import working_days_between

from .. import lifecycle
from ..models import (
    AnswerStatus,
    OfficialAnswer,
)
from ._common import (
    ANSWER_MAX,
    REASON_MAX,
    S,
    _locked,
    _move,
    _tell_followers,
)


@transaction.atomic
def proposal_answer(*, official, proposal, status: str, reason: str) -> OfficialAnswer:
    proposal = _locked(proposal)
    require_perm(official, "proposals.answer", proposal, _("Only an official of this area can answer."))
    if status not in AnswerStatus.values:
        raise InvalidInput("answer_status_invalid", _("Choose what the answer is."), field="status")
    reason = clean_text(reason, field="reason", limit=REASON_MAX if status == AnswerStatus.DECLINED else ANSWER_MAX)
    if len(reason) < 5:
        raise InvalidInput("reason_missing", _("Explain the answer in a few words at least."), field="reason")
    if proposal.state not in lifecycle.OPEN_FOR_ANSWER:
        raise Conflict("not_answerable", _("This proposal is not waiting for an answer."))
    now = timezone.now()
    taken = working_days_between(timezone.localdate(proposal.published_at), timezone.localdate(now))
    first = proposal.first_answered_at is None
    answer = OfficialAnswer.objects.create(
        proposal=proposal,
        official=official,
        status=status,
        reason=reason,
        working_days_taken=taken,
        on_time=timezone.localdate(now) <= proposal.response_due,
    )
    if first:
        proposal.first_answered_at = now
        proposal.save(update_fields=["first_answered_at"])
    audit_record(
        actor=official,
        action="proposal.answered",
        obj=proposal,
        area=proposal.area,
        after={"status": status, "on_time": answer.on_time},
    )
    timeline_record(
        subject=proposal,
        verb="proposal.answered",
        params={"title": proposal.title, "status": status, "official": official.public_name},
        url=proposal.get_absolute_url(),
        actor=official,
        area=proposal.area,
    )
    _tell_followers(
        proposal,
        kind="proposal.answered",
        title=gettext_lazy("An official answered “%(title)s”: %(status)s"),
        params={"status": AnswerStatus(status).label},
        body=reason,
        exclude=[official],
    )
    if status == AnswerStatus.DECLINED:
        proposal.closed_at = now
        proposal.decline_reason = reason
        _move(
            proposal,
            S.DECLINED,
            actor=official,
            verb="proposal.declined",
            params={"official": official.public_name},
            extra_fields=["closed_at", "decline_reason"],
        )
    return answer
