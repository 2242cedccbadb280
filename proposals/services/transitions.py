"""A proposal's life: publish, co-sign (and qualify), withdraw, decline, expire, and the moves the later stages make."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AreaRoleKind
from civic.selectors import is_eligible
from civic.services import assisted_channel, audit_record, notify, require_perm
from civic.text import clean_text
from civic.workdays import add_working_days

from ..models import (
    Endorsement,
    Follow,
    Proposal,
)
from ..selectors import policy_for
from ._common import (
    REASON_MAX,
    S,
    User,
    _follow,
    _locked,
    _move,
    _require_author,
    _tell_followers,
)


@transaction.atomic
def proposal_publish(*, actor, proposal) -> Proposal:
    proposal = _locked(proposal)
    _require_author(actor, "proposals.publish_proposal", proposal, _("Only the author can publish a proposal."))
    policy = policy_for(proposal.area)
    now = timezone.now()
    proposal.published_at = now
    proposal.threshold = policy.endorsement_threshold
    proposal.author_counts = policy.author_counts
    proposal.collection_deadline = now + timedelta(days=policy.collection_days)
    proposal.response_due = add_working_days(timezone.localdate(now), policy.response_working_days)
    _move(
        proposal,
        S.PUBLISHED,
        actor=actor,
        verb="proposal.published",
        extra_fields=["published_at", "threshold", "author_counts", "collection_deadline", "response_due"],
    )
    _follow(actor, proposal)
    return proposal


def _organisers_of(area):
    return User.objects.filter(
        is_active=True,
        area_roles__role=AreaRoleKind.ORGANISER,
        area_roles__area__code__in=area.path.strip("/").split("/"),
    ).distinct()


def _qualify(proposal: Proposal) -> None:
    proposal.qualified_at = timezone.now()
    _move(
        proposal,
        S.QUALIFIED,
        actor=None,
        verb="proposal.qualified",
        params={"count": proposal.endorsement_count},
        extra_fields=["qualified_at"],
    )
    title = gettext_lazy("“%(title)s” has enough co-signatures for the agenda")
    people = {p.pk: p for p in [proposal.author, *_organisers_of(proposal.area)]}
    followers = User.objects.filter(pk__in=Follow.objects.filter(proposal=proposal).values("user"), is_active=True)
    people.update({p.pk: p for p in followers})
    for person in people.values():
        notify(
            recipient=person,
            kind="proposal.qualified",
            title=title,
            params={"title": proposal.title},
            url=proposal.get_absolute_url(),
        )


@transaction.atomic
def proposal_endorse(*, user, proposal, assisted_by=None) -> Proposal:
    """Co-sign (联署). The proposal row is locked, so parallel co-signatures are counted exactly once.
    `assisted_by`: the staff member co-signing with `user` in person (代办), recorded and audited."""
    channel = assisted_channel(resident=user, assisted_by=assisted_by)
    proposal = _locked(proposal)
    if proposal.state != S.PUBLISHED or proposal.is_hidden:
        raise Conflict("not_collecting", _("This proposal is not collecting co-signatures."))
    if proposal.collection_deadline and timezone.now() >= proposal.collection_deadline:
        raise Conflict("collection_closed", _("The time to co-sign this proposal has ended."))
    if not is_eligible(user, proposal.area):
        raise NotAllowed(
            "not_eligible", _("Only residents verified in %(area)s can co-sign.") % {"area": proposal.area.name}
        )
    if user.pk == proposal.author_id and not proposal.author_counts:
        raise Conflict(
            "author_does_not_count",
            _("In this area the proposer does not count toward the co-signatures: neighbours co-sign."),
        )
    try:
        with transaction.atomic():
            Endorsement.objects.create(proposal=proposal, user=user, channel=channel, assisted_by=assisted_by)
    except IntegrityError as error:
        if assisted_by is not None:
            raise Conflict(
                "already_endorsed",
                _("%(name)s has already co-signed this proposal.") % {"name": user.public_name},
            ) from error
        raise Conflict("already_endorsed", _("You have already co-signed this proposal.")) from error
    if assisted_by is not None:
        audit_record(actor=user, action="proposal.endorsed", obj=proposal, area=proposal.area, assisted_by=assisted_by)
    Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=F("endorsement_count") + 1)
    proposal.endorsement_count += 1
    _follow(user, proposal)
    if proposal.threshold and proposal.endorsement_count >= proposal.threshold:
        _qualify(proposal)
    return proposal


@transaction.atomic
def proposal_unendorse(*, user, proposal) -> Proposal:
    proposal = _locked(proposal)
    if proposal.state != S.PUBLISHED:
        raise Conflict("not_collecting", _("Co-signatures can be withdrawn only while they are being collected."))
    deleted, _rows = Endorsement.objects.filter(proposal=proposal, user=user).delete()
    if not deleted:
        raise Conflict("not_endorsed", _("You have not co-signed this proposal."))
    Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=F("endorsement_count") - 1)
    proposal.endorsement_count -= 1
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, proposal, reason: str = "") -> Proposal:
    proposal = _locked(proposal)
    _require_author(actor, "proposals.withdraw_proposal", proposal, _("Only the author can withdraw a proposal."))
    proposal.closed_at = timezone.now()
    proposal.decline_reason = clean_text(reason, field="reason", limit=REASON_MAX)
    _move(proposal, S.WITHDRAWN, actor=actor, verb="proposal.withdrawn", extra_fields=["closed_at", "decline_reason"])
    _tell_followers(
        proposal,
        kind="proposal.state",
        title=gettext_lazy("“%(title)s” was withdrawn by its author"),
        body=proposal.decline_reason,
        exclude=[actor],
    )
    return proposal


@transaction.atomic
def proposal_decline(*, actor, proposal, reason: str) -> Proposal:
    proposal = _locked(proposal)
    require_perm(actor, "proposals.answer", proposal, _("Only an official of this area can decline a proposal."))
    reason = clean_text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    proposal.closed_at = timezone.now()
    proposal.decline_reason = reason
    _move(
        proposal,
        S.DECLINED,
        actor=actor,
        verb="proposal.declined",
        params={"official": actor.public_name},
        extra_fields=["closed_at", "decline_reason"],
    )
    _tell_followers(
        proposal,
        kind="proposal.state",
        title=gettext_lazy("“%(title)s” was declined"),
        body=reason,
        exclude=[actor],
    )
    return proposal


def proposal_expire(*, proposal, now=None) -> bool:
    """Close a proposal whose co-signing window passed below the threshold. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.state != S.PUBLISHED or not proposal.collection_deadline or proposal.collection_deadline > now:
            return False
        proposal.closed_at = now
        _move(
            proposal,
            S.EXPIRED,
            actor=None,
            verb="proposal.expired",
            params={"count": proposal.endorsement_count},
            extra_fields=["closed_at"],
        )
        _tell_followers(
            proposal,
            kind="proposal.state",
            title=gettext_lazy("“%(title)s” did not collect enough co-signatures in time"),
        )
    return True


def expire_due_proposals(now=None) -> int:
    """The tick's job: expire every proposal whose window has passed (safe on two machines at once)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(state=S.PUBLISHED, collection_deadline__lte=now).values_list("pk", flat=True)
    return sum(proposal_expire(proposal=Proposal(pk=pk), now=now) for pk in list(due))


@transaction.atomic
def proposal_schedule(*, proposal, actor=None, where: str = "") -> Proposal:
    """Put a qualified proposal on an agenda (called by the deliberation stage)."""
    proposal = _locked(proposal)
    _move(proposal, S.SCHEDULED, actor=actor, verb="proposal.scheduled", params={"where": where})
    _tell_followers(
        proposal,
        kind="proposal.state",
        title=gettext_lazy("“%(title)s” is on an agenda: %(where)s"),
        params={"where": where},
    )
    return proposal


@transaction.atomic
def proposal_unschedule(*, proposal, actor=None, not_held: str = "", why: str = "") -> Proposal:
    """A scheduled proposal returns to the pool for the next session: `not_held`, the title of a session that
    was not held (shown in the reader's words), or `why` in free text."""
    proposal = _locked(proposal)
    params = {"not_held": not_held} if not_held else {"why": why}
    _move(proposal, S.QUALIFIED, actor=actor, verb="proposal.unscheduled", params=params)
    return proposal


DECIDED_BY = ("session", "vote")


def decision_words(params: dict) -> dict:
    """The timeline's words for how a proposal was decided: stored as `by` (session, vote) and `where` (the
    session's or the vote's title), worded in the reader's language; older lines hold free text `how`."""
    by, where = params.get("by"), params.get("where", "")
    if by == "session":
        return {**params, "how": _("(council session “%(title)s”)") % {"title": where}}
    if by == "vote":
        return {**params, "how": _("(community vote “%(title)s”)") % {"title": where}}
    if "not_held" in params:
        return {**params, "why": _("the session “%(title)s” was not held (no quorum)") % {"title": params["not_held"]}}
    return {"how": "", "why": "", **params}


@transaction.atomic
def proposal_decide(*, proposal, adopted: bool, actor=None, by: str = "", where: str = "", how: str = "") -> Proposal:
    """Record the community's decision, called by a session's vote (`by="session"`) or a ballot (`by="vote"`)
    with `where` the session's or the vote's title; `how` in free text for a decision taken elsewhere."""
    if by and by not in DECIDED_BY:
        raise ValueError(f"unknown way of deciding: {by}")
    proposal = _locked(proposal)
    proposal.closed_at = None if adopted else timezone.now()
    target = S.ADOPTED if adopted else S.NOT_ADOPTED
    params = {"by": by, "where": where} if by else {"how": how}
    _move(proposal, target, actor=actor, verb=f"proposal.{target}", params=params, extra_fields=["closed_at"])
    title = gettext_lazy("“%(title)s” was adopted") if adopted else gettext_lazy("“%(title)s” was not adopted")
    _tell_followers(proposal, kind="proposal.state", title=title, body=decision_words(params)["how"])
    return proposal


@transaction.atomic
def proposal_start_implementation(*, proposal, actor=None, project_url: str = "") -> Proposal:
    """An adopted proposal became a project (called by the funding stage)."""
    proposal = _locked(proposal)
    _move(proposal, S.IN_IMPLEMENTATION, actor=actor, verb="proposal.in_implementation")
    _tell_followers(proposal, kind="proposal.state", title=gettext_lazy("Work on “%(title)s” has started"))
    return proposal


@transaction.atomic
def proposal_complete(*, proposal, actor=None) -> Proposal:
    proposal = _locked(proposal)
    proposal.closed_at = timezone.now()
    _move(proposal, S.DONE, actor=actor, verb="proposal.done", extra_fields=["closed_at"])
    _tell_followers(proposal, kind="proposal.state", title=gettext_lazy("“%(title)s” is done"))
    return proposal
