"""Which cached scorecard pages (civic.pagecache) a write changes: per area and per year, so that a write in
one district leaves every other district's scorecard kept, and a closed year's figures stay kept while
nothing dated in it changes.

The scorecard of an area counts the records of the area and of everything under it, for a period. Its
scopes are

- `scorecard:CODE:YEAR` — the figures of area CODE (`*`: the whole city) over the calendar year YEAR. A
  page for a period reads the scope of every year the period touches (a year after this one reads this
  year's: nothing is dated there yet). A write of a record bumps, for the area of the record and every area
  above it, each year from the record's earliest date (its creation, publication, opening…, and those of
  the record it belongs to: a rating counts in the year its project was accepted) to this year: a change
  made now can move the record's figures in any year it spans, and in no other.
- `scorecard-now:CODE` — "overdue now", the one figure every period shows as it stands today: bumped only
  when a proposal starts or stops being overdue (answered, hidden, its deadline or state changed) or moves
  while it is; one falling overdue at midnight is the pages' `valid_until`.
- `scorecard-calendar` (working days), `scorecard-labels` (small-matter categories' names), and the
  shared `areas` and `organisations`.

Participation (who took part) counts people verified in an area who took part anywhere: a co-signature,
a ballot, a rating, a proposal published online, a word or vote in a council session bumps the areas where
the person is (or was) verified, read in one small query.

Proposals' page scopes (`proposals:CODE`, bumped by every co-signature and comment) are not read: a
co-signature changes no scorecard figure but participation, which it bumps as above, and a proposal's
counters (co-signatures, comments) are no figure, so a save that changes only those bumps nothing here.

Writes through `QuerySet.update` send no signal: state moves save the row after (civic.states), small
matters record an event, and an answer to opinions writes an audit line, which is watched for it.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from civic import pagecache, rows

SHARED = ("scorecard-calendar", "scorecard-labels", "areas", "organisations")


def _year(moment) -> int:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).year if timezone.is_aware(moment) else moment.year
    return moment.year


def page_scopes(code: str | None, period) -> list[str]:
    """The scopes of the scorecard (and the yearly report) of the area with `code` (None: the whole city)
    for `period`."""
    code = code or "*"
    this_year = timezone.localdate().year
    years = sorted({min(year, this_year) for year in range(period.start.year, period.end.year + 1)})
    return [*(f"scorecard:{code}:{year}" for year in years), f"scorecard-now:{code}", *SHARED]


def _codes(paths: Iterable[str]) -> list[str]:
    codes = {"*"}
    for path in paths:
        if path:
            codes.update(code for code in path.strip("/").split("/") if code)
    return sorted(codes)


def bump_area(paths: Iterable[str], since: Iterable) -> None:
    """Bump the scorecards of the areas at `paths` and above them for every year from the earliest of
    `since` (dates or datetimes; None ignored) to this year."""
    moments = [moment for moment in since if moment is not None]
    this_year = timezone.localdate().year
    first = min([_year(moment) for moment in moments] + [this_year])
    pagecache.bump(*(f"scorecard:{code}:{year}" for code in _codes(paths) for year in range(first, this_year + 1)))


def _people_paths(*user_ids) -> list[str]:
    """Where these people are or were verified (their participation counts there)."""
    ids = list(dict.fromkeys(pk for pk in user_ids if pk))
    if not ids:
        return []
    sql, params = _PEOPLE_PATHS.get(len(ids)) or _people_paths_sql(len(ids))
    with rows.prepared_cursor() as cursor:  # compiled once per number of people, prepared: every ballot asks it
        cursor.execute(sql, [*params[: -len(ids)], *ids])
        return [row[0] for row in cursor.fetchall()]


_PEOPLE_PATHS: dict[int, tuple[str, list]] = {}


def _people_paths_sql(n: int) -> tuple[str, list]:
    """The statement of `_people_paths` for `n` people, its last `n` parameters the people's ids."""
    from civic.models import ResidencyVerification

    from .selectors.definitions import ONCE_VERIFIED

    marks = [-(i + 1) for i in range(n)]  # stand-ins, replaced by the ids
    query = ResidencyVerification.objects.filter(ONCE_VERIFIED, user_id__in=marks).values_list("cell__path")
    sql, params = query.query.sql_with_params()
    assert list(params[-n:]) == marks, params
    _PEOPLE_PATHS[n] = (sql, list(params))
    return sql, list(params)


def _now():
    return timezone.now()


# --- what each record touches: (paths, earliest dates) -------------------------------------------------------


def _proposal_facts(proposal_id):
    from proposals.models import Proposal

    if not proposal_id:
        return None, None
    row = Proposal.objects.filter(pk=proposal_id).values_list("area_path", "created_at").first()
    return row or (None, None)


def _project_span(project) -> tuple[list[str], list]:
    """A project's records count under its area and its proposal's, from the proposal's or project's start."""
    path, created = _proposal_facts(project.proposal_id)
    return [project.area_path, path or ""], [project.created_at, created]


# Fields a proposal's figures read; a save that changes none of them (a counter) changes no figure.
PROPOSAL_FIELDS = (
    "state",
    "published_at",
    "qualified_at",
    "first_answered_at",
    "response_due",
    "channel",
    "actor_kind",
    "organisation_id",
    "is_hidden",
    "area_path",
    "author_id",
    "closed_at",
)
OVERDUE_FIELDS = ("state", "first_answered_at", "response_due", "is_hidden", "area_path")


def _remember(fields):
    def remember(sender, instance, **kwargs):
        loaded = instance.__dict__
        instance._scorecard_before = {name: loaded[name] for name in fields if name in loaded}

    return remember


def _changed(row, fields) -> bool:
    """Whether a save changed any of `fields` since the row was read (a new or deleted row: yes). Only
    what is loaded is compared, so a row read with `.only(...)` costs no query here."""
    before = getattr(row, "_scorecard_before", None)
    if before is None or getattr(row, "_scorecard_new", False):
        return True
    loaded = row.__dict__
    return any(name in loaded and (name not in before or before[name] != loaded[name]) for name in fields)


def _proposal(row, deleted=False) -> None:
    if not deleted and not _changed(row, PROPOSAL_FIELDS):
        return
    before = getattr(row, "_scorecard_before", None) or {}
    loaded = row.__dict__
    paths = [loaded.get("area_path") or "", before.get("area_path") or ""]
    published = loaded.get("published_at")
    people = []
    if published is not None and before.get("published_at") != published:
        people = _people_paths(loaded.get("author_id"))  # published online: the author took part
    bump_area([*paths, *people], [loaded.get("created_at"), before.get("published_at"), published])
    if _overdue_moved(row, before, deleted):
        pagecache.bump(*(f"scorecard-now:{code}" for code in _codes(paths)))
    row._scorecard_before = {name: loaded[name] for name in PROPOSAL_FIELDS if name in loaded}
    row._scorecard_new = False


def _is_overdue(values: dict) -> bool:
    from proposals import lifecycle

    due = values.get("response_due")
    return (
        values.get("state") in lifecycle.OPEN_FOR_ANSWER
        and values.get("first_answered_at") is None
        and not values.get("is_hidden")
        and due is not None
        and due < timezone.localdate()
    )


def _overdue_moved(row, before: dict, deleted: bool) -> bool:
    """Whether "overdue now" changes: the proposal starts or stops being overdue, or moves while it is."""
    loaded = row.__dict__
    if getattr(row, "_scorecard_new", False) or deleted:
        return _is_overdue(loaded)
    if any(name in loaded and name not in before for name in OVERDUE_FIELDS):
        return True  # not read before: cannot tell
    now = {name: loaded.get(name, before.get(name)) for name in OVERDUE_FIELDS}
    was, is_ = _is_overdue(before), _is_overdue(now)
    return was != is_ or (is_ and before.get("area_path") != now["area_path"])


def _participant(row) -> None:
    """A co-signature or a ballot: it counts only as taking part."""
    bump_area(_people_paths(row.user_id), [row.created_at])


def _cosponsor(row) -> None:
    bump_area([row.proposal.area_path], [row.created_at])


def _session_path(session) -> str:
    return _council_path(session.council_id)


def _council_path(council_id) -> str:
    from civic.models import Area

    return Area.objects.filter(councils__pk=council_id).values_list("path", flat=True).first() or ""


# Fields of a session its figures read; the engine's save after each command of a live meeting changes
# only `phase` among them, and only when the session opens or ends.
SESSION_FIELDS = ("starts_at", "phase", "council_id")


def _session(row, deleted=False) -> None:
    if not deleted and not _changed(row, SESSION_FIELDS):
        return  # a step of the live meeting (its records say what it did: `_session_record`)
    before = getattr(row, "_scorecard_before", {}) or {}
    paths = [_session_path(row)]
    if before.get("council_id") not in (None, row.council_id):
        paths.append(_council_path(before["council_id"]))
    bump_area(paths, [row.starts_at, before.get("starts_at")])
    loaded = row.__dict__
    row._scorecard_before = {name: loaded[name] for name in SESSION_FIELDS if name in loaded}
    row._scorecard_new = False


RECORDED = {"result_announced", "point_of_order", "ruling", "floor_granted", "cast_vote"}


def _session_record(row) -> None:
    payload = row.payload if isinstance(row.payload, dict) else {}
    kind = payload.get("type")
    if kind not in RECORDED:
        return
    session = row.session
    paths = [_session_path(session)]
    member = payload.get("actor") if row.kind == "command" else payload.get("member")
    if kind in ("floor_granted", "cast_vote") and str(member or "").isdigit():
        paths += _people_paths(int(member))
    bump_area(paths, [session.starts_at, row.created_at])


def _minutes(row) -> None:
    bump_area([_session_path(row.session)], [row.session.starts_at])


def _verification(row) -> None:
    from civic.models import Area

    path = Area.objects.filter(pk=row.cell_id).values_list("path", flat=True).first() or ""
    bump_area([path], [row.created_at, row.decided_at])


def _notice(row) -> None:
    bump_area([row.area_path], [row.decided_at, row.published_at])


def _project(row) -> None:
    paths, since = _project_span(row)
    before = getattr(row, "_scorecard_before", {}) or {}
    bump_area([*paths, before.get("area_path") or ""], since)


def _of_project(row) -> None:
    """A record of a project (commitment, inspection, ledger entry, award objection): the project's span."""
    project = row.award.project if hasattr(row, "award_id") and not hasattr(row, "project_id") else row.project
    paths, since = _project_span(project)
    bump_area(paths, [*since, getattr(row, "answer_due", None)])


def _rating(row) -> None:
    paths, since = _project_span(row.project)
    bump_area([*paths, *_people_paths(row.user_id)], [*since, row.created_at])


def _consultation(row) -> None:
    before = getattr(row, "_scorecard_before", {}) or {}
    bump_area([row.area_path, before.get("area_path") or ""], [row.created_at, row.opens_at, before.get("opens_at")])


def _of_consultation(row) -> None:
    consultation = row.consultation
    bump_area([consultation.area_path], [consultation.created_at, consultation.opens_at])


def _report(row) -> None:
    before = getattr(row, "_scorecard_before", {}) or {}
    bump_area([row.area_path, before.get("area_path") or ""], [row.submitted_at, before.get("submitted_at")])


def _of_report(row) -> None:
    report = row.report
    bump_area([report.area_path], [report.submitted_at])


# Writes made through `QuerySet.update` in apps that do not know the scorecard (nothing imports it): their
# audit line, written in the same transaction, names what changed.
UPDATED_BY_AUDIT = {"consultation.opinion_answered", "consultation.group_answered"}


def _audit(row) -> None:
    if row.action not in UPDATED_BY_AUDIT or not row.object_id.isdigit():
        return
    from consultations.models import Consultation, Opinion

    model = row.content_type.model_class() if row.content_type_id else None
    if model is Opinion:
        found = Opinion.objects.filter(pk=row.object_id).values_list(
            "consultation__area_path", "consultation__created_at", "consultation__opens_at"
        )
    elif model is Consultation:
        found = Consultation.objects.filter(pk=row.object_id).values_list("area_path", "created_at", "opens_at")
    else:
        return
    for path, created, opens in found:
        bump_area([path], [created, opens])


def bump_row(row) -> None:
    """For a write through `QuerySet.update` (no signal): bump what `row`, as it now is, is counted in."""
    handler = _HANDLERS.get(type(row))
    if handler is not None:
        handler(row)


_HANDLERS: dict = {}


def _connect(model, handler, remember: tuple[str, ...] = ()) -> None:
    label = model._meta.label
    _HANDLERS[model] = handler
    if remember:
        post_init.connect(_remember(remember), sender=model, weak=False, dispatch_uid=f"scorecard-init-{label}")

    def saved(sender, instance, created=False, **kwargs):
        instance._scorecard_new = created
        handler(instance)

    def deleted(sender, instance, **kwargs):
        if handler in (_proposal, _session):
            handler(instance, deleted=True)
        else:
            handler(instance)

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"scorecard-save-{label}")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"scorecard-delete-{label}")


def watch() -> None:
    from casework.models import Category as CaseworkCategory
    from casework.models import Report, ReportEvent, ReportRating
    from civic.models import AuditEntry, CalendarDay, OutcomeNotice, ResidencyVerification
    from consultations.models import Consultation, Opinion, Symposium
    from deliberation.models import BallotBox, Minutes, Participation, Session, SessionRecord
    from funding.models import AwardObjection, Commitment, Inspection, LedgerEntry, MicroProject, SatisfactionRating
    from proposals.models import CoSponsor, Endorsement, Proposal

    _connect(Proposal, _proposal, PROPOSAL_FIELDS)
    _connect(Endorsement, _participant)
    _connect(Participation, _participant)
    _connect(CoSponsor, _cosponsor)
    _connect(Session, _session, SESSION_FIELDS)
    _connect(SessionRecord, _session_record)
    _connect(Minutes, _minutes)
    _connect(ResidencyVerification, _verification)
    _connect(OutcomeNotice, _notice)
    _connect(MicroProject, _project, ("area_path",))
    for model in (Commitment, Inspection, LedgerEntry, AwardObjection):
        _connect(model, _of_project)
    _connect(SatisfactionRating, _rating)
    _connect(Consultation, _consultation, ("area_path", "opens_at"))
    for model in (Opinion, Symposium):
        _connect(model, _of_consultation)
    _connect(Report, _report, ("area_path", "submitted_at"))
    for model in (ReportEvent, ReportRating):
        _connect(model, _of_report)
    _connect(AuditEntry, _audit)
    _connect(BallotBox, _box, BOX_FIELDS)
    _connect(CalendarDay, lambda row: pagecache.bump("scorecard-calendar"))
    _connect(CaseworkCategory, lambda row: pagecache.bump("scorecard-labels"))


# --- the open-data index -------------------------------------------------------------------------------------

BOX_FIELDS = ("kind", "state", "title", "tallied_at", "area_path")


def opendata_scopes(code: str | None) -> list[str]:
    """The open-data index of the area with `code` (None: the city): the datasets are fixed; it lists the
    counted participatory budgets under it and the areas below."""
    return [f"opendata:{code or '*'}", "areas"]


def _listed(values: dict) -> bool:
    return values.get("kind") == "budget" and values.get("state") == "tallied"


def _box(row) -> None:
    """A participatory budget counted (or no longer), or a counted one renamed or moved: a vote changes
    none of it, and a box that is not a counted budget is not listed."""
    loaded = row.__dict__
    before = getattr(row, "_scorecard_before", None) or {}
    new = getattr(row, "_scorecard_new", False)
    unknown = any(name in loaded and name not in before for name in BOX_FIELDS)
    after = {name: loaded.get(name, before.get(name)) for name in BOX_FIELDS}
    was = False if new else _listed(before)
    if unknown or was != _listed(after) or (_listed(after) and _changed(row, BOX_FIELDS)):
        paths = [after["area_path"] or "", before.get("area_path") or ""]
        pagecache.bump(*(f"opendata:{code}" for code in _codes(paths)))
    row._scorecard_before = {name: loaded[name] for name in BOX_FIELDS if name in loaded}
    row._scorecard_new = False


# --- until when a page holds without a write -----------------------------------------------------------------


def valid_until(area, period):
    """The next local midnight (answers, sessions, objections and decisions fall overdue by the day), or
    sooner the next small-matter time limit to pass among the reports the period counts (the rates count
    a report once its limit has passed). Asked inside the `one_computation` that read the page's numbers,
    the kept numbers know it (`selectors.numbers.kept_until`: no query); else one query."""
    from django.db.models import Min, Q

    from casework import rates
    from casework.models import Report

    from .selectors.numbers import kept_until

    if (kept := kept_until()) is not None:
        return kept
    now = timezone.now()
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = period.bounds()
    reports = rates.counted(Report.objects.all(), start, end).filter(clock_stopped_at__isnull=True)
    if area is not None:
        reports = reports.filter(area_path__startswith=area.path)
    found = reports.aggregate(
        response=Min("response_due", filter=Q(response_due__gt=now)),
        handling=Min("handling_due", filter=Q(handling_due__gt=now)),
    )
    return min([midnight, *(moment for moment in found.values() if moment is not None)])


def is_future(period) -> bool:
    """A period that has not begun: not kept (nothing is dated in it yet, and it is rarely asked for)."""
    today: date = timezone.localdate()
    return period.start > today
