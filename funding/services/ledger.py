"""Posting to the ledger, one way: every movement of money is one append-only entry, with its audit row
and, where the public follows it, a line on the project's story."""

from django.utils import timezone

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
    `links` are the entry's references: award, commitment, condition, reverses, memo."""
    now = timezone.now()
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
    if audit is not None:
        action, obj, after = audit
        audit_record(actor=actor, action=action, obj=obj, area=project.area, after=after)
    if story:
        project_story(project, story, actor=actor, params=story_params)
    return entry
