"""Which cached page parts (civic.pagecache) a write to proposals changes, and the scopes each page reads.

- `proposals:CODE` — the proposal lists of area CODE (every area above a proposal's area lists it too) and
  `proposals:*`, the list of every area; a proposal's own row (state, counters, title) and the co-signatures
  and comments that its card counts change them.
- `proposal-set:CODE` (and `proposal-set:*`) — which proposals the lists of area CODE hold and the fields
  they are filtered by (state, category, area, visibility, wording): bumped by every write of a proposal's
  own row, not by co-signatures and comments, so the lists' kept counts (`selectors.proposal_count`) are
  counted again only when the set may have changed.
- `proposal:PK` — the proposal's page: the row and everything the page shows of it (co-signatures,
  comments, answers, co-sponsors, attachments, followers).
- shared by many pages: `categories`, `areas`, `organisations`, `people` (names shown).
"""

from civic import pagecache

from .models import Attachment, Category, Comment, CoSponsor, Endorsement, Follow, OfficialAnswer, Proposal

COMMON = ("categories", "areas", "organisations")


def list_scopes(area) -> list[str]:
    return [f"proposals:{area.code}" if area is not None else "proposals:*", *COMMON]


def detail_scopes(pk: int) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    subject = ContentType.objects.get_for_model(Proposal).pk  # cached by Django after the first call
    return [f"proposal:{pk}", f"timeline:{subject}:{pk}", "people", *COMMON]


def _in_lists(area_path: str) -> list[str]:
    return ["proposals:*", *pagecache.area_scopes("proposals", area_path)]


def set_scopes(area) -> list[str]:
    """What moves the count of a list of proposals of `area` (or of every area)."""
    return [f"proposal-set:{area.code}" if area is not None else "proposal-set:*"]


def _in_sets(area_path: str) -> list[str]:
    return ["proposal-set:*", *pagecache.area_scopes("proposal-set", area_path)]


def _proposal(proposal: Proposal) -> list[str]:
    scopes = [f"proposal:{proposal.pk}", *_in_lists(proposal.area_path), *_in_sets(proposal.area_path)]
    before = getattr(proposal, "_pagecache_area_path", None)
    if before and before != proposal.area_path:  # moved: the lists it left change too
        scopes += _in_lists(before) + _in_sets(before)
    return scopes


def _counted(row) -> list[str]:
    """A co-signature or a comment: the proposal's page and the lists whose cards count them."""
    return [f"proposal:{row.proposal_id}", *_in_lists(row.proposal.area_path)]


def _page_only(row) -> list[str]:
    return [f"proposal:{row.proposal_id}"]


def _remember_area(sender, instance, **kwargs):
    instance._pagecache_area_path = instance.__dict__.get("area_path")


def watch() -> None:
    from django.db.models.signals import post_init

    post_init.connect(_remember_area, sender=Proposal, weak=False, dispatch_uid="pagecache-proposal-area")
    pagecache.watch(Proposal, _proposal)
    pagecache.watch(Endorsement, _counted)
    pagecache.watch(Comment, _counted)
    for model in (OfficialAnswer, CoSponsor, Attachment, Follow):
        pagecache.watch(model, _page_only)
    pagecache.watch(Category, lambda row: ["categories"])
