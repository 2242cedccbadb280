"""The five-governance scorecard (五治): every figure computed from the records, for an area and a period.

An area's figures count the records of the area and of everything under it (a path prefix); no area means
the whole platform. Every figure is an aggregate in the database: a scorecard costs a fixed number of
queries whatever the number of records, and comparing the children of an area costs the same number again,
not one set per child (each query groups its rows by the child whose path prefixes theirs).

The numbers are cached under a key that carries a cheap "data version" (one query reading the newest row
of each table the figures read), so any new record (or audit line, which every state change writes) gives
a new key and the next reader computes fresh figures.
"""

import hashlib
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import (
    Area,
    AuditEntry,
    CalendarDay,
    OrganisationKind,
    OutcomeNotice,
    ResidencyVerification,
    TimelineEntry,
    VerificationStatus,
)
from civic.workdays import working_days_between
from deliberation.models import Minutes, Participation, Session, SessionRecord
from funding.models import (
    AwardObjection,
    Commitment,
    EntryKind,
    FundingSource,
    Inspection,
    InspectionResult,
    LedgerEntry,
    MicroProject,
    SatisfactionLevel,
    SatisfactionRating,
)
from proposals import lifecycle
from proposals.models import Channel, CoSponsor, Endorsement, Proposal, ProposalState

from .period import Period, year_period

CACHE_SECONDS = 600
SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")
FEN = Decimal("0.01")
PAYMENT_KINDS = (EntryKind.ADVANCE, EntryKind.SETTLEMENT)
OPENED_PHASES = ("open", "recess", "closed")  # a session opens only with quorum present
DECIDED_STATES = (ProposalState.ADOPTED, ProposalState.NOT_ADOPTED, ProposalState.IN_IMPLEMENTATION, ProposalState.DONE)
ADOPTED_STATES = (ProposalState.ADOPTED, ProposalState.IN_IMPLEMENTATION, ProposalState.DONE)
# Verifications that were approved at some time; a withdrawn one was approved if it has a decision date (only
# approval sets it), otherwise it was withdrawn while still waiting for review.
APPROVED_STATUSES = (VerificationStatus.APPROVED, VerificationStatus.EXPIRED, VerificationStatus.REVOKED)
ONCE_VERIFIED = Q(status__in=APPROVED_STATUSES) | Q(status=VerificationStatus.WITHDRAWN, decided_at__isnull=False)
ORGANISED_KINDS = (OrganisationKind.ENTERPRISE, OrganisationKind.SOCIAL)
ORGANISED_SOURCES = (FundingSource.ENTERPRISE, FundingSource.SOCIAL)
SATISFIED = Q(level__gte=SatisfactionLevel.FAIRLY_SATISFIED)  # very satisfied, satisfied, fairly satisfied

ACTOR_KINDS = [
    ("resident", _("residents")),
    (OrganisationKind.ENTERPRISE.value, _("enterprises")),
    (OrganisationKind.SOCIAL.value, _("social organisations")),
    (OrganisationKind.RESIDENTS_GROUP.value, _("residents' self-governing groups")),
    (OrganisationKind.COMMUNITY_COMMITTEE.value, _("community residents' committees")),
    (OrganisationKind.GOVERNMENT.value, _("government departments")),
]

GOVERNANCES = [
    ("precise", _("Precise governance")),
    ("rule_based", _("Rule-based governance")),
    ("digital", _("Digital governance")),
    ("shared", _("Shared governance")),
    ("trust", _("Trust-building governance")),
]

# key: (governance, label, unit, definition)
FIGURES = {
    "median_answer_days": (
        "precise",
        _("Median time to an official answer"),
        "days",
        _(
            "Proposals published in the period that have had an official answer: the working days from the day "
            "of publication to the day of the first answer (weekends and public holidays not counted, make-up "
            "working days counted). Half of these proposals were answered faster than this, half slower. "
            "Proposals hidden by moderation are left out."
        ),
    ),
    "answered_in_time_share": (
        "precise",
        _("Answered within the deadline"),
        "share",
        _(
            "Proposals published in the period that have had an official answer, or are still waiting for one "
            "after their answer deadline: the share whose first answer came on or before the deadline. "
            "Proposals still within their deadline are not counted yet."
        ),
    ),
    "overdue_now": (
        "precise",
        _("Waiting for an answer past the deadline, today"),
        "count",
        _(
            "Proposals that are collecting co-signatures, qualified or on an agenda, have no official answer "
            "and whose answer deadline has passed, counted today whatever the period."
        ),
    ),
    "quorum_share": (
        "rule_based",
        _("Sessions that reached quorum"),
        "share",
        _(
            "Council sessions scheduled to start in the period: the share that opened with a quorum present. "
            "Sessions recorded as not held, and sessions still not opened after the day they were scheduled "
            "for, count against; sessions still to come are not counted."
        ),
    ),
    "minutes_share": (
        "rule_based",
        _("Decisions with published minutes"),
        "share",
        _(
            "Council sessions scheduled to start in the period that closed with at least one decision on an "
            "agenda item: the share whose minutes have been published."
        ),
    ),
    "points_of_order_raised": (
        "rule_based",
        _("Points of order raised"),
        "count",
        _("Points of order raised by members in the council sessions scheduled to start in the period."),
    ),
    "points_of_order_upheld": (
        "rule_based",
        _("Points of order upheld"),
        "count",
        _("Points of order that the chair ruled well taken, in the council sessions scheduled in the period."),
    ),
    "participation_share": (
        "digital",
        _("Verified residents taking part"),
        "share",
        _(
            "People verified as residents of the area at any time in the period: the share who, in the period, "
            "published a proposal themselves, co-signed a proposal, spoke or voted in a council session, voted "
            "in a community ballot or rated a project, anywhere on the platform."
        ),
    ),
    "online_share": (
        "digital",
        _("Proposals that came in online"),
        "share",
        _(
            "Proposals published in the period: the share that their authors submitted online themselves, "
            "rather than staff entering them for a resident who came in person or phoned."
        ),
    ),
    "enterprise_social_proposal_share": (
        "shared",
        _("Proposals from enterprises and social organisations"),
        "share",
        _(
            "Proposals published in the period: the share put forward on behalf of an enterprise or a social "
            "organisation."
        ),
    ),
    "enterprise_social_cofunding_share": (
        "shared",
        _("Co-funding from enterprises and social organisations"),
        "share",
        _(
            "Money and in-kind contributions promised in the period towards the area's micro-projects: the "
            "share, in yuan, promised by enterprises and social organisations."
        ),
    ),
    "organisations_taking_part": (
        "shared",
        _("Organisations taking part"),
        "count",
        _(
            "Distinct organisations that, in the period, put forward a proposal, co-sponsored one, promised "
            "co-funding to a project, or carry out a project that was set up, started, reported complete or "
            "accepted in the period."
        ),
    ),
    "satisfaction_rate": (
        "trust",
        _("Satisfaction with accepted projects"),
        "share",
        _(
            "Residents' ratings of the micro-projects accepted at inspection in the period: the share rated "
            "very satisfied, satisfied or fairly satisfied."
        ),
    ),
    "average_score": (
        "trust",
        _("Average satisfaction score"),
        "score",
        _(
            "The same ratings as a score: very satisfied 5, satisfied 4, fairly satisfied 3, dissatisfied 2, "
            "very dissatisfied 1; the average of all ratings."
        ),
    ),
    "notices_on_time_share": (
        "trust",
        _("Outcome notices published on time"),
        "share",
        _(
            "Outcome notices published in the period (corrections left out), together with decisions whose "
            "publication deadline fell in the period and passed without a notice: the share published within "
            "the deadline (the working days the area's subsidy policy allows, counted from the decision)."
        ),
    ),
    "objections_on_time_share": (
        "trust",
        _("Objections answered on time"),
        "share",
        _(
            "Objections to subsidy awards whose answer was due in the period: the share answered on or before "
            "the due date. An objection still unanswered after its due date counts as late; one not yet due is "
            "not counted."
        ),
    ),
}

FUNNEL = [
    ("proposed", pgettext_lazy("funnel step", "proposed")),
    ("qualified", pgettext_lazy("funnel step", "qualified for the agenda")),
    ("decided", pgettext_lazy("funnel step", "decided")),
    ("adopted", pgettext_lazy("funnel step", "adopted")),
    ("built", pgettext_lazy("funnel step", "built")),
    ("accepted", pgettext_lazy("funnel step", "accepted at inspection")),
    ("paid", pgettext_lazy("funnel step", "award paid")),
]
FUNNEL_DEFINITION = _(
    "Proposals published in the period, and how far each has gone: qualified for the agenda, decided by a "
    "council or a vote (adopted or not), adopted, its project reported complete, its project accepted at "
    "inspection, and an award payment made for its project (not corrected away)."
)


# --- helpers ------------------------------------------------------------------------------------------


def _share(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(SHARE, ROUND_HALF_UP)


def _money(value) -> Decimal:
    return (Decimal(value) if value is not None else Decimal(0)).quantize(FEN, ROUND_HALF_UP)


def _bucketed(queryset, field: str, scope: str, buckets: list[str]):
    """Rows under `scope` (all rows if empty), each annotated `bucket`: the path in `buckets` prefixing its
    `field` ("" for rows under none of them)."""
    if scope:
        queryset = queryset.filter(**{f"{field}__startswith": scope})
    if buckets == [scope]:
        return queryset.annotate(bucket=Value(scope, output_field=CharField()))
    whens = [When(**{f"{field}__startswith": path}, then=Value(path)) for path in buckets]
    return queryset.annotate(bucket=Case(*whens, default=Value(""), output_field=CharField()))


def _in(field: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _rows(queryset, **aggregates) -> dict[str, dict]:
    return {row.pop("bucket"): row for row in queryset.order_by().values("bucket").annotate(**aggregates)}


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


# --- the data version and the cache ------------------------------------------------------------------

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
]


def data_version() -> str:
    """A short fingerprint of the newest rows of every table the figures read, in one query."""
    quote = connection.ops.quote_name
    parts = [f"(SELECT {what} FROM {quote(model._meta.db_table)})" for model, what in _VERSIONED]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha1(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:16]


def _cached_numbers(scope: str, buckets: list[str], period: Period) -> dict[str, dict]:
    from civic.workdays import _version as calendar_version

    today = timezone.localdate()
    signature = "|".join([scope, *buckets])
    parts = [data_version(), calendar_version(), today, period.start, period.end]
    key = "scorecard:" + ":".join(str(part) for part in parts) + ":" + hashlib.sha1(signature.encode()).hexdigest()[:16]
    numbers = cache.get(key)
    if numbers is None:
        numbers = _numbers(scope, buckets, period, today)
        cache.set(key, numbers, CACHE_SECONDS)
    return numbers


# --- the numbers -------------------------------------------------------------------------------------


def _empty() -> dict:
    return {
        "proposals": {},
        "answers": [],
        "overdue_now": 0,
        "sessions": {},
        "points": {},
        "verified": set(),
        "organisations": set(),
        "cofunding": {},
        "ratings": {},
        "notices": [0, 0],
        "objections": {},
    }


def _numbers(scope: str, buckets: list[str], period: Period, today) -> dict[str, dict]:
    """{bucket: raw numbers} for every bucket, in a fixed number of queries."""
    result = {bucket: _empty() for bucket in buckets}

    def put(name, rows):
        for bucket, value in rows.items():
            if bucket in result:
                result[bucket][name] = value

    # Proposals published in the period: counts for precise, digital, shared and the funnel (1 query).
    published = Proposal.objects.filter(_in("published_at", period), is_hidden=False)
    paid = LedgerEntry.objects.filter(
        project__proposal=OuterRef("pk"), kind__in=PAYMENT_KINDS, amount__gt=0, reversed_by__isnull=True
    )
    counts = {
        "total": Count("pk"),
        "online": Count("pk", filter=Q(channel=Channel.ONLINE)),
        "qualified": Count("pk", filter=Q(qualified_at__isnull=False)),
        "decided": Count("pk", filter=Q(state__in=DECIDED_STATES)),
        "adopted": Count("pk", filter=Q(state__in=ADOPTED_STATES)),
        "built": Count("pk", filter=Q(state__in=ADOPTED_STATES, project__completed_at__isnull=False)),
        "accepted": Count("pk", filter=Q(state__in=ADOPTED_STATES, project__accepted_at__isnull=False)),
        "paid": Count("pk", filter=Q(state__in=ADOPTED_STATES, has_payment=True)),
        **{f"actor_{kind}": Count("pk", filter=Q(actor_kind=kind)) for kind, _label in ACTOR_KINDS},
    }
    put("proposals", _rows(_bucketed(published, "area_path", scope, buckets).alias(has_payment=Exists(paid)), **counts))

    # Answers of those proposals, for the median and the deadline (1 query; working days in Python).
    waiting_past_due = Q(first_answered_at__isnull=True, state__in=lifecycle.OPEN_FOR_ANSWER, response_due__lt=today)
    answered = (
        _bucketed(published, "area_path", scope, buckets)
        .filter(Q(first_answered_at__isnull=False) | waiting_past_due, response_due__isnull=False)
        .order_by()
        .values_list("bucket", "published_at", "first_answered_at", "response_due")
    )
    for bucket, published_at, answered_at, due in answered:
        if bucket in result:
            result[bucket]["answers"].append(
                (timezone.localdate(published_at), timezone.localdate(answered_at) if answered_at else None, due)
            )

    # Overdue today, whatever the period (1 query).
    overdue = Proposal.objects.filter(
        is_hidden=False,
        first_answered_at__isnull=True,
        state__in=lifecycle.OPEN_FOR_ANSWER,
        response_due__lt=today,
    )
    put(
        "overdue_now",
        {b: row["n"] for b, row in _rows(_bucketed(overdue, "area_path", scope, buckets), n=Count("pk")).items()},
    )

    # Sessions: quorum, decisions and minutes (1 query), points of order (1 query).
    decided = SessionRecord.objects.filter(
        session=OuterRef("pk"), kind="event", payload__type="result_announced", payload__kind="main"
    )
    sessions = (
        _bucketed(Session.objects.filter(_in("starts_at", period)), "council__area__path", scope, buckets)
        .alias(has_decision=Exists(decided), has_minutes=Exists(Minutes.objects.filter(session=OuterRef("pk"))))
        .order_by()
    )
    put(
        "sessions",
        _rows(
            sessions,
            opened=Count("pk", filter=Q(phase__in=OPENED_PHASES)),
            not_held=Count("pk", filter=Q(phase="not_held")),
            missed=Count("pk", filter=Q(phase="scheduled", starts_at__lt=_start_of(today))),
            decisions=Count("pk", filter=Q(phase="closed", has_decision=True)),
            minuted=Count("pk", filter=Q(phase="closed", has_decision=True, has_minutes=True)),
        ),
    )
    points = SessionRecord.objects.filter(
        Q(payload__type="point_of_order") | Q(payload__type="ruling"), _in("session__starts_at", period), kind="event"
    )
    put(
        "points",
        _rows(
            _bucketed(points, "session__council__area__path", scope, buckets),
            raised=Count("pk", filter=Q(payload__type="point_of_order")),
            upheld=Count("pk", filter=Q(payload__type="ruling", payload__upheld=True)),
        ),
    )

    # Verified residents of each bucket at any time in the period (1 query), and who took part (2 queries).
    start, end = period.bounds()
    verified = ResidencyVerification.objects.filter(ONCE_VERIFIED).filter(
        Q(decided_at__lt=end) | Q(decided_at__isnull=True, created_at__lt=end),
        Q(ended_at__isnull=True) | Q(ended_at__gte=start),
        Q(expires_at__isnull=True) | Q(expires_at__gte=start),
    )
    for bucket, user_id in (
        _bucketed(verified, "cell__path", scope, buckets).order_by().values_list("bucket", "user_id").distinct()
    ):
        if bucket in result:
            result[bucket]["verified"].add(user_id)
    participants = _participants(period)
    for numbers in result.values():
        numbers["took_part"] = len(numbers["verified"] & participants)
        numbers["verified"] = len(numbers["verified"])

    # Co-funding promised in the period, by source (1 query).
    put(
        "cofunding",
        _rows(
            _bucketed(Commitment.objects.filter(_in("created_at", period)), "project__area_path", scope, buckets),
            **{source: Sum("amount", filter=Q(source=source)) for source in FundingSource.values},
        ),
    )

    # Organisations taking part (4 queries).
    project_active = (
        _in("created_at", period) | _in("started_at", period) | _in("completed_at", period) | _in("accepted_at", period)
    )
    for queryset, field, org in (
        (published.filter(organisation__isnull=False), "area_path", "organisation_id"),
        (
            CoSponsor.objects.filter(_in("created_at", period), organisation__isnull=False),
            "proposal__area_path",
            "organisation_id",
        ),
        (MicroProject.objects.filter(project_active), "area_path", "implementer_id"),
        (
            Commitment.objects.filter(_in("created_at", period), organisation__isnull=False),
            "project__area_path",
            "organisation_id",
        ),
    ):
        for bucket, organisation in (
            _bucketed(queryset, field, scope, buckets).order_by().values_list("bucket", org).distinct()
        ):
            if bucket in result:
                result[bucket]["organisations"].add(organisation)
    for numbers in result.values():
        numbers["organisations"] = len(numbers["organisations"])

    # Ratings of the projects accepted in the period (1 query).
    ratings = SatisfactionRating.objects.filter(_in("project__accepted_at", period))
    put(
        "ratings",
        _rows(
            _bucketed(ratings, "project__area_path", scope, buckets),
            total=Count("pk"),
            satisfied=Count("pk", filter=SATISFIED),
            points=Sum("level"),
        ),
    )

    # Outcome notices (2 queries, and 6 for the decisions still waiting for one).
    for bucket, on_time in _notices(scope, buckets, period, today):
        if bucket in result:
            result[bucket]["notices"][0] += on_time
            result[bucket]["notices"][1] += 1

    # Objections whose answer was due in the period (1 query).
    objections = (
        AwardObjection.objects.filter(answer_due__gte=period.start, answer_due__lte=period.end)
        .filter(Q(answered_at__isnull=False) | Q(answer_due__lt=today))
        .annotate(answered_on=TruncDate("answered_at", tzinfo=timezone.get_default_timezone()))
    )
    put(
        "objections",
        _rows(
            _bucketed(objections, "award__project__area_path", scope, buckets),
            total=Count("pk"),
            on_time=Count("pk", filter=Q(answered_on__lte=F("answer_due"))),
        ),
    )
    return result


def _participants(period: Period) -> set[int]:
    """Everyone who, in the period, published a proposal online, co-signed, voted in a ballot, rated a
    project (one query), or spoke or voted in a council session (one query)."""
    ids = (
        Proposal.objects.filter(_in("published_at", period), channel=Channel.ONLINE)
        .order_by()
        .values_list("author_id", flat=True)
        .union(
            Endorsement.objects.filter(_in("created_at", period)).order_by().values_list("user_id", flat=True),
            Participation.objects.filter(_in("created_at", period)).order_by().values_list("user_id", flat=True),
            SatisfactionRating.objects.filter(_in("created_at", period) | _in("changed_at", period))
            .order_by()
            .values_list("user_id", flat=True),
        )
    )
    people = set(ids)
    spoke_or_voted = (
        SessionRecord.objects.filter(_in("created_at", period))
        .filter(Q(kind="event", payload__type="floor_granted") | Q(kind="command", payload__type="cast_vote"))
        # who voted is the command's actor (set by the server), never a "member" the client may have sent along
        .annotate(
            member=Case(
                When(kind="command", then=KeyTextTransform("actor", "payload")),
                default=KeyTextTransform("member", "payload"),
            )
        )
        .order_by()
        .values_list("member", flat=True)
        .distinct()
    )
    people.update(int(member) for member in spoke_or_voted if member and str(member).isdigit())
    return people


def _notices(scope: str, buckets: list[str], period: Period, today):
    """(bucket, on time?) for each notice published in the period and each decision whose publication
    deadline fell in the period and passed without a notice."""
    from civic.selectors import published_within_deadline, unpublished_decisions

    notices = _bucketed(
        OutcomeNotice.objects.filter(_in("published_at", period), corrects__isnull=True), "area_path", scope, buckets
    ).only("pk", "area_path", "decided_at", "published_at")
    for notice in published_within_deadline(notices):
        yield notice.bucket, int(notice.timing.on_time)
    where = Area(path=scope or "/")  # the selector reads only the path
    for decision in unpublished_decisions(where):
        if decision.overdue and period.start <= decision.due <= period.end and decision.due < today:
            bucket = next((path for path in buckets if decision.area_path.startswith(path)), None)
            if bucket is not None:
                yield bucket, 0


# --- from numbers to figures ---------------------------------------------------------------------------


def _figure(key: str, value, numerator=None, denominator=None) -> dict:
    _governance, label, unit, definition = FIGURES[key]
    return {
        "key": key,
        "label": label,
        "value": value,
        "unit": unit,
        "numerator": numerator,
        "denominator": denominator,
        "definition": definition,
    }


def _figures(n: dict) -> dict[str, dict]:
    p = n["proposals"]
    total = p.get("total", 0)
    answered_days = [working_days_between(pub, ans) for pub, ans, _due in n["answers"] if ans is not None]
    middle = median(answered_days) if answered_days else None
    in_time = sum(1 for _pub, ans, due in n["answers"] if ans is not None and ans <= due)
    s = n["sessions"]
    counted_sessions = s.get("opened", 0) + s.get("not_held", 0) + s.get("missed", 0)
    points = n["points"]
    money = {source: _money(n["cofunding"].get(source)) for source in FundingSource.values}
    money_total = sum(money.values(), Decimal(0))
    organised_money = sum((money[source] for source in ORGANISED_SOURCES), Decimal(0))
    organised_proposals = sum(p.get(f"actor_{kind}", 0) for kind in ORGANISED_KINDS)
    r = n["ratings"]
    rated = r.get("total", 0)
    o = n["objections"]
    on_time_notices, notices = n["notices"]
    figures = [
        _figure(
            "median_answer_days",
            Decimal(str(middle)).quantize(TENTH, ROUND_HALF_UP) if middle is not None else None,
            None,
            len(answered_days),
        ),
        _figure("answered_in_time_share", _share(in_time, len(n["answers"])), in_time, len(n["answers"])),
        _figure("overdue_now", n["overdue_now"], n["overdue_now"], None),
        _figure("quorum_share", _share(s.get("opened", 0), counted_sessions), s.get("opened", 0), counted_sessions),
        _figure(
            "minutes_share",
            _share(s.get("minuted", 0), s.get("decisions", 0)),
            s.get("minuted", 0),
            s.get("decisions", 0),
        ),
        _figure("points_of_order_raised", points.get("raised", 0), points.get("raised", 0), None),
        _figure("points_of_order_upheld", points.get("upheld", 0), points.get("upheld", 0), None),
        _figure("participation_share", _share(n["took_part"], n["verified"]), n["took_part"], n["verified"]),
        _figure("online_share", _share(p.get("online", 0), total), p.get("online", 0), total),
        _figure("enterprise_social_proposal_share", _share(organised_proposals, total), organised_proposals, total),
        _figure(
            "enterprise_social_cofunding_share",
            _share(organised_money, money_total),
            organised_money,
            money_total,
        ),
        _figure("organisations_taking_part", n["organisations"], n["organisations"], None),
        _figure("satisfaction_rate", _share(r.get("satisfied", 0), rated), r.get("satisfied", 0), rated),
        _figure(
            "average_score",
            (Decimal(r.get("points") or 0) / rated).quantize(FEN, ROUND_HALF_UP) if rated else None,
            r.get("points") or 0,
            rated,
        ),
        _figure("notices_on_time_share", _share(on_time_notices, notices), on_time_notices, notices),
        _figure(
            "objections_on_time_share",
            _share(o.get("on_time", 0), o.get("total", 0)),
            o.get("on_time", 0),
            o.get("total", 0),
        ),
    ]
    return {figure["key"]: figure for figure in figures}


def _funnel(n: dict) -> list[dict]:
    p = n["proposals"]
    counts = {"proposed": p.get("total", 0), **{key: p.get(key, 0) for key, _label in FUNNEL[1:]}}
    return [{"key": key, "label": label, "count": counts[key]} for key, label in FUNNEL]


def _shared(n: dict) -> dict:
    p = n["proposals"]
    total = p.get("total", 0)
    money = {source: _money(n["cofunding"].get(source)) for source in FundingSource.values}
    money_total = sum(money.values(), Decimal(0))
    return {
        "proposals_by_actor": [
            {
                "kind": kind,
                "label": label,
                "count": p.get(f"actor_{kind}", 0),
                "share": _share(p.get(f"actor_{kind}", 0), total),
            }
            for kind, label in ACTOR_KINDS
        ],
        "cofunding_by_source": [
            {"source": source, "label": label, "amount": money[source], "share": _share(money[source], money_total)}
            for source, label in FundingSource.choices
        ],
        "organisations": n["organisations"],
    }


def _card(area: Area | None, period: Period, n: dict) -> dict:
    figures = _figures(n)
    return {
        "area": area,
        "period": period,
        "governances": [
            {
                "key": key,
                "label": label,
                "figures": [figure for figure in figures.values() if FIGURES[figure["key"]][0] == key],
            }
            for key, label in GOVERNANCES
        ],
        "funnel": _funnel(n),
        "funnel_definition": FUNNEL_DEFINITION,
        "shared": _shared(n),
    }


# --- the interface --------------------------------------------------------------------------------------


def scorecard(area: Area | None, period: Period) -> dict:
    """The five governances' figures, the funnel and the shared-governance breakdowns for `area` (and
    everything under it; None: the whole platform) in `period`."""
    scope = area.path if area is not None else ""
    return _card(area, period, _cached_numbers(scope, [scope], period)[scope])


def children_of(area: Area | None):
    """The areas compared under `area`: its children; for the whole platform, the top areas (or, when
    there is a single city, its districts)."""
    if area is None:
        roots = list(Area.objects.filter(parent__isnull=True).order_by("path"))
        if len(roots) != 1:
            return roots
        area = roots[0]
    return list(Area.objects.filter(parent=area).order_by("path"))


def compare_children(area: Area | None, period: Period) -> list[dict]:
    """[{"area": child, "figures": {figure key: value}, "funnel": {step: count}}] for each child area, side
    by side; the same fixed number of queries as one scorecard, whatever the number of children."""
    children = children_of(area)
    if not children:
        return []
    scope = area.path if area is not None else ""
    numbers = _cached_numbers(scope, [child.path for child in children], period)
    rows = []
    for child in children:
        n = numbers[child.path]
        rows.append(
            {
                "area": child,
                "figures": {key: figure["value"] for key, figure in _figures(n).items()},
                "funnel": {step["key"]: step["count"] for step in _funnel(n)},
            }
        )
    return rows


def yearly_report(area: Area | None, year: int) -> dict:
    """The scorecard for the calendar year, the projects built or accepted in the year (with cost, award,
    paid, and the residents' satisfaction rate and number of ratings), and the money: awards approved and
    payments made in the year, co-funding by source."""
    from funding.selectors.ledger import project_money_many

    period = year_period(year)
    report = scorecard(area, period)
    scope = area.path if area is not None else ""
    latest_cost = (
        Inspection.objects.filter(project=OuterRef("pk"), result=InspectionResult.ACCEPTED)
        .order_by("-signed_at", "-id")
        .values("verified_cost")[:1]
    )
    projects = list(
        MicroProject.objects.filter(_in("completed_at", period) | _in("accepted_at", period))
        .filter(area_path__startswith=scope)
        .select_related("area", "implementer")
        .annotate(verified_cost=Subquery(latest_cost))
        .order_by("area_path", "accepted_at", "completed_at", "pk")
    )
    money = project_money_many(projects)
    ratings = {
        row["project_id"]: row
        for row in SatisfactionRating.objects.filter(project__in=projects)
        .order_by()
        .values("project_id")
        .annotate(total=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
    }
    sums = LedgerEntry.objects.filter(_in("created_at", period), project__area_path__startswith=scope).aggregate(
        awarded=Sum("amount", filter=Q(kind=EntryKind.AWARD)),
        paid=Sum("amount", filter=Q(kind__in=PAYMENT_KINDS)),
    )
    unrated = {"total": 0, "satisfied": 0}
    report["projects"] = [
        {
            "project": project,
            "title": project.title,
            "area": project.area,
            "implementer": project.implementer,
            "state": project.state,
            "completed_at": project.completed_at,
            "accepted_at": project.accepted_at,
            "budget": _money(project.budget),
            "cost": _money(project.verified_cost if project.verified_cost is not None else project.budget),
            "verified": project.verified_cost is not None,
            "award": _money(money[project.pk]["award"]),
            "paid": _money(money[project.pk]["paid"]),
            "ratings": (rated := ratings.get(project.pk, unrated))["total"],
            "satisfaction": _share(rated["satisfied"], rated["total"]),
        }
        for project in projects
    ]
    report["money"] = {
        "awarded": _money(sums["awarded"]),
        "paid": _money(sums["paid"]),
        "cofunding_by_source": report["shared"]["cofunding_by_source"],
    }
    report["year"] = year
    return report
