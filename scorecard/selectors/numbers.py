"""The raw numbers of every bucket (an area, or each child of an area), in a fixed number of queries."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework import rates as casework_rates
from casework.models import Report
from civic.models import Area, OutcomeNotice, ResidencyVerification
from civic.workdays import one_calendar
from deliberation.models import Minutes, Participation, Session, SessionRecord
from funding.models import (
    AwardObjection,
    Commitment,
    FundingSource,
    LedgerEntry,
    MicroProject,
    SatisfactionRating,
)
from proposals import lifecycle
from proposals.models import Channel, CoSponsor, Endorsement, Proposal

from ..period import Period
from . import consultations as consultation_numbers
from .common import bucketed, by_bucket, in_period, start_of
from .definitions import (
    ACTOR_KINDS,
    ADOPTED_STATES,
    DECIDED_STATES,
    ONCE_VERIFIED,
    OPENED_PHASES,
    PAYMENT_KINDS,
    SATISFIED,
)


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
        "consultations": consultation_numbers.empty(),
        "casework": casework_rates.Rates(),
        "hot_spots": [],
    }


# What one computation reads that does not depend on the buckets (`one_computation`): None outside one.
_reads: ContextVar[dict | None] = ContextVar("scorecard.numbers.reads", default=None)


@contextmanager
def one_computation(*, keep: bool = False) -> Iterator[None]:
    """Within, the scorecards computed (an area's and its children's side by side, on one page) read once
    what does not depend on the buckets: who took part in a period, the decisions waiting for a notice
    under an area; and the working-day calendar. As exact as each of them when first read inside.
    `keep`: what holds for the day is kept under the pages' scopes (`cache.cached_numbers`): for the
    scorecard pages, whose scopes every write that changes a figure bumps."""
    if _reads.get() is not None:
        yield
        return
    token = _reads.set({"keep": keep})
    try:
        with one_calendar():
            yield
    finally:
        _reads.reset(token)


def keeping() -> bool:
    """Whether the numbers are kept for the day in this computation (`one_computation(keep=True)`)."""
    held = _reads.get()
    return bool(held and held.get("keep"))


def changes_at(moment) -> None:
    """The kept numbers read in this computation hold until `moment` (a small matter's time limit passing,
    or midnight); None: read afresh, they say nothing of when they change (`kept_until`)."""
    held = _reads.get()
    if held is None:
        return
    if moment is None:
        held["until_unknown"] = True
    else:
        held["until"] = min(held.get("until", moment), moment)


def kept_until():
    """Until when every number read so far in this computation holds without a write, if all of them were
    kept numbers that know it (`cache.cached_numbers`); else None."""
    held = _reads.get()
    if not held or held.get("until_unknown"):
        return None
    return held.get("until")


def _shared(key, read):
    held = _reads.get()
    if held is None:
        return read()
    if key not in held:
        held[key] = read()
    return held[key]


def raw_numbers(scope: str, buckets: list[str], period: Period, today, *, clock: bool = True) -> dict[str, dict]:
    """{bucket: raw numbers} for every bucket, in a fixed number of queries; the working-day calendar read
    once for all of them (deadlines of notices, handling times of small matters). `clock=False` leaves out
    the small matters' rates (`clock_numbers`), the only numbers that change with the clock between two
    midnights: everything else holds for the day (`today`) until a write."""
    with one_calendar():
        result = _raw_numbers(scope, buckets, period, today)
        if clock:
            for bucket, rates in clock_numbers(scope, buckets, period).items():
                if bucket in result:
                    result[bucket]["casework"] = rates
        return result


def clock_numbers(scope: str, buckets: list[str], period: Period) -> dict:
    """{bucket: casework.rates.Rates} as they stand now: a small matter counts in the response or resolution
    rate once its time limit has passed, so these move whenever one passes (two queries)."""
    start, end = period.bounds()
    reports = bucketed(Report.objects.all(), "area_path", scope, buckets)
    with one_calendar():
        return casework_rates.rates_by_bucket(reports, start, end, timezone.now())


def kept_clock_numbers(scope: str, buckets: list[str], period: Period, until) -> dict[str, tuple]:
    """{bucket: (casework.rates.Rates now, response limits, handling limits)}: the rates as they stand now
    and the time limits that move them before `until` (`casework.rates.waiting_limits`), so that the rates
    at any later moment before `until` are `Rates.at(...)` without a query (three queries, one moment)."""
    start, end = period.bounds()
    reports = bucketed(Report.objects.all(), "area_path", scope, buckets)
    now = timezone.now()
    with one_calendar():
        rates = casework_rates.rates_by_bucket(reports, start, end, now)
    limits = casework_rates.waiting_limits(reports, start, end, now, until)
    return {
        bucket: (rates.get(bucket, casework_rates.Rates()), *limits.get(bucket, ([], [])))
        for bucket in set(rates) | set(limits)
    }


def _raw_numbers(scope: str, buckets: list[str], period: Period, today) -> dict[str, dict]:
    result = {bucket: _empty() for bucket in buckets}

    def put(name, rows):
        for bucket, value in rows.items():
            if bucket in result:
                result[bucket][name] = value

    # Proposals published in the period: counts for precise, digital, shared and the funnel (1 query).
    published = Proposal.objects.filter(in_period("published_at", period), is_hidden=False)
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
    put(
        "proposals",
        by_bucket(bucketed(published, "area_path", scope, buckets).alias(has_payment=Exists(paid)), **counts),
    )

    # Answers of those proposals, for the median and the deadline (1 query; working days in Python).
    waiting_past_due = Q(first_answered_at__isnull=True, state__in=lifecycle.OPEN_FOR_ANSWER, response_due__lt=today)
    answered = (
        bucketed(published, "area_path", scope, buckets)
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
        {b: row["n"] for b, row in by_bucket(bucketed(overdue, "area_path", scope, buckets), n=Count("pk")).items()},
    )

    # Sessions: quorum, decisions and minutes (1 query), points of order (1 query).
    decided = SessionRecord.objects.filter(
        session=OuterRef("pk"), kind="event", payload__type="result_announced", payload__kind="main"
    )
    sessions = (
        bucketed(Session.objects.filter(in_period("starts_at", period)), "council__area__path", scope, buckets)
        .alias(has_decision=Exists(decided), has_minutes=Exists(Minutes.objects.filter(session=OuterRef("pk"))))
        .order_by()
    )
    put(
        "sessions",
        by_bucket(
            sessions,
            opened=Count("pk", filter=Q(phase__in=OPENED_PHASES)),
            not_held=Count("pk", filter=Q(phase="not_held")),
            missed=Count("pk", filter=Q(phase="scheduled", starts_at__lt=start_of(today))),
            decisions=Count("pk", filter=Q(phase="closed", has_decision=True)),
            minuted=Count("pk", filter=Q(phase="closed", has_decision=True, has_minutes=True)),
        ),
    )
    points = SessionRecord.objects.filter(
        Q(payload__type="point_of_order") | Q(payload__type="ruling"),
        in_period("session__starts_at", period),
        kind="event",
    )
    put(
        "points",
        by_bucket(
            bucketed(points, "session__council__area__path", scope, buckets),
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
        bucketed(verified, "cell__path", scope, buckets).order_by().values_list("bucket", "user_id").distinct()
    ):
        if bucket in result:
            result[bucket]["verified"].add(user_id)
    participants = _shared(("participants", period.bounds()), lambda: _participants(period))
    for numbers in result.values():
        numbers["took_part"] = len(numbers["verified"] & participants)
        numbers["verified"] = len(numbers["verified"])

    # Co-funding promised in the period, by source (1 query).
    put(
        "cofunding",
        by_bucket(
            bucketed(Commitment.objects.filter(in_period("created_at", period)), "project__area_path", scope, buckets),
            **{source: Sum("amount", filter=Q(source=source)) for source in FundingSource.values},
        ),
    )

    # Organisations taking part (4 queries).
    project_active = (
        in_period("created_at", period)
        | in_period("started_at", period)
        | in_period("completed_at", period)
        | in_period("accepted_at", period)
    )
    for queryset, field, org in (
        (published.filter(organisation__isnull=False), "area_path", "organisation_id"),
        (
            CoSponsor.objects.filter(in_period("created_at", period), organisation__isnull=False),
            "proposal__area_path",
            "organisation_id",
        ),
        (MicroProject.objects.filter(project_active), "area_path", "implementer_id"),
        (
            Commitment.objects.filter(in_period("created_at", period), organisation__isnull=False),
            "project__area_path",
            "organisation_id",
        ),
    ):
        for bucket, organisation in (
            bucketed(queryset, field, scope, buckets).order_by().values_list("bucket", org).distinct()
        ):
            if bucket in result:
                result[bucket]["organisations"].add(organisation)
    for numbers in result.values():
        numbers["organisations"] = len(numbers["organisations"])

    # Ratings of the projects accepted in the period (1 query).
    ratings = SatisfactionRating.objects.filter(in_period("project__accepted_at", period))
    put(
        "ratings",
        by_bucket(
            bucketed(ratings, "project__area_path", scope, buckets),
            total=Count("pk"),
            satisfied=Count("pk", filter=SATISFIED),
            points=Sum("level"),
        ),
    )

    # Outcome notices (2 queries), and the decisions still waiting for one (one query per kind of decision).
    for bucket, on_time, n in _notices(scope, buckets, period, today):
        if bucket in result:
            result[bucket]["notices"][0] += on_time
            result[bucket]["notices"][1] += n

    # Objections whose answer was due in the period (1 query).
    objections = (
        AwardObjection.objects.filter(answer_due__gte=period.start, answer_due__lte=period.end)
        .filter(Q(answered_at__isnull=False) | Q(answer_due__lt=today))
        .annotate(answered_on=TruncDate("answered_at", tzinfo=timezone.get_default_timezone()))
    )
    put(
        "objections",
        by_bucket(
            bucketed(objections, "award__project__area_path", scope, buckets),
            total=Count("pk"),
            on_time=Count("pk", filter=Q(answered_on__lte=F("answer_due"))),
        ),
    )
    # Consultations opened in the period, their opinions and symposiums (3 queries).
    put("consultations", consultation_numbers.numbers(scope, buckets, period, today))

    # Small matters: for one area, the hot spots (2 queries); their rates are `clock_numbers`.
    reports = bucketed(Report.objects.all(), "area_path", scope, buckets)
    if buckets == [scope]:
        result[scope]["hot_spots"] = casework_rates.hot_spots(reports, start, end)
    return result


def _participants(period: Period) -> set[int]:
    """Everyone who, in the period, published a proposal online, co-signed, voted in a ballot, rated a
    project (one query), or spoke or voted in a council session (one query)."""
    ids = (
        Proposal.objects.filter(in_period("published_at", period), channel=Channel.ONLINE)
        .order_by()
        .values_list("author_id", flat=True)
        .union(
            Endorsement.objects.filter(in_period("created_at", period)).order_by().values_list("user_id", flat=True),
            Participation.objects.filter(in_period("created_at", period)).order_by().values_list("user_id", flat=True),
            SatisfactionRating.objects.filter(in_period("created_at", period) | in_period("changed_at", period))
            .order_by()
            .values_list("user_id", flat=True),
        )
    )
    people = set(ids)
    spoke_or_voted = (
        SessionRecord.objects.filter(in_period("created_at", period))
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
    """(bucket, on time, how many) for the notices published in the period (one each) and the decisions
    whose publication deadline fell in the period and passed without a notice (counted per area and day)."""
    from civic.selectors import published_within_deadline

    notices = bucketed(
        OutcomeNotice.objects.filter(in_period("published_at", period), corrects__isnull=True),
        "area_path",
        scope,
        buckets,
    ).only("pk", "area_path", "decided_at", "published_at")
    for notice in published_within_deadline(notices):
        yield notice.bucket, int(notice.timing.on_time), 1
    now = timezone.now()
    overdue_from = min(today, timezone.localdate(now))  # due before both: overdue as the notice board says
    for (path, due), n in _waiting_deadlines(scope, now).items():
        if period.start <= due <= period.end and due < overdue_from:
            bucket = next((b for b in buckets if path.startswith(b)), None)
            if bucket is not None:
                yield bucket, 0, n


def _waiting_deadlines(scope: str, now):
    """civic's waiting decisions under `scope`, per area and due day; read once per `one_computation`."""
    from civic.selectors import waiting_deadlines

    return _shared(("waiting", scope), lambda: waiting_deadlines(Area(path=scope or "/"), now))
