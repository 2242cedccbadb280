"""The numbers of a scorecard, and the data version (a fingerprint of the newest rows, kept for callers)."""

import hashlib

from django.db import connection
from django.utils import timezone

from casework.models import Report, ReportRating
from civic.models import AuditEntry, CalendarDay, OutcomeNotice, ResidencyVerification, TimelineEntry
from consultations.models import Consultation, Opinion, Symposium
from deliberation.models import Minutes, Participation, Session, SessionRecord
from funding.models import AwardObjection, Commitment, LedgerEntry, MicroProject, SatisfactionRating
from proposals.models import CoSponsor, Endorsement, Proposal

from ..period import Period
from .numbers import raw_numbers

_VERSIONED = [
    (AuditEntry, "MAX(id)"),
    (TimelineEntry, "MAX(id)"),
    (Proposal, "MAX(id)"),
    (Endorsement, "MAX(id)"),
    (Endorsement, "COUNT(*)"),  # co-signatures can be withdrawn (deleted) without an audit line
    (CoSponsor, "MAX(id)"),
    (CoSponsor, "COUNT(*)"),
    (Session, "MAX(id)"),
    (SessionRecord, "MAX(id)"),
    (Minutes, "MAX(id)"),
    (Participation, "MAX(id)"),
    (ResidencyVerification, "MAX(id)"),
    (MicroProject, "MAX(id)"),
    (Commitment, "MAX(id)"),
    (SatisfactionRating, "MAX(id)"),
    (SatisfactionRating, "MAX(changed_at)"),
    (AwardObjection, "MAX(id)"),
    (LedgerEntry, "MAX(id)"),
    (OutcomeNotice, "MAX(id)"),
    (CalendarDay, "MAX(id)"),
    (Consultation, "MAX(id)"),
    (Opinion, "MAX(id)"),
    (Symposium, "MAX(id)"),
    (Report, "MAX(id)"),
    (ReportRating, "MAX(id)"),
]


def data_version() -> str:
    """A short fingerprint of the newest rows of every table the figures read, in one query."""
    quote = connection.ops.quote_name
    parts = [f"(SELECT {what} FROM {quote(model._meta.db_table)})" for model, what in _VERSIONED]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha1(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:16]


def cached_numbers(scope: str, buckets: list[str], period: Period) -> dict[str, dict]:
    """The numbers of `buckets`, computed afresh: the pages that show them are kept exactly, per area and
    year (scorecard.pages), so they are computed once per version of what they count, not here per request.
    (A cache keyed by `data_version` would read the newest row of every table, and count the co-signatures,
    on every miss, and could not tell one district's writes from another's.)"""
    return raw_numbers(scope, buckets, period, timezone.localdate())
