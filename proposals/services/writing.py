"""Writing a proposal: create, edit (a draft fully, afterwards small corrections), files."""

import difflib

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed, NotFound
from civic.models import Organisation
from civic.money import parse_amount
from civic.services import audit_record, organisation_acting_for, require_perm, timeline_record
from civic.text import clean_text
from civic.uploads import accept_upload

from .. import lifecycle
from ..models import (
    Attachment,
    Category,
    Channel,
    Proposal,
    ProposalRevision,
)
from ..predicates import is_resident_of_area, organisation_serves
from ._common import (
    BODY_MAX,
    LOCATION_MAX,
    ON_BEHALF_OF_MAX,
    TITLE_MAX,
    S,
    _index,
    _locked,
    _require_author,
)
from .transitions import proposal_publish


def _may_propose_in(author, area, organisation, channel) -> None:
    """The rule of `predicates.py` (permission `proposals.propose_in_area`), for the capacity chosen:
    staff entering for a resident, an organisation serving the area, or a resident of it."""
    if channel != Channel.ONLINE:
        require_perm(
            author,
            "proposals.enter_on_behalf",
            area,
            _("Only organisers and officials of this area can enter a proposal for a resident."),
        )
        return
    if organisation is not None:
        if not organisation_serves(organisation, area):
            raise NotAllowed(
                "organisation_not_here",
                _("%(organisation)s does not serve this area.") % {"organisation": organisation.name},
            )
        return
    if not is_resident_of_area(author, area):
        raise NotAllowed(
            "not_eligible",
            _("Only residents verified in this area (or organisations serving it) can propose here."),
            field="area",
        )


def _title_and_body(title, body) -> tuple[str, str]:
    return (
        clean_text(title, field="title", limit=TITLE_MAX, single_line=True),
        clean_text(body, field="body", limit=BODY_MAX),
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
    title, body = _title_and_body(title, body)
    if len(title) < 4:
        raise InvalidInput("title_too_short", _("The title needs at least 4 characters."), field="title")
    if len(body) < 10:
        raise InvalidInput("body_too_short", _("Please describe the matter in at least 10 characters."), field="body")
    if category is None or not category.is_active:
        raise InvalidInput("category_invalid", _("Choose a category."), field="category")
    if area is None:
        raise InvalidInput("area_required", _("Choose the area the proposal is about."), field="area")
    if channel not in Channel.values:
        raise InvalidInput("channel_invalid", _("Unknown channel."), field="channel")
    on_behalf_of = clean_text(on_behalf_of, field="on_behalf_of", limit=ON_BEHALF_OF_MAX, single_line=True)
    location = clean_text(location, field="location", limit=LOCATION_MAX, single_line=True)
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
        location=location,
        estimated_cost=parse_amount(estimated_cost, field="estimated_cost"),
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
    _require_author(actor, "proposals.edit_proposal", proposal, _("Only the author can edit a proposal."))
    title, body = _title_and_body(title, body)
    if location is not None:
        location = clean_text(location, field="location", limit=LOCATION_MAX, single_line=True)
    if len(title) < 4 or len(body) < 10:
        raise InvalidInput("text_too_short", _("The title needs at least 4 characters and the text at least 10."))
    if proposal.state == S.DRAFT:
        proposal.title, proposal.body = title, body
        proposal.category = category or proposal.category
        if area is not None and area != proposal.area:
            _may_propose_in(actor, area, proposal.organisation, proposal.channel)
            proposal.area, proposal.area_path = area, area.path
        proposal.location = location if location is not None else proposal.location
        proposal.estimated_cost = (
            parse_amount(estimated_cost, field="estimated_cost")
            if estimated_cost is not None
            else proposal.estimated_cost
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
    proposal.title, proposal.body = title, body
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
    _require_author(actor, "proposals.edit_proposal", proposal, _("Only the author can add files."))
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


def get_proposal(pk) -> Proposal:
    proposal = Proposal.objects.select_related("area", "category", "author", "organisation").filter(pk=pk).first()
    if proposal is None:
        raise NotFound("not_found", _("Not found."))
    return proposal
