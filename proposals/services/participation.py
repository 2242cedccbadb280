"""Taking part beside co-signing: co-sponsors with pledges, comments, following."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.money import parse_amount
from civic.selectors import is_eligible
from civic.services import assisted_channel, audit_record, organisation_acting_for, timeline_record
from civic.text import clean_text

from .. import lifecycle
from ..models import (
    Comment,
    CoSponsor,
    Follow,
    PledgeKind,
    Proposal,
    Stance,
)
from ..selectors import accepts_cosponsors, comment_edit_open
from ._common import (
    COMMENT_MAX,
    PLEDGE_DESCRIPTION_MAX,
    S,
    _follow,
    _locked,
    _require_author,
    _tell_followers,
)


@transaction.atomic
def cosponsor_join(
    *,
    user,
    proposal,
    organisation=None,
    pledge_kind: str = PledgeKind.NONE,
    pledge_amount=None,
    pledge_description: str = "",
) -> CoSponsor:
    proposal = _locked(proposal)
    if not accepts_cosponsors(proposal.state):
        raise Conflict("not_open", _("Co-sponsors can join only until the proposal is decided."))
    organisation = organisation_acting_for(user=user, organisation=organisation)
    if organisation is None and not is_eligible(user, proposal.area):
        raise NotAllowed(
            "not_eligible", _("Residents of %(area)s, or organisations, can co-sponsor.") % {"area": proposal.area.name}
        )
    if pledge_kind not in PledgeKind.values:
        raise InvalidInput("pledge_invalid", _("Unknown kind of pledge."), field="pledge_kind")
    amount = parse_amount(pledge_amount, field="pledge_amount")
    description = clean_text(pledge_description, field="pledge_description", limit=PLEDGE_DESCRIPTION_MAX)
    if pledge_kind == PledgeKind.MONEY and not amount:
        raise InvalidInput("pledge_amount_missing", _("Enter the amount you pledge."), field="pledge_amount")
    if pledge_kind == PledgeKind.IN_KIND and not description:
        raise InvalidInput("pledge_description_missing", _("Describe what you pledge."), field="pledge_description")
    if pledge_kind == PledgeKind.NONE:
        amount, description = None, ""
    try:
        with transaction.atomic():
            sponsor = CoSponsor.objects.create(
                proposal=proposal,
                user=user,
                organisation=organisation,
                pledge_kind=pledge_kind,
                pledge_amount=amount,
                pledge_description=description,
            )
    except IntegrityError as error:
        raise Conflict("already_cosponsor", _("Already a co-sponsor of this proposal.")) from error
    audit_record(
        actor=user,
        action="proposal.cosponsored",
        obj=proposal,
        area=proposal.area,
        acting_for=organisation,
        after={"pledge": pledge_kind, "amount": str(amount) if amount else None},
    )
    if proposal.state != S.DRAFT:
        timeline_record(
            subject=proposal,
            verb="proposal.cosponsored",
            params={"title": proposal.title, "who": organisation.name if organisation else user.public_name},
            url=proposal.get_absolute_url(),
            actor=user,
            organisation=organisation,
            area=proposal.area,
        )
    _follow(user, proposal)
    return sponsor


@transaction.atomic
def comment_add(
    *, author, proposal, body: str, stance: str = Stance.NEUTRAL, parent=None, organisation=None, assisted_by=None
) -> Comment:
    """A comment; `assisted_by` is the staff member writing it down for `author` in person (代办)."""
    if not author.is_active:
        raise NotAllowed("not_allowed", _("You are not allowed to do this."))
    channel = assisted_channel(resident=author, assisted_by=assisted_by)
    if assisted_by is not None:
        organisation = None  # in person, a resident speaks for themselves
    proposal = _locked(proposal)  # a proposal closed a moment ago takes no more comments
    if proposal.state not in lifecycle.OPEN_FOR_COMMENTS or proposal.is_hidden:
        raise Conflict("comments_closed", _("Comments are closed on this proposal."))
    body = clean_text(body, field="body", limit=COMMENT_MAX)
    if len(body) < 2:
        raise InvalidInput("comment_empty", _("Write a comment first."), field="body")
    if stance not in Stance.values:
        raise InvalidInput("stance_invalid", _("Choose for, against or neutral."), field="stance")
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise InvalidInput("parent_invalid", _("You can only reply to a comment on this proposal."))
        if parent.parent_id is not None:
            parent = parent.parent  # two levels: a reply to a reply joins the same thread
    organisation = organisation_acting_for(user=author, organisation=organisation)
    comment = Comment.objects.create(
        proposal=proposal,
        parent=parent,
        author=author,
        organisation=organisation,
        stance=stance,
        body=body,
        channel=channel,
        assisted_by=assisted_by,
    )
    if assisted_by is not None:
        audit_record(
            actor=author, action="proposal.commented", obj=proposal, area=proposal.area, assisted_by=assisted_by
        )
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    _tell_followers(
        proposal,
        kind="proposal.comment",
        title=gettext_lazy("New comment on “%(title)s”"),
        body=body[:200],
        exclude=[author],
    )
    return comment


@transaction.atomic
def comment_edit(*, actor, comment, body: str, stance: str | None = None) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _require_author(actor, "proposals.edit_comment", comment, _("Only the author can edit a comment."))
    if not comment_edit_open(comment):
        raise Conflict(
            "edit_window_over",
            _("Comments can be edited for %(n)s minutes only.") % {"n": settings.PROPOSAL_COMMENT_EDIT_MINUTES},
        )
    body = clean_text(body, field="body", limit=COMMENT_MAX)
    if len(body) < 2:
        raise InvalidInput("comment_empty", _("Write a comment first."), field="body")
    if stance is not None and stance not in Stance.values:
        raise InvalidInput("stance_invalid", _("Choose for, against or neutral."), field="stance")
    comment.body = body
    comment.stance = stance or comment.stance
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "stance", "edited_at"])
    return comment


@transaction.atomic
def proposal_follow(*, user, proposal, follow: bool = True) -> None:
    if follow:
        _follow(user, proposal)
    elif Follow.objects.filter(proposal=proposal, user=user).delete()[0]:
        Proposal.objects.filter(pk=proposal.pk).update(follower_count=F("follower_count") - 1)
