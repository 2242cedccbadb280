"""What the proposal services share: the row lock, the search index, the move between states, followers."""

from django.contrib.auth import get_user_model
from django.db.models import F

from civic.errors import NotAllowed
from civic.services import notify, timeline_record

from .. import lifecycle
from ..models import (
    Follow,
    Proposal,
    ProposalState,
)
from ..predicates import authors_may
from ..search import tokens
from ..text import plain_text, render_markdown

User = get_user_model()
S = ProposalState


# The longest texts proposals store (the columns' lengths); a longer text is refused, never cut.
TITLE_MAX = 80
BODY_MAX = 10000
LOCATION_MAX = 120
ON_BEHALF_OF_MAX = 60
REASON_MAX = 1000  # a withdrawal's or a decline's reason (also a declining answer, which becomes it)
ANSWER_MAX = 3000
COMMENT_MAX = 3000
PLEDGE_DESCRIPTION_MAX = 200
CATEGORY_NAME_MAX = 40
CATEGORY_DESCRIPTION_MAX = 200


def _locked(proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("area", "author").get(pk=proposal.pk)


def _index(proposal: Proposal) -> None:
    proposal.body_html = render_markdown(proposal.body)
    proposal.search_tokens = " ".join(tokens(f"{proposal.title} {plain_text(proposal.body)} {proposal.location}"))


def _tell_followers(proposal, *, kind, title, body="", params=None, exclude=()):
    """`title` is a lazy translation: `notify` renders it with `params` in each follower's language."""
    followers = User.objects.filter(pk__in=Follow.objects.filter(proposal=proposal).values("user"), is_active=True)
    followers = followers.exclude(pk__in=[u.pk for u in exclude if u])
    params = {"title": proposal.title, **(params or {})}
    for person in followers:
        notify(recipient=person, kind=kind, title=title, body=body, params=params, url=proposal.get_absolute_url())


def _move(proposal: Proposal, target: str, *, actor, verb: str, params=None, extra_fields=()) -> None:
    """Apply one transition of the state machine (guard, write, audit), then add the timeline entry."""
    lifecycle.MACHINE.move(
        proposal,
        target,
        actor=actor,
        area=proposal.area,
        acting_for=proposal.organisation,
        fields=extra_fields,
    )
    timeline_record(
        subject=proposal,
        verb=verb,
        params={"title": proposal.title, **(params or {})},
        url=proposal.get_absolute_url(),
        actor=actor,
        organisation=proposal.organisation,
        area=proposal.area,
    )


def _follow(user, proposal) -> None:
    _obj, created = Follow.objects.get_or_create(proposal=proposal, user=user)
    if created:
        Proposal.objects.filter(pk=proposal.pk).update(follower_count=F("follower_count") + 1)


def _require_author(actor, perm: str, obj, message) -> None:
    """Like civic.services.require_perm, for the author-only permissions (see predicates.authors_may)."""
    if not authors_may(actor, perm, obj):
        raise NotAllowed("not_allowed", message)
