"""Posting to the ledger, one way: every movement of money is one append-only entry, with its audit row
and, where the public follows it, a line on the project's story."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict
from civic.services import audit_record

from ..models import LedgerEntry
from .common import project_story


def ledger_post(
    *,
    project,
    kind: str,
    amount,
    actor,
    area=None,
    year: int | None = None,
    audit: tuple[str, object, dict] | None = None,
    story: str = "",
    story_params: dict | None = None,
    **links,
) -> LedgerEntry:
    """Write one entry (charged to `area`/`year`, by default the project's area and this year); `audit` is
    (action, object, after) for the audit row; `story` the timeline verb of the project's public story.
    `links` are the entry's references: award, commitment, condition, reverses, memo.

    The entry joins the end of the hash chain (LedgerEntry.save holds the chain while it links); should
    another posting have extended the same head regardless, the unique `prev_hash` refuses this one and
    the caller gets a clean conflict instead of a fork."""
    now = timezone.now()
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                project=project,
                area=area or project.area,
                year=year or timezone.localdate(now).year,
                kind=kind,
                amount=amount,
                created_by=actor,
                created_at=now,
                **links,
            )
    except IntegrityError as error:
        if "prev_hash" not in str(error) and "funding_ledger_chain_prev_unique" not in str(error):
            raise
        raise Conflict(
            "ledger_busy", _("Another payment was being recorded at the same moment. Please try again.")
        ) from error
    if audit is not None:
        action, obj, after = audit
        audit_record(actor=actor, action=action, obj=obj, area=project.area, after=after)
    if story:
        project_story(project, story, actor=actor, params=story_params)
    return entry
