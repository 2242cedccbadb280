"""Open data: the datasets anyone may download for an area (and everything under it) or the whole city.

Each dataset names its fields with their type, meaning and an example (the documentation page and
docs/open-data.md are generated from these definitions, so they cannot drift apart), reads its records
with one query per chunk of rows (plus a fixed few per chunk where a dataset needs a second table), and
turns each record into a plain row of documented fields.

What is never exported: e-mail addresses, phone numbers, residency verification (addresses, cells, proofs),
who endorsed, voted or rated what, drafts and anything hidden by moderation. People appear only by the
public display name the platform already shows next to what they did in public (an author, an official).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from civic.exports import spreadsheet_text
from civic.models import Area, OutcomeNotice
from civic.selectors import published_within_deadline
from deliberation.models import AgendaItem, BallotBox, BallotOption, BoxKind, BoxState, SessionRecord
from funding.models import Inspection, InspectionResult, MicroProject, SubsidyAward
from funding.selectors import entries_for_export
from funding.views.ledger import EXPORT_FIELDS as LEDGER_FIELDS
from funding.views.ledger import export_row as ledger_export_row
from proposals.models import OfficialAnswer, Proposal, ProposalState
from proposals.selectors import effective_state

CHUNK = 2000
CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")

# Field types, as the documentation names them; `format_value` turns a value of each into JSON and CSV.
TYPES = {
    "integer": gettext_lazy("whole number"),
    "text": gettext_lazy("text"),
    "money": gettext_lazy("yuan, a string with two decimals"),
    "decimal": gettext_lazy("number as a string with two decimals"),
    "share": gettext_lazy("share between 0 and 1, a string with four decimals"),
    "boolean": gettext_lazy("true or false"),
    "date": gettext_lazy("date, YYYY-MM-DD"),
    "datetime": gettext_lazy("date and time, ISO 8601 with the UTC offset"),
    "url": gettext_lazy("web address"),
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: Promise | str
    example: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise | str
    description: Promise | str
    fields: tuple[Field, ...]
    queryset: Callable[[Area | None], QuerySet]
    row: Callable[[Any, dict], dict]
    # Reads what a chunk of records needs from a second table, in a fixed number of queries; its result
    # reaches `row` in the context under "extra".
    prepare: Callable[[list], Any] | None = None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def format_rows(self, records: Iterable, base_url: str = "") -> list[dict]:
        """Documented rows (raw values) for a list of records: one chunk."""
        records = list(records)
        context = {"base_url": base_url, "extra": self.prepare(records) if self.prepare else None}
        return [self.row(record, context) for record in records]

    def rows(self, area: Area | None, base_url: str = "") -> Iterator[dict]:
        """Every row of the area (None: the whole city), read in chunks so that 10,000 rows never sit in
        memory at once."""
        records = self.queryset(area).iterator(chunk_size=CHUNK)
        while chunk := list(islice(records, CHUNK)):
            yield from self.format_rows(chunk, base_url)


# --- formatting ----------------------------------------------------------------------------------------------


def _quantize(value, step: Decimal) -> str:
    return str(Decimal(value).quantize(step, ROUND_HALF_UP))


def format_value(kind: str, value):
    """A value as JSON carries it: money, decimals and shares as strings, moments in ISO 8601 with the
    local offset (Asia/Shanghai), missing values as None."""
    if value is None or value == "":
        return "" if kind in ("text", "url") else None
    if kind in ("money", "decimal"):
        return value if isinstance(value, str) else _quantize(value, CENT)
    if kind == "share":
        return value if isinstance(value, str) else _quantize(value, TEN_THOUSANDTH)
    if kind == "datetime":
        if isinstance(value, datetime):
            return timezone.localtime(value).isoformat(timespec="seconds")
        return str(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "boolean":
        return bool(value)
    if kind == "integer":
        return int(value)
    return str(value)


def json_row(dataset: Dataset, row: dict) -> dict:
    return {f.name: format_value(f.type, row.get(f.name)) for f in dataset.fields}


def csv_cells(dataset: Dataset, row: dict) -> list:
    cells = []
    for f in dataset.fields:
        value = format_value(f.type, row.get(f.name))
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif f.type == "text" and isinstance(value, str):
            value = spreadsheet_text(value)
        cells.append(value)
    return cells


# --- helpers -----------------------------------------------------------------------------------------------


def _within(queryset: QuerySet, lookup: str, area: Area | None) -> QuerySet:
    """Records of `area` and every area under it (a prefix test on the materialised path)."""
    return queryset if area is None else queryset.filter(**{f"{lookup}__startswith": area.path})


def public_name(pk, display_name) -> str:
    """The name the platform shows for a person (see User.public_name), from two columns only."""
    if pk is None:
        return ""
    return display_name or _("Resident %(number)s") % {"number": pk}


def _url(context: dict, path: str) -> str:
    return context["base_url"] + path


def _ratio(part, whole, step: Decimal):
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(step, ROUND_HALF_UP)


# --- proposals ---------------------------------------------------------------------------------------------


def public_proposals() -> QuerySet[Proposal]:
    """What the public list shows: never drafts, never what moderation hid."""
    return Proposal.objects.filter(is_hidden=False).exclude(state=ProposalState.DRAFT)


def _proposals(area):
    return (
        _within(public_proposals(), "area_path", area)
        .order_by("published_at", "id")
        .values(
            "id",
            "title",
            "category__name",
            "area__code",
            "area__name",
            "state",
            "collection_deadline",
            "actor_kind",
            "organisation__name",
            "author_id",
            "author__display_name",
            "channel",
            "published_at",
            "threshold",
            "endorsement_count",
            "comment_count",
            "estimated_cost",
            "response_due",
            "first_answered_at",
            "qualified_at",
            "closed_at",
        )
    )


def _proposal_row(p, context):
    clock = SimpleNamespace(state=p["state"], collection_deadline=p["collection_deadline"])
    return {
        "id": p["id"],
        "title": p["title"],
        "category": p["category__name"],
        "area_code": p["area__code"],
        "area_name": p["area__name"],
        "state": effective_state(clock, context.setdefault("now", timezone.now())),
        "actor_kind": p["actor_kind"],
        "organisation": p["organisation__name"] or "",
        "author": public_name(p["author_id"], p["author__display_name"]),
        "channel": p["channel"],
        "published_at": p["published_at"],
        "threshold": p["threshold"],
        "endorsement_count": p["endorsement_count"],
        "comment_count": p["comment_count"],
        "estimated_cost": p["estimated_cost"],
        "response_due": p["response_due"],
        "first_answered_at": p["first_answered_at"],
        "qualified_at": p["qualified_at"],
        "closed_at": p["closed_at"],
        "url": _url(context, reverse("proposal-detail", args=[p["id"]])),
    }


PROPOSALS = Dataset(
    name="proposals",
    title=gettext_lazy("Proposals"),
    description=gettext_lazy(
        "Every published proposal with its co-signature and comment counts and the answer deadline. "
        "Drafts and proposals hidden by moderation are left out."
    ),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the proposal on this platform."), "1024"),
        Field("title", "text", gettext_lazy("Title."), "3 栋楼道灯长期不亮"),
        Field("category", "text", gettext_lazy("Category."), "照明品质提升"),
        Field("area_code", "text", gettext_lazy("Code of the area the proposal is about."), "990102001001"),
        Field("area_name", "text", gettext_lazy("Name of that area."), "柳岸社区"),
        Field(
            "state",
            "text",
            gettext_lazy(
                "State as the clock sees it: published, qualified, scheduled, adopted, not_adopted, "
                "in_implementation, done, expired, withdrawn or declined."
            ),
            "qualified",
        ),
        Field(
            "actor_kind",
            "text",
            gettext_lazy(
                "Who proposes: resident, or the kind of the organisation it was made for (enterprise, social, "
                "residents_group, committee, government)."
            ),
            "resident",
        ),
        Field("organisation", "text", gettext_lazy("Organisation it was made for; empty for a resident."), "桂花物业"),
        Field(
            "author",
            "text",
            gettext_lazy(
                "Public display name of the account that wrote it (for a proposal brought in person or by phone, "
                "the staff member who entered it), as the proposal page shows it."
            ),
            "王秀英",
        ),
        Field("channel", "text", gettext_lazy("How it came in: online, in_person or phone."), "online"),
        Field("published_at", "datetime", gettext_lazy("When it was published."), "2026-03-02T09:15:00+08:00"),
        Field("threshold", "integer", gettext_lazy("Co-signatures it needed to qualify."), "30"),
        Field("endorsement_count", "integer", gettext_lazy("Co-signatures it has."), "42"),
        Field("comment_count", "integer", gettext_lazy("Comments it has."), "7"),
        Field("estimated_cost", "money", gettext_lazy("Cost the author estimated, if given."), "12000.00"),
        Field("response_due", "date", gettext_lazy("Date by which an official answer is due."), "2026-03-23"),
        Field(
            "first_answered_at",
            "datetime",
            gettext_lazy("When the first official answer was given; empty if none yet."),
            "2026-03-10T16:40:00+08:00",
        ),
        Field(
            "qualified_at", "datetime", gettext_lazy("When it reached its co-signatures."), "2026-03-05T20:01:00+08:00"
        ),
        Field(
            "closed_at",
            "datetime",
            gettext_lazy("When it was closed (decided, withdrawn, declined or done)."),
            "2026-05-12T11:00:00+08:00",
        ),
        Field("url", "url", gettext_lazy("Its page."), "https://example.org/proposals/1024/"),
    ),
    queryset=_proposals,
    row=_proposal_row,
)


# --- official answers ----------------------------------------------------------------------------------------


def _answers(area):
    answers = OfficialAnswer.objects.filter(proposal__is_hidden=False).exclude(proposal__state=ProposalState.DRAFT)
    return (
        _within(answers, "proposal__area_path", area)
        .order_by("created_at", "id")
        .values(
            "id",
            "proposal_id",
            "proposal__title",
            "proposal__area__code",
            "status",
            "created_at",
            "working_days_taken",
            "on_time",
            "reason",
            "official_id",
            "official__display_name",
            "organisation__name",
        )
    )


def _answer_row(a, context):
    return {
        "id": a["id"],
        "proposal_id": a["proposal_id"],
        "proposal_title": a["proposal__title"],
        "area_code": a["proposal__area__code"],
        "status": a["status"],
        "answered_at": a["created_at"],
        "working_days_taken": a["working_days_taken"],
        "on_time": a["on_time"],
        "text": a["reason"],
        "official": public_name(a["official_id"], a["official__display_name"]),
        "organisation": a["organisation__name"] or "",
    }


ANSWERS = Dataset(
    name="answers",
    title=gettext_lazy("Official answers"),
    description=gettext_lazy("Every official answer to a published proposal, with how many working days it took."),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the answer."), "311"),
        Field("proposal_id", "integer", gettext_lazy("Proposal answered (see the proposals dataset)."), "1024"),
        Field("proposal_title", "text", gettext_lazy("Title of that proposal."), "3 栋楼道灯长期不亮"),
        Field("area_code", "text", gettext_lazy("Code of the proposal's area."), "990102001001"),
        Field(
            "status",
            "text",
            gettext_lazy("The answer: accepted (for deliberation), more_info, declined or planned."),
            "accepted",
        ),
        Field("answered_at", "datetime", gettext_lazy("When it was given."), "2026-03-10T16:40:00+08:00"),
        Field(
            "working_days_taken",
            "integer",
            gettext_lazy("Working days from publication of the proposal to this answer."),
            "6",
        ),
        Field("on_time", "boolean", gettext_lazy("Whether it came within the answer deadline."), "true"),
        Field("text", "text", gettext_lazy("The reasons given, as published."), "已列入街道年度计划……"),
        Field("official", "text", gettext_lazy("Public display name of the official who answered."), "李明"),
        Field("organisation", "text", gettext_lazy("Office the official answered for, if named."), "湖滨街道办事处"),
    ),
    queryset=_answers,
    row=_answer_row,
)


# --- session decisions ----------------------------------------------------------------------------------------


def _decisions(area):
    # A decision is the announced result of a vote on a motion (event "result_announced" in the session's
    # append-only record); only sessions open to watch are published.
    records = SessionRecord.objects.filter(kind="event", payload__type="result_announced", session__public=True)
    return (
        _within(records, "session__council__area__path", area)
        .order_by("session__starts_at", "session_id", "seq", "id")
        .values(
            "id",
            "session_id",
            "session__title",
            "session__starts_at",
            "session__council__name",
            "session__council__area__code",
            "session__council__area__name",
            "session__minutes__published_at",
            "payload",
            "created_at",
        )
    )


def _agenda(records):
    sessions = {r["session_id"] for r in records}
    items = AgendaItem.objects.filter(session_id__in=sessions).values_list(
        "session_id", "position", "title", "proposal_id"
    )
    return {(session, position): (title, proposal) for session, position, title, proposal in items}


def _decision_row(r, context):
    event = r["payload"]
    position = event.get("item")
    title, proposal = context["extra"].get((r["session_id"], position), ("", None))
    return {
        "id": r["id"],
        "session_id": r["session_id"],
        "session_title": r["session__title"],
        "council": r["session__council__name"],
        "area_code": r["session__council__area__code"],
        "area_name": r["session__council__area__name"],
        "session_date": r["session__starts_at"],
        "agenda_position": position + 1 if isinstance(position, int) else None,
        "agenda_item": title,
        "proposal_id": proposal,
        "motion_kind": event.get("kind", ""),
        "motion_text": event.get("text") or "",
        "adopted": event.get("adopted"),
        "yes": event.get("yes"),
        "no": event.get("no"),
        "abstain": event.get("abstain"),
        "present": event.get("present"),
        "threshold": event.get("threshold", ""),
        "announced_at": r["created_at"],
        "minutes_published_at": r["session__minutes__published_at"],
        "minutes_url": _url(context, reverse("session-minutes", args=[r["session_id"]]))
        if r["session__minutes__published_at"]
        else "",
    }


DECISIONS = Dataset(
    name="decisions",
    title=gettext_lazy("Council session decisions"),
    description=gettext_lazy(
        "Every result the chair announced in a council session open to the public: the motion, the agenda "
        "item and the votes for, against and abstaining. How each member voted is not included."
    ),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the decision in the session records."), "5120"),
        Field("session_id", "integer", gettext_lazy("Number of the session."), "18"),
        Field("session_title", "text", gettext_lazy("Title of the session."), "柳岸社区议事会 3 月例会"),
        Field("council", "text", gettext_lazy("Council that met."), "柳岸社区议事会"),
        Field("area_code", "text", gettext_lazy("Code of the council's area."), "990102001001"),
        Field("area_name", "text", gettext_lazy("Name of that area."), "柳岸社区"),
        Field(
            "session_date",
            "datetime",
            gettext_lazy("When the session was scheduled to start."),
            "2026-03-20T19:00:00+08:00",
        ),
        Field("agenda_position", "integer", gettext_lazy("Agenda item number, from 1."), "2"),
        Field("agenda_item", "text", gettext_lazy("Title of the agenda item."), "3 栋楼道灯更换"),
        Field("proposal_id", "integer", gettext_lazy("Proposal on the agenda item, if any."), "1024"),
        Field(
            "motion_kind",
            "text",
            gettext_lazy("Kind of motion: main, amend, previous_question, refer, postpone, recess or adjourn."),
            "main",
        ),
        Field("motion_text", "text", gettext_lazy("Text of the motion as voted."), "同意更换 3 栋楼道灯"),
        Field("adopted", "boolean", gettext_lazy("Whether the motion was adopted."), "true"),
        Field("yes", "integer", gettext_lazy("Votes for."), "9"),
        Field("no", "integer", gettext_lazy("Votes against."), "2"),
        Field("abstain", "integer", gettext_lazy("Abstentions."), "1"),
        Field("present", "integer", gettext_lazy("Members entitled to vote (present when the vote opened)."), "12"),
        Field(
            "threshold",
            "text",
            gettext_lazy(
                "Votes the motion needed: majority_cast (more yes than no), two_thirds_cast (two thirds of yes and "
                "no) or majority_present (more than half of those present)."
            ),
            "majority_cast",
        ),
        Field(
            "announced_at",
            "datetime",
            gettext_lazy("When the chair announced the result."),
            "2026-03-20T20:12:00+08:00",
        ),
        Field(
            "minutes_published_at",
            "datetime",
            gettext_lazy("When the minutes of the session were published; empty if not yet."),
            "2026-03-22T10:00:00+08:00",
        ),
        Field("minutes_url", "url", gettext_lazy("The published minutes."), "https://example.org/sessions/18/minutes/"),
    ),
    queryset=_decisions,
    row=_decision_row,
    prepare=_agenda,
)


# --- ballot results -------------------------------------------------------------------------------------------


def _ballots(area):
    options = BallotOption.objects.filter(box__state=BoxState.TALLIED)
    return (
        _within(options, "box__area_path", area)
        .order_by("box__tallied_at", "box_id", "position", "id")
        .values(
            "box_id",
            "box__title",
            "box__kind",
            "box__area__code",
            "box__area__name",
            "box__rule",
            "box__budget",
            "box__turnout",
            "box__eligible_count",
            "box__tallied_at",
            "project_id",
            "title",
            "cost",
            "proposal_id",
        )
    )


def _results(records):
    # A box's stored result is read once per chunk, not once per option.
    boxes = {r["box_id"] for r in records}
    return dict(BallotBox.objects.filter(pk__in=boxes).values_list("pk", "result"))


def _ballot_row(o, context):
    result = context["extra"].get(o["box_id"]) or {}
    kind = o["box__kind"]
    option = o["project_id"]
    quorum_met = None
    if kind == BoxKind.QUESTION:
        votes = (result.get("votes") or {}).get(option)
        selected = option in (result.get("selected") or [])
        quorum_met = result.get("quorum_met")
    else:
        counted = next((x for x in result.get("options", []) if x.get("project_id") == option), {})
        votes = counted.get("votes")
        selected = bool(counted.get("selected")) if counted else option in (result.get("selected") or [])
    budget = kind == BoxKind.BUDGET
    return {
        "ballot_id": o["box_id"],
        "ballot_title": o["box__title"],
        "kind": kind,
        "area_code": o["box__area__code"],
        "area_name": o["box__area__name"],
        "rule": o["box__rule"] if budget else "",
        "budget": o["box__budget"] if budget else None,
        "turnout": o["box__turnout"],
        "eligible": o["box__eligible_count"],
        "quorum_met": quorum_met,
        "tallied_at": o["box__tallied_at"],
        "option_id": option,
        "option_title": o["title"],
        "option_cost": o["cost"] if budget else None,
        "proposal_id": o["proposal_id"],
        "votes": votes,
        "selected": selected,
        "pb_url": _url(context, reverse("ballot-export", args=[o["box_id"]])) if budget else "",
    }


BALLOTS = Dataset(
    name="ballots",
    title=gettext_lazy("Ballot results"),
    description=gettext_lazy(
        "The published results of community votes, one row per option of each counted ballot. Participatory "
        "budgets also come as a pabulib .pb file with the anonymous ballots, so anyone can count again."
    ),
    fields=(
        Field("ballot_id", "integer", gettext_lazy("Number of the ballot."), "7"),
        Field("ballot_title", "text", gettext_lazy("Title of the ballot."), "2026 年湖滨街道微更新预算"),
        Field(
            "kind",
            "text",
            gettext_lazy("question (yes / no), approval (choice among options) or budget (participatory budget)."),
            "budget",
        ),
        Field("area_code", "text", gettext_lazy("Code of the area that voted."), "990102001"),
        Field("area_name", "text", gettext_lazy("Name of that area."), "湖滨街道"),
        Field(
            "rule",
            "text",
            gettext_lazy("Counting rule of a budget: greedy, mes or mes-add1 (Method of Equal Shares with Add1)."),
            "mes-add1",
        ),
        Field("budget", "money", gettext_lazy("Budget to share out (budget ballots)."), "500000.00"),
        Field("turnout", "integer", gettext_lazy("Ballots cast."), "1312"),
        Field("eligible", "integer", gettext_lazy("Residents entitled to vote at the close."), "5200"),
        Field(
            "quorum_met",
            "boolean",
            gettext_lazy("For a question: whether enough residents voted; empty otherwise."),
            "true",
        ),
        Field("tallied_at", "datetime", gettext_lazy("When the results were published."), "2026-04-30T20:00:05+08:00"),
        Field(
            "option_id", "text", gettext_lazy("The option: its project id, or yes / no / abstain for a question."), "3"
        ),
        Field("option_title", "text", gettext_lazy("Title of the option."), "桂花小广场健身器材"),
        Field("option_cost", "money", gettext_lazy("Cost of the option (budget ballots)."), "86000.00"),
        Field("proposal_id", "integer", gettext_lazy("Proposal behind the option, if any."), "1024"),
        Field("votes", "integer", gettext_lazy("Votes (approvals) the option received."), "688"),
        Field("selected", "boolean", gettext_lazy("Whether the option won (a question: yes passed)."), "true"),
        Field(
            "pb_url",
            "url",
            gettext_lazy("The ballot as a pabulib .pb file (budget ballots)."),
            "https://example.org/ballots/7/export.pb",
        ),
    ),
    queryset=_ballots,
    row=_ballot_row,
    prepare=_results,
)


# --- micro-projects ------------------------------------------------------------------------------------------


def _projects(area):
    accepted = (
        # The latest accepted inspection gives the verified cost and the acceptance score.
        Inspection.objects.filter(project=OuterRef("pk"), result=InspectionResult.ACCEPTED).order_by(
            "-signed_at", "-id"
        )
    )
    return (
        _within(MicroProject.objects.all(), "area_path", area)
        .annotate(
            verified_cost=Subquery(accepted.values("verified_cost")[:1]),
            acceptance_score=Subquery(accepted.values("score")[:1]),
            ratings_count=Count("ratings"),
            ratings_satisfied=Count("ratings", filter=Q(ratings__level__gte=3)),
            ratings_sum=Sum("ratings__level"),
            implementer_name=F("implementer__name"),
        )
        .order_by("created_at", "id")
        .values(
            "id",
            "title",
            "area__code",
            "area__name",
            "proposal_id",
            "implementer_name",
            "state",
            "budget",
            "planned_start",
            "planned_end",
            "started_at",
            "completed_at",
            "accepted_at",
            "closed_at",
            "verified_cost",
            "acceptance_score",
            "ratings_count",
            "ratings_satisfied",
            "ratings_sum",
        )
    )


def _project_row(p, context):
    total = p["ratings_count"]
    return {
        "id": p["id"],
        "title": p["title"],
        "area_code": p["area__code"],
        "area_name": p["area__name"],
        "proposal_id": p["proposal_id"],
        "implementer": p["implementer_name"],
        "state": p["state"],
        "budget": p["budget"],
        "planned_start": p["planned_start"],
        "planned_end": p["planned_end"],
        "started_at": p["started_at"],
        "completed_at": p["completed_at"],
        "accepted_at": p["accepted_at"],
        "closed_at": p["closed_at"],
        "verified_cost": p["verified_cost"],
        "acceptance_score": p["acceptance_score"],
        "ratings_count": total,
        "satisfaction_rate": _ratio(p["ratings_satisfied"], total, TEN_THOUSANDTH),
        "average_rating": _ratio(p["ratings_sum"] or 0, total, CENT),
        "url": _url(context, reverse("project-detail", args=[p["id"]])),
    }


PROJECTS = Dataset(
    name="projects",
    title=gettext_lazy("Micro-projects"),
    description=gettext_lazy(
        "Every micro-project: who builds it, its budget and dates, the cost verified at acceptance and what "
        "residents think of it. Individual ratings are not included, only their count and summary."
    ),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the project."), "56"),
        Field("title", "text", gettext_lazy("Title."), "3 栋楼道灯更换"),
        Field("area_code", "text", gettext_lazy("Code of the project's area."), "990102001001"),
        Field("area_name", "text", gettext_lazy("Name of that area."), "柳岸社区"),
        Field("proposal_id", "integer", gettext_lazy("Proposal it carries out, if any."), "1024"),
        Field("implementer", "text", gettext_lazy("Organisation that carries it out."), "柳岸社区服务中心"),
        Field(
            "state",
            "text",
            gettext_lazy("planned, in_progress, completed, accepted, closed, suspended or cancelled."),
            "accepted",
        ),
        Field("budget", "money", gettext_lazy("Approved budget."), "120000.00"),
        Field("planned_start", "date", gettext_lazy("Planned start."), "2026-05-06"),
        Field("planned_end", "date", gettext_lazy("Planned end."), "2026-07-05"),
        Field("started_at", "datetime", gettext_lazy("When work started."), "2026-05-08T09:00:00+08:00"),
        Field(
            "completed_at",
            "datetime",
            gettext_lazy("When the implementer reported completion."),
            "2026-06-28T17:30:00+08:00",
        ),
        Field(
            "accepted_at",
            "datetime",
            gettext_lazy("When it passed the acceptance inspection."),
            "2026-07-03T10:00:00+08:00",
        ),
        Field("closed_at", "datetime", gettext_lazy("When it was closed."), "2026-09-01T10:00:00+08:00"),
        Field("verified_cost", "money", gettext_lazy("Cost verified at the latest accepted inspection."), "116500.00"),
        Field("acceptance_score", "decimal", gettext_lazy("Score of that inspection, out of 100."), "92.50"),
        Field("ratings_count", "integer", gettext_lazy("Residents' satisfaction ratings received."), "48"),
        Field(
            "satisfaction_rate",
            "share",
            gettext_lazy("Ratings of 3 to 5 (very satisfied, satisfied, fairly satisfied) ÷ all ratings."),
            "0.8750",
        ),
        Field(
            "average_rating",
            "decimal",
            gettext_lazy("Average rating, 5 = very satisfied … 1 = very dissatisfied, rounded half up."),
            "4.21",
        ),
        Field("url", "url", gettext_lazy("Its page."), "https://example.org/projects/56/"),
    ),
    queryset=_projects,
    row=_project_row,
)


# --- subsidy awards ---------------------------------------------------------------------------------------------


def _awards(area):
    return (
        _within(SubsidyAward.objects.all(), "project__area_path", area)
        .order_by("computed_at", "id")
        .values(
            "id",
            "project_id",
            "project__title",
            "project__area__code",
            "stage",
            "status",
            "base",
            "amount",
            "payout",
            "recovery",
            "policy__area__code",
            "policy__version",
            "computed_at",
            "notice_until",
            "objections_until",
            "approved_at",
            "charge_area__code",
            "charge_year",
        )
    )


def _award_row(a, context):
    return {
        "id": a["id"],
        "project_id": a["project_id"],
        "project_title": a["project__title"],
        "area_code": a["project__area__code"],
        "stage": a["stage"],
        "status": a["status"],
        "base": a["base"],
        "amount": a["amount"],
        "payout": a["payout"],
        "recovery": a["recovery"],
        "policy_area_code": a["policy__area__code"],
        "policy_version": a["policy__version"],
        "computed_at": a["computed_at"],
        "notice_until": a["notice_until"],
        "objections_until": a["objections_until"],
        "approved_at": a["approved_at"],
        "charge_area_code": a["charge_area__code"],
        "charge_year": a["charge_year"],
        "url": _url(context, reverse("award-detail", args=[a["id"]])),
    }


AWARDS = Dataset(
    name="awards",
    title=gettext_lazy("Subsidy awards"),
    description=gettext_lazy(
        "Every incentive-for-subsidy award (以奖代补) computed for a project, as noticed to the public, "
        "including those recomputed after an objection or cancelled."
    ),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the award."), "31"),
        Field("project_id", "integer", gettext_lazy("Project (see the projects dataset)."), "56"),
        Field("project_title", "text", gettext_lazy("Title of that project."), "3 栋楼道灯更换"),
        Field("area_code", "text", gettext_lazy("Code of the project's area."), "990102001001"),
        Field(
            "stage",
            "text",
            gettext_lazy("provisional (before the work) or settlement (after acceptance)."),
            "settlement",
        ),
        Field(
            "status",
            "text",
            gettext_lazy("notice (under public notice), approved, superseded (recomputed) or cancelled."),
            "approved",
        ),
        Field(
            "base", "money", gettext_lazy("Amount the award was computed on (budget or verified cost)."), "116500.00"
        ),
        Field("amount", "money", gettext_lazy("The award."), "34950.00"),
        Field("payout", "money", gettext_lazy("Left to pay at settlement."), "10950.00"),
        Field("recovery", "money", gettext_lazy("To recover from the implementer at settlement."), "0.00"),
        Field("policy_area_code", "text", gettext_lazy("Area whose subsidy policy was applied."), "990102"),
        Field("policy_version", "integer", gettext_lazy("Version of that policy."), "2"),
        Field(
            "computed_at",
            "datetime",
            gettext_lazy("When it was computed and put under notice."),
            "2026-07-06T09:00:00+08:00",
        ),
        Field("notice_until", "datetime", gettext_lazy("End of the public notice."), "2026-07-13T09:00:00+08:00"),
        Field(
            "objections_until", "datetime", gettext_lazy("End of the objection window."), "2026-07-13T09:00:00+08:00"
        ),
        Field(
            "approved_at", "datetime", gettext_lazy("When it was approved; empty if not."), "2026-07-14T15:00:00+08:00"
        ),
        Field(
            "charge_area_code",
            "text",
            gettext_lazy("Area whose yearly cap the award is charged to (the policy's own area)."),
            "990102",
        ),
        Field("charge_year", "integer", gettext_lazy("Year it is charged to (set on approval)."), "2026"),
        Field("url", "url", gettext_lazy("Its page, with how it was computed."), "https://example.org/awards/31/"),
    ),
    queryset=_awards,
    row=_award_row,
)


# --- the ledger (the public ledger's own export rows) ---------------------------------------------------------


def _ledger(area):
    return entries_for_export(area=area)


def _ledger_row(row, context):
    return ledger_export_row(row)


LEDGER = Dataset(
    name="ledger",
    title=gettext_lazy("Ledger entries"),
    description=gettext_lazy(
        "The append-only money ledger of the area's projects, in signed yuan: commitments, receipts, awards, "
        "advances, settlements and recoveries. A correction is a new entry with the opposite amount."
    ),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the entry."), "904"),
        Field("recorded_at", "datetime", gettext_lazy("When it was recorded."), "2026-07-15T10:02:11.402000+08:00"),
        Field("project_id", "integer", gettext_lazy("Project (see the projects dataset)."), "56"),
        Field("project_title", "text", gettext_lazy("Title of that project."), "3 栋楼道灯更换"),
        Field(
            "area_code",
            "text",
            gettext_lazy("Area charged: the project's area for commitments and receipts, the policy area otherwise."),
            "990102",
        ),
        Field("year", "integer", gettext_lazy("Year charged."), "2026"),
        Field(
            "kind",
            "text",
            gettext_lazy("commitment, receipt, award, advance, settlement, recovery_due or recovery."),
            "advance",
        ),
        Field("amount", "money", gettext_lazy("Amount in yuan; negative for a correction."), "10485.00"),
        Field("condition", "text", gettext_lazy("For an advance: start, midpoint or completion."), "start"),
        Field("reverses_id", "integer", gettext_lazy("Entry this one corrects, if any."), ""),
        Field("memo", "text", gettext_lazy("Memo."), "开工预付"),
    ),
    queryset=_ledger,
    row=_ledger_row,
)


# --- outcome notices -------------------------------------------------------------------------------------------


def _notices(area):
    return (
        _within(OutcomeNotice.objects.all(), "area_path", area)
        .select_related("area")
        .only(
            "id",
            "kind",
            "title",
            "body",
            "source_url",
            "decided_at",
            "published_at",
            "corrects_id",
            "area_path",
            "area__code",
            "area__name",
        )
        .order_by("published_at", "id")
    )


def _timings(notices):
    published_within_deadline(notices)


def _notice_row(n, context):
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "area_code": n.area.code,
        "area_name": n.area.name,
        "decided_at": n.decided_at,
        "published_at": n.published_at,
        "working_days": n.timing.working_days,
        "deadline": n.timing.due,
        "on_time": n.timing.on_time,
        "corrects_id": n.corrects_id,
        "source_url": n.source_url,
        "text": n.body,
        "url": _url(context, reverse("notice-detail", args=[n.pk])),
    }


NOTICES = Dataset(
    name="notices",
    title=gettext_lazy("Outcome notices"),
    description=gettext_lazy(
        "Every notice (公告) published about a decision: answers, session decisions, ballot results, awards and "
        "payments, with how many working days publication took."
    ),
    fields=(
        Field("id", "integer", gettext_lazy("Number of the notice."), "77"),
        Field("kind", "text", gettext_lazy("answer, session, ballot, award, payment or other."), "award"),
        Field("title", "text", gettext_lazy("Title."), "3 栋楼道灯更换项目结算奖补公示"),
        Field("area_code", "text", gettext_lazy("Code of the area it concerns."), "990102001001"),
        Field("area_name", "text", gettext_lazy("Name of that area."), "柳岸社区"),
        Field("decided_at", "datetime", gettext_lazy("When the decision was taken."), "2026-07-06T09:00:00+08:00"),
        Field("published_at", "datetime", gettext_lazy("When the notice was published."), "2026-07-07T11:20:00+08:00"),
        Field("working_days", "integer", gettext_lazy("Working days from decision to publication."), "1"),
        Field(
            "deadline",
            "date",
            gettext_lazy("Last day it was due, by the subsidy policy of its area (5 working days without one)."),
            "2026-07-13",
        ),
        Field("on_time", "boolean", gettext_lazy("Whether it was published by that day."), "true"),
        Field("corrects_id", "integer", gettext_lazy("Notice this one corrects, if any."), ""),
        Field("source_url", "text", gettext_lazy("Address of the decision on this platform."), "/awards/31/"),
        Field("text", "text", gettext_lazy("Text of the notice."), "经验收合格……"),
        Field("url", "url", gettext_lazy("Its page."), "https://example.org/notices/77/"),
    ),
    queryset=_notices,
    row=_notice_row,
    prepare=_timings,
)


DATASETS: dict[str, Dataset] = {
    d.name: d for d in (PROPOSALS, ANSWERS, DECISIONS, BALLOTS, PROJECTS, AWARDS, LEDGER, NOTICES)
}


def dataset(name: str) -> Dataset | None:
    return DATASETS.get(name)


def filename(area: Area | None, name: str, fmt: str) -> str:
    return f"{area.code if area else 'city'}-{name}.{fmt}"


def budget_ballots(area: Area | None):
    """Counted participatory budgets of the area, for their .pb files (one query)."""
    boxes = BallotBox.objects.filter(kind=BoxKind.BUDGET, state=BoxState.TALLIED)
    return _within(boxes, "area_path", area).select_related("area").order_by("-tallied_at", "-id")


# --- documentation ---------------------------------------------------------------------------------------------


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def fields_markdown() -> str:
    """The field tables of docs/open-data.md, generated from the definitions above (in English)."""
    out = []
    with override(None):
        for d in DATASETS.values():
            out.append(f"### `{d.name}`: {d.title}\n")
            out.append(f"{d.description}\n")
            out.append("| Field | Type | Meaning | Example |")
            out.append("|---|---|---|---|")
            for f in d.fields:
                example = f"`{_cell(f.example)}`" if f.example else ""
                out.append(f"| `{f.name}` | {f.type} | {_cell(f.meaning)} | {example} |")
            out.append("")
    return "\n".join(out)


def ledger_fields_agree() -> bool:
    """The ledger dataset documents exactly the fields the public ledger's export writes."""
    return LEDGER.field_names == list(LEDGER_FIELDS)
