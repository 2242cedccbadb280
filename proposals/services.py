"""Every write of proposals: one transaction each, a row lock where two requests could race, an
audit row per state change, the timeline and notifications through the civic core."""

import difflib
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.models import AreaRoleKind, Organisation
from civic.selectors import is_eligible
from civic.services import audit_record, notify, organisation_acting_for, require_perm, timeline_record
from civic.uploads import accept_upload
from civic.workdays import add_working_days, working_days_between

from . import lifecycle
from .models import (
    AnswerStatus,
    Attachment,
    Category,
    Channel,
    Comment,
    CoSponsor,
    Endorsement,
    Follow,
    OfficialAnswer,
    PledgeKind,
    Proposal,
    ProposalRevision,
    ProposalState,
    Stance,
)
from .search import tokens
from .selectors import accepts_cosponsors, comment_edit_open, policy_for
from .text import plain_text, render_markdown

User = get_user_model()
S = ProposalState


def _locked(proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("area", "author").get(pk=proposal.pk)


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise InvalidInput(
            "amount_invalid", _("Enter an amount in yuan, e.g. 12000 or 12000.50."), field=field
        ) from error
    if not amount.is_finite():  # "NaN" and "Infinity" parse, but are no amount
        raise InvalidInput("amount_invalid", _("Enter an amount in yuan, e.g. 12000 or 12000.50."), field=field)
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise InvalidInput(
            "amount_invalid", _("Amounts are in yuan, not negative, with at most two decimals."), field=field
        )
    return amount


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
    """Apply one transition of the state machine: guard, write, audit, timeline."""
    if not lifecycle.can_move(proposal.state, target):
        raise Conflict(
            "transition_not_allowed",
            _("A proposal that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(proposal.state).label, "target": S(target).label},
        )
    before = proposal.state
    proposal.state = target
    proposal.save(update_fields=["state", *extra_fields])
    audit_record(
        actor=actor,
        action=f"proposal.{target}",
        obj=proposal,
        area=proposal.area,
        acting_for=proposal.organisation,
        before={"state": before},
        after={"state": target},
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


# --- writing --------------------------------------------------------------------------------------


def _may_propose_in(author, area, organisation, channel) -> None:
    if channel != Channel.ONLINE:
        require_perm(
            author,
            "proposals.enter_on_behalf",
            area,
            _("Only organisers and officials of this area can enter a proposal for a resident."),
        )
        return
    if organisation is not None:
        served = organisation.areas.all()
        if not any(a.contains(area) or area.contains(a) for a in served):
            raise NotAllowed(
                "organisation_not_here",
                _("%(organisation)s does not serve this area.") % {"organisation": organisation.name},
            )
        return
    if not is_eligible(author, area):
        raise NotAllowed(
            "not_eligible",
            _("Only residents verified in this area (or organisations serving it) can propose here."),
            field="area",
        )


@transaction.atomic
def proposal_create(
    *,
    author,
    title: str,
    body: str,
    category: Category,
    area,
    location: str = "",
    estimated_cost=None,
    organisation: Organisation | None = None,
    channel: str = Channel.ONLINE,
    on_behalf_of: str = "",
    files=(),
    publish: bool = False,
) -> Proposal:
    """Write a draft; with `publish`, publish it in the same transaction (all or nothing)."""
    title, body = " ".join((title or "").split()), (body or "").strip()
    if len(title) < 4:
        raise InvalidInput("title_too_short", _("The title needs at least 4 characters."), field="title")
    if len(title) > 80:
        raise InvalidInput("title_too_long", _("The title can have at most 80 characters."), field="title")
    if len(body) < 10:
        raise InvalidInput("body_too_short", _("Please describe the matter in at least 10 characters."), field="body")
    if category is None or not category.is_active:
        raise InvalidInput("category_invalid", _("Choose a category."), field="category")
    if area is None:
        raise InvalidInput("area_required", _("Choose the area the proposal is about."), field="area")
    if channel not in Channel.values:
        raise InvalidInput("channel_invalid", _("Unknown channel."), field="channel")
    on_behalf_of = " ".join((on_behalf_of or "").split())
    if channel != Channel.ONLINE and not on_behalf_of:
        raise InvalidInput("resident_missing", _("Name the resident who brought this proposal."), field="on_behalf_of")
    organisation = organisation_acting_for(user=author, organisation=organisation)
    _may_propose_in(author, area, organisation, channel)
    proposal = Proposal(
        title=title,
        body=body,
        category=category,
        area=area,
        area_path=area.path,
        location=(location or "").strip()[:120],
        estimated_cost=_money(estimated_cost, "estimated_cost"),
        author=author,
        organisation=organisation,
        actor_kind=organisation.kind if organisation else "resident",
        channel=channel,
        on_behalf_of=on_behalf_of if channel != Channel.ONLINE else "",
    )
    _index(proposal)
    proposal.save()
    attachments_add(actor=author, proposal=proposal, files=files)
    audit_record(actor=author, action="proposal.created", obj=proposal, area=area, acting_for=organisation)
    if publish:
        proposal = proposal_publish(actor=author, proposal=proposal)
    return proposal


def _small_fix(old: str, new: str) -> bool:
    """A correction, not a rewrite: at most 20 characters changed and 90 % of the text the same."""
    if old == new:
        return True
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return changed <= 20 and matcher.ratio() >= 0.9


@transaction.atomic
def proposal_update(
    *, actor, proposal, title: str, body: str, category=None, area=None, location=None, estimated_cost=None
) -> Proposal:
    proposal = _locked(proposal)
    if proposal.author_id != actor.pk:
        raise NotAllowed("not_author", _("Only the author can edit a proposal."))
    title, body = " ".join((title or "").split()), (body or "").strip()
    if len(title) < 4 or len(body) < 10:
        raise InvalidInput("text_too_short", _("The title needs at least 4 characters and the text at least 10."))
    if proposal.state == S.DRAFT:
        proposal.title, proposal.body = title[:80], body
        proposal.category = category or proposal.category
        if area is not None and area != proposal.area:
            _may_propose_in(actor, area, proposal.organisation, proposal.channel)
            proposal.area, proposal.area_path = area, area.path
        proposal.location = (location if location is not None else proposal.location).strip()[:120]
        proposal.estimated_cost = (
            _money(estimated_cost, "estimated_cost") if estimated_cost is not None else proposal.estimated_cost
        )
        _index(proposal)
        proposal.save()
        return proposal
    if proposal.state not in lifecycle.OPEN_FOR_ANSWER:
        raise Conflict("not_editable", _("This proposal can no longer be edited."))
    changed_other = (category is not None and category != proposal.category) or (
        area is not None and area != proposal.area
    )
    if changed_other or not (_small_fix(proposal.title, title) and _small_fix(proposal.body, body)):
        raise Conflict(
            "edit_too_large",
            _(
                "After publication only small corrections are possible; people have already co-signed this text. "
                "Withdraw it and write a new proposal instead."
            ),
        )
    if title == proposal.title and body == proposal.body:
        return proposal
    ProposalRevision.objects.create(proposal=proposal, title=proposal.title, body=proposal.body, edited_by=actor)
    proposal.title, proposal.body = title[:80], body
    _index(proposal)
    proposal.save(update_fields=["title", "body", "body_html", "search_tokens"])
    timeline_record(
        subject=proposal,
        verb="proposal.corrected",
        params={"title": proposal.title},
        url=proposal.get_absolute_url(),
        actor=actor,
        area=proposal.area,
    )
    return proposal


@transaction.atomic
def attachments_add(*, actor, proposal, files) -> list[Attachment]:
    files = list(files or [])
    if not files:
        return []
    if proposal.author_id != actor.pk:
        raise NotAllowed("not_author", _("Only the author can add files."))
    existing = Attachment.objects.filter(proposal=proposal).count()
    if existing + len(files) > settings.PROPOSAL_MAX_ATTACHMENTS:
        raise InvalidInput(
            "too_many_files",
            _("At most %(n)s photos and files per proposal.") % {"n": settings.PROPOSAL_MAX_ATTACHMENTS},
            field="files",
        )
    cleaned = [accept_upload(upload, field="files") for upload in files]
    return [
        Attachment.objects.create(
            proposal=proposal, kind=clean.kind, file=clean.file, name=clean.original_name, size=clean.file.size
        )
        for clean in cleaned
    ]


# --- lifecycle ------------------------------------------------------------------------------------


@transaction.atomic
def proposal_publish(*, actor, proposal) -> Proposal:
    proposal = _locked(proposal)
    if proposal.author_id != actor.pk:
        raise NotAllowed("not_author", _("Only the author can publish a proposal."))
    policy = policy_for(proposal.area)
    now = timezone.now()
    proposal.published_at = now
    proposal.threshold = policy.endorsement_threshold
    proposal.collection_deadline = now + timedelta(days=policy.collection_days)
    proposal.response_due = add_working_days(timezone.localdate(now), policy.response_working_days)
    _move(
        proposal,
        S.PUBLISHED,
        actor=actor,
        verb="proposal.published",
        extra_fields=["published_at", "threshold", "collection_deadline", "response_due"],
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
def proposal_endorse(*, user, proposal) -> Proposal:
    """Co-sign (联署). The proposal row is locked, so parallel co-signatures are counted exactly once."""
    proposal = _locked(proposal)
    if proposal.state != S.PUBLISHED or proposal.is_hidden:
        raise Conflict("not_collecting", _("This proposal is not collecting co-signatures."))
    if proposal.collection_deadline and timezone.now() >= proposal.collection_deadline:
        raise Conflict("collection_closed", _("The time to co-sign this proposal has ended."))
    if not is_eligible(user, proposal.area):
        raise NotAllowed(
            "not_eligible", _("Only residents verified in %(area)s can co-sign.") % {"area": proposal.area.name}
        )
    try:
        with transaction.atomic():
            Endorsement.objects.create(proposal=proposal, user=user)
    except IntegrityError as error:
        raise Conflict("already_endorsed", _("You have already co-signed this proposal.")) from error
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
    if proposal.author_id != actor.pk:
        raise NotAllowed("not_author", _("Only the author can withdraw a proposal."))
    proposal.closed_at = timezone.now()
    proposal.decline_reason = (reason or "").strip()[:1000]
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
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    proposal.closed_at = timezone.now()
    proposal.decline_reason = reason[:1000]
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
def proposal_decide(*, proposal, adopted: bool, actor=None, how: str = "") -> Proposal:
    """Record the community's decision (called by a session's vote or a ballot)."""
    proposal = _locked(proposal)
    proposal.closed_at = None if adopted else timezone.now()
    target = S.ADOPTED if adopted else S.NOT_ADOPTED
    _move(proposal, target, actor=actor, verb=f"proposal.{target}", params={"how": how}, extra_fields=["closed_at"])
    title = gettext_lazy("“%(title)s” was adopted") if adopted else gettext_lazy("“%(title)s” was not adopted")
    _tell_followers(proposal, kind="proposal.state", title=title, body=how)
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


# --- answers --------------------------------------------------------------------------------------


@transaction.atomic
def proposal_answer(*, official, proposal, status: str, reason: str) -> OfficialAnswer:
    proposal = _locked(proposal)
    require_perm(official, "proposals.answer", proposal, _("Only an official of this area can answer."))
    if status not in AnswerStatus.values:
        raise InvalidInput("answer_status_invalid", _("Choose what the answer is."), field="status")
    reason = (reason or "").strip()
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
        proposal.decline_reason = reason[:1000]
        _move(
            proposal,
            S.DECLINED,
            actor=official,
            verb="proposal.declined",
            params={"official": official.public_name},
            extra_fields=["closed_at", "decline_reason"],
        )
    return answer


# --- co-sponsors, comments, follows ---------------------------------------------------------------


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
    amount = _money(pledge_amount, "pledge_amount")
    description = (pledge_description or "").strip()[:200]
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
    *, author, proposal, body: str, stance: str = Stance.NEUTRAL, parent=None, organisation=None
) -> Comment:
    if not author.is_active:
        raise NotAllowed("not_allowed", _("You are not allowed to do this."))
    proposal = _locked(proposal)  # a proposal closed a moment ago takes no more comments
    if proposal.state not in lifecycle.OPEN_FOR_COMMENTS or proposal.is_hidden:
        raise Conflict("comments_closed", _("Comments are closed on this proposal."))
    body = (body or "").strip()
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
        proposal=proposal, parent=parent, author=author, organisation=organisation, stance=stance, body=body[:3000]
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
    if comment.author_id != actor.pk:
        raise NotAllowed("not_author", _("Only the author can edit a comment."))
    if not comment_edit_open(comment):
        raise Conflict(
            "edit_window_over",
            _("Comments can be edited for %(n)s minutes only.") % {"n": settings.PROPOSAL_COMMENT_EDIT_MINUTES},
        )
    body = (body or "").strip()
    if len(body) < 2:
        raise InvalidInput("comment_empty", _("Write a comment first."), field="body")
    if stance is not None and stance not in Stance.values:
        raise InvalidInput("stance_invalid", _("Choose for, against or neutral."), field="stance")
    comment.body = body[:3000]
    comment.stance = stance or comment.stance
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "stance", "edited_at"])
    return comment


def _follow(user, proposal) -> None:
    _obj, created = Follow.objects.get_or_create(proposal=proposal, user=user)
    if created:
        Proposal.objects.filter(pk=proposal.pk).update(follower_count=F("follower_count") + 1)


@transaction.atomic
def proposal_follow(*, user, proposal, follow: bool = True) -> None:
    if follow:
        _follow(user, proposal)
    elif Follow.objects.filter(proposal=proposal, user=user).delete()[0]:
        Proposal.objects.filter(pk=proposal.pk).update(follower_count=F("follower_count") - 1)


# --- categories -----------------------------------------------------------------------------------


@transaction.atomic
def category_save(
    *, actor, name: str, description: str = "", position: int = 100, is_active: bool = True, category=None
) -> Category:
    require_perm(actor, "proposals.manage_categories", None, _("Only officials manage the categories."))
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("name_missing", _("A category needs a name."), field="name")
    category = category or Category()
    category.name, category.description, category.position, category.is_active = (
        name[:40],
        (description or "")[:200],
        position,
        is_active,
    )
    try:
        with transaction.atomic():  # the unique name settles two saves at the same moment
            category.save()
    except IntegrityError:
        raise Conflict("category_exists", _("There is already a category with this name."), field="name") from None
    audit_record(
        actor=actor, action="proposal.category_saved", obj=category, after={"name": category.name, "active": is_active}
    )
    return category


def get_proposal(pk) -> Proposal:
    proposal = Proposal.objects.select_related("area", "category", "author", "organisation").filter(pk=pk).first()
    if proposal is None:
        raise NotFound("not_found", _("Not found."))
    return proposal


@transaction.atomic
def area_policy_set(*, actor, area, endorsement_threshold: int, collection_days: int, response_working_days: int):
    """Set the proposal rules of an area (its sub-areas inherit them unless they set their own)."""
    from .models import AreaPolicy

    require_perm(actor, "proposals.set_rules", area, _("Only an official of this area or above can set its rules."))
    values = {
        "endorsement_threshold": endorsement_threshold,
        "collection_days": collection_days,
        "response_working_days": response_working_days,
    }
    limits = {"endorsement_threshold": (1, 100000), "collection_days": (1, 365), "response_working_days": (1, 120)}
    for field, value in values.items():
        low, high = limits[field]
        if not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(
                "rule_out_of_range",
                _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                field=field,
            )
    before = AreaPolicy.objects.filter(area=area).values(*values).first()
    policy, _created = AreaPolicy.objects.update_or_create(area=area, defaults=values)
    audit_record(actor=actor, action="proposal.rules_set", obj=policy, area=area, before=before, after=values)
    return policy


@transaction.atomic
def proposal_unschedule(*, proposal, actor=None, why: str = "") -> Proposal:
    """A scheduled proposal returns to the pool for the next session (e.g. the session was not held)."""
    proposal = _locked(proposal)
    _move(proposal, S.QUALIFIED, actor=actor, verb="proposal.unscheduled", params={"why": why})
    return proposal
