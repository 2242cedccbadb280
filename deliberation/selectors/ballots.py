"""Reads of ballot boxes: which boxes a person may see, the check of a ballot's choices, the count of a box,
what a receipt proves (never a ballot's choices) and the open-data export. Nothing here writes."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic import pagecache, rows
from civic.errors import InvalidInput
from civic.models import Area, AreaRoleKind
from civic.money import format_yuan
from civic.predicates import area_roles_of
from civic.selectors import Decision, covered_by, decision_rows, eligible_people

from .. import counting, pabulib
from ..models import Ballot, BallotBox, BoxKind, BoxState, TurnoutShare

__all__ = [
    "ReceiptStatus",
    "ballot_choices_check",
    "ballot_decisions",
    "ballot_reader_facts",
    "ballot_reader_query",
    "box_for",
    "box_proposal_candidates",
    "box_share_locked",
    "boxes_valid_until",
    "count",
    "imported_source",
    "pb_export",
    "receipt_check",
    "receipt_hash",
    "visible_boxes",
    "with_turnout",
]


# --- which boxes ----------------------------------------------------------------------------------


def visible_boxes(user) -> QuerySet[BallotBox]:
    """The boxes `user` may see: every announced box, and the drafts of the areas they manage (the
    query form of the permission `deliberation.view_box`)."""
    boxes = with_turnout(BallotBox.objects.select_related("area"))
    if getattr(user, "is_superuser", False):
        return boxes
    announced = ~Q(state=BoxState.DRAFT)
    managed = covered_by(user, {AreaRoleKind.OFFICIAL, AreaRoleKind.ORGANISER}, "area_path")
    return boxes.filter(announced if managed is None else announced | managed)


def with_turnout(boxes: QuerySet[BallotBox]) -> QuerySet[BallotBox]:
    """`boxes` with their online ballots' shares read in the same query, so `turnout_now` asks nothing more."""
    shares = TurnoutShare.objects.filter(box=OuterRef("pk")).values("box").annotate(total=Sum("n")).values("total")
    return boxes.annotate(turnout_online=Coalesce(Subquery(shares), 0))


def boxes_valid_until(boxes, now=None):
    """Until when the phases of `boxes` hold without a write: the next opening or closing time still to
    come of an announced box among them (None when none is ahead). A page showing them is rendered afresh
    then."""
    now = now or timezone.now()
    ahead = [
        moment
        for box in boxes
        if box.state == BoxState.SCHEDULED
        for moment in (box.opens_at, box.closes_at)
        if moment is not None and moment > now
    ]
    return min(ahead, default=None)


def _box_with_area(pk, *, share_lock: bool = False) -> BallotBox | None:
    """The box `pk` with its area, as `select_related("area").get(pk=pk)` reads it, in one plain prepared
    statement (every ballot reads its box: building the query costs more than running it), with its online
    turnout (`turnout_online`). With `share_lock`, for a ballot's transaction: the box's row read under a
    shared lock held until the commit (FOR SHARE on PostgreSQL), without the turnout (the ballot adds to it)."""
    pk = rows.key(pk)
    if pk is None:
        return None
    quote = connection.ops.quote_name
    turnout = (
        "NULL"
        if share_lock
        else (f"(SELECT SUM(s.n) FROM {quote(TurnoutShare._meta.db_table)} s WHERE s.box_id = b.id)")
    )
    lock = " FOR SHARE OF b" if share_lock and connection.features.has_select_for_update else ""
    with rows.prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(BallotBox, 'b')}, {rows.columns(Area, 'a')}, {turnout} "
            f"FROM {quote(BallotBox._meta.db_table)} b JOIN {quote(Area._meta.db_table)} a ON a.id = b.area_id "
            f"WHERE b.id = %s{lock}",
            [pk],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    n = rows.width(BallotBox)
    box = rows.build(BallotBox, row[:n])
    box.area = rows.build(Area, row[n:-1])
    if not share_lock:
        box.turnout_online = int(row[-1] or 0)
    return box


def ballot_reader_query(box_pk, me: int) -> tuple[str, list] | None:
    """The query of `ballot_reader_facts` for the reader whose pk is `me` (sql, params): rows (tag, text,
    number). None if `box_pk` cannot be a key."""
    from civic.models import Area, AreaRole, ResidencyVerification, VerificationStatus

    from ..models import Participation

    if (box := rows.key(box_pk)) is None:
        return None
    sql = (
        f"SELECT 'voted', '', id FROM {Participation._meta.db_table} WHERE box_id = %s AND user_id = %s "
        f"UNION ALL SELECT 'verified', a.path, v.id FROM {ResidencyVerification._meta.db_table} v "
        f"JOIN {Area._meta.db_table} a ON a.id = v.cell_id "
        f"WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s "
        f"UNION ALL SELECT 'manages', '', id FROM {AreaRole._meta.db_table} WHERE user_id = %s AND role IN (%s, %s)"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    managing = (AreaRoleKind.OFFICIAL.value, AreaRoleKind.ORGANISER.value)
    return sql, [box, me, me, VerificationStatus.APPROVED.value, now, me, *managing]


def ballot_reader_facts(box_pk: int, user, found_rows: list[tuple] | None = None) -> dict:
    """What one signed-in reader sees of a box's page that others do not, in one plain query (it is asked on
    every signed-in reading of the page all of them share): whether they have voted in it, where they are a
    verified resident (`eligible_in`: the rule of `deliberation.vote`, `civic.selectors.is_eligible`), and
    whether they prepare votes anywhere (`manages`: an official or organiser, whose page has their own
    links). A test holds them equal to the models' answers. `found_rows`: `ballot_reader_query`'s rows,
    already read with the page's own query (pagecache.Part's `reader_rows`)."""
    found: dict[str, list[str]] = {}
    for tag, text, _number in pagecache.reader_rows(found_rows, lambda: ballot_reader_query(box_pk, user.pk)):
        found.setdefault(tag, []).append(text)
    cell = found["verified"][0] if "verified" in found else None  # one approved at a time (a constraint)
    return {
        "voted": "voted" in found,
        "eligible_in": lambda path: cell is not None and cell.startswith(path),
        "manages": "manages" in found or bool(user.is_superuser),
    }


def box_share_locked(pk) -> BallotBox | None:
    """The box `pk` with its area, read in a ballot's transaction under a shared lock of its row held until
    the commit (FOR SHARE on PostgreSQL), taken first: ballots hold it together; closing or counting the box
    (FOR NO KEY UPDATE) waits for them, and they for it. None if there is no such box."""
    return _box_with_area(pk, share_lock=True)


def box_for(user, pk, *, share_lock: bool = False) -> BallotBox | None:
    """The box `pk` if `user` may see it, else None (a draft is not there for anyone but its managers).

    The same rule as `visible_boxes`, asked of the row once it is read: an announced box (what every
    ballot is cast in) costs one query and no look-up of the reader's roles. `share_lock`: read as a
    ballot's transaction reads it (`_box_with_area`)."""
    box = _box_with_area(pk, share_lock=share_lock)
    if box is None:
        return None
    if box.state != BoxState.DRAFT or getattr(user, "is_superuser", False):
        return box
    managing = {AreaRoleKind.OFFICIAL, AreaRoleKind.ORGANISER}
    if any(role in managing and box.area_path.startswith(path) for role, path in area_roles_of(user)):
        return box
    return None


# --- ballots --------------------------------------------------------------------------------------


def receipt_hash(code: str) -> str:
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(f"civic-receipt:{normalised}".encode()).hexdigest()


@dataclass(frozen=True)
class ReceiptStatus:
    """What a receipt proves: the ballot is in this box, and whether the box has been counted. Never what
    the ballot chose: a receipt that showed it would let a voter prove their vote to someone buying or
    forcing it. The voter sees their choice once, on the confirmation page before casting."""

    box: BallotBox
    counted: bool
    closed: bool


def receipt_check(code: str) -> ReceiptStatus | None:
    """The status of the ballot with this receipt code, or None. Reads the box, not the ballot, so no
    choice is even loaded."""
    if not "".join(ch for ch in (code or "") if ch.isalnum()):
        return None
    box = BallotBox.objects.filter(ballots__receipt_hash=receipt_hash(code)).first()
    if box is None:
        return None
    phase = box.phase()
    return ReceiptStatus(box=box, counted=phase == "tallied", closed=phase in ("closed", "tallied"))


# The options of announced boxes, per process: they are fixed once a box leaves its draft (option_add
# refuses otherwise), so what is kept here is exact for as long as the process lives.
_FIXED_OPTIONS: dict[tuple, dict] = {}


def options_of(box: BallotBox) -> dict:
    """The options of `box` by project id; read once per process once the box is announced."""
    key = (box.pk, box.created_at)  # a number reused (a database restored, a test rolled back) is another box
    kept = _FIXED_OPTIONS.get(key)
    if kept is not None:
        return kept
    options = {o.project_id: o for o in box.options.all()}
    if box.state != BoxState.DRAFT:
        _FIXED_OPTIONS[key] = options
    return options


def ballot_choices_check(box: BallotBox, choices: list[str]) -> list[str]:
    """The choices of one ballot, checked against the box (known options, how many, within the budget) and
    put in the options' order. The page checks with it before asking to confirm; casting and paper
    batches check with it too."""
    options = options_of(box)
    chosen = list(dict.fromkeys(str(c) for c in choices))
    unknown = [c for c in chosen if c not in options]
    if unknown:
        raise InvalidInput(
            "option_unknown", _("This vote has no option “%(option)s”.") % {"option": unknown[0]}, field="choices"
        )
    if box.kind == BoxKind.QUESTION:
        if len(chosen) != 1:
            raise InvalidInput("one_answer", _("Answer yes, no or abstain."), field="choices")
        return chosen
    if len(chosen) < max(box.min_choices, 1):
        raise InvalidInput(
            "too_few", _("Choose at least %(n)s options.") % {"n": max(box.min_choices, 1)}, field="choices"
        )
    if box.max_choices and len(chosen) > box.max_choices:
        raise InvalidInput("too_many", _("Choose at most %(n)s options.") % {"n": box.max_choices}, field="choices")
    if box.kind == BoxKind.BUDGET:
        total = sum((options[c].cost for c in chosen), Decimal(0))
        if total > box.budget:
            raise InvalidInput(
                "over_budget",
                _("Your choice costs %(total)s, more than the budget of %(budget)s.")
                % {"total": format_yuan(total), "budget": format_yuan(box.budget)},
                field="choices",
            )
    return sorted(chosen, key=lambda c: options[c].position)


# --- counting -------------------------------------------------------------------------------------


def _fmt(value) -> str:
    if isinstance(value, Fraction):
        return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))
    return str(value)


def count(box: BallotBox, rule: str | None = None) -> dict:
    """The result of a box from its stored ballots (pure reading; nothing is written)."""
    options = list(box.options.all())
    ballots = list(Ballot.objects.filter(box=box).values_list("choices", flat=True))
    groups = counting.group_ballots(ballots)
    result = {"kind": box.kind, "turnout": len(ballots), "options": []}
    if box.kind == BoxKind.QUESTION:
        tally = counting.approvals(groups, ["yes", "no", "abstain"])
        eligible = box.eligible_count if box.eligible_count is not None else eligible_people(box.area).count()
        threshold = Fraction(2, 3) if box.threshold == "2/3" else Fraction(1, 2)
        question = counting.Question(
            tally["yes"], tally["no"], tally["abstain"], eligible, Fraction(box.quorum_share), threshold
        )
        result.update(
            votes=tally,
            eligible=eligible,
            quorum_met=question.quorum_met,
            passed=question.passed,
            selected=["yes"] if question.passed else [],
        )
        return result
    if box.kind == BoxKind.APPROVAL:
        tally = counting.approvals(groups, [o.project_id for o in options])
        k = box.max_choices or 1
        ranked = counting.choose_k(groups, [o.project_id for o in options], 0)
        winners = [pid for pid, _votes in ranked[:k] if _votes > 0]
        for o in options:
            result["options"].append(
                {
                    "project_id": o.project_id,
                    "title": o.title,
                    "votes": tally[o.project_id],
                    "selected": o.project_id in winners,
                }
            )
        result["selected"] = winners
        return result
    rule = rule or box.rule
    costs = {o.project_id: Fraction(o.cost) for o in options}
    budget = Fraction(box.budget)
    if ballots:
        outcome = {"greedy": counting.greedy, "mes": counting.mes, "mes-add1": counting.mes_add1}[rule](
            costs, groups, budget
        )
    else:  # nobody voted: nothing is funded (and equal shares of no voters would divide by zero)
        outcome = counting.Outcome([], 0)
    for o in options:
        code, params = outcome.reasons.get(o.project_id, ("no_votes", {}))
        result["options"].append(
            {
                "project_id": o.project_id,
                "title": o.title,
                "cost": str(o.cost),
                "votes": outcome.approvals.get(o.project_id, 0),
                "selected": o.project_id in outcome.selected,
                "reason": code,
                "params": {k: _fmt(v) for k, v in params.items()},
            }
        )
    result.update(rule=rule, budget=str(box.budget), selected=outcome.selected, spent=_fmt(Fraction(outcome.cost)))
    return result


# --- open data ------------------------------------------------------------------------------------


def pb_export(box: BallotBox) -> str:
    """The box as a pabulib file: voters anonymised; `selected` from the published outcome (an imported
    box keeps its own file's)."""
    options = list(box.options.all())
    selected = set((box.result or {}).get("selected", []))
    meta = (
        dict(box.source_meta)
        if box.imported
        else {
            "description": box.title,
            "country": "China",
            "unit": box.area.name,
            "instance": str(box.closes_at.year if box.closes_at else ""),
            "num_projects": str(len(options)),
            "budget": str(box.budget),
            "vote_type": "approval",
            "rule": box.rule.replace("mes-add1", "equalshares/add1").replace("mes", "equalshares"),
        }
    )
    meta["num_votes"] = str(box.turnout_now)
    projects = {}
    for o in options:
        row = {
            "cost": str(o.cost).rstrip("0").rstrip(".") if "." in str(o.cost) else str(o.cost),
            "name": o.title,
            **o.extra,
        }
        if not box.imported:
            row["selected"] = "1" if o.project_id in selected else "0"
        projects[o.project_id] = row
    votes = [
        (str(i), list(c))
        # Ordered by the random key: the table's own order is the order of casting, which could be matched
        # against the times in the participation records.
        for i, c in enumerate(Ballot.objects.filter(box=box).order_by("id").values_list("choices", flat=True), start=1)
    ]
    return pabulib.write(pabulib.Election(meta, projects, votes))


def box_proposal_candidates(box: BallotBox):
    """Qualified proposals of the box's area that are not yet options of it: what may be put to this vote."""
    from proposals.models import Proposal

    return Proposal.objects.filter(area_path__startswith=box.area.path, state__in=["qualified", "scheduled"]).exclude(
        ballot_options__box=box
    )


# --- results to publish as notices -------------------------------------------------------------------


def ballot_decisions(path: str, pk=None, unpublished=True):
    """Counted votes of the area at `path` and below, as decisions to publish as notices (see
    civic.registry.NoticeKind)."""
    rows = BallotBox.objects.filter(area_path__startswith=path, state=BoxState.TALLIED).only(
        "pk", "title", "area_path", "tallied_at", "closes_at", "created_at", "turnout"
    )
    rows = decision_rows(rows, "ballot", pk=pk, unpublished=unpublished)
    for box in rows.order_by():
        yield Decision(
            kind="ballot",
            source_key=f"ballot:{box.pk}",
            title=Truncator(_("Result of the vote “%(title)s”") % {"title": box.title}).chars(120),
            summary=_("%(count)s ballot(s) cast.") % {"count": box.turnout},
            decided_at=box.tallied_at or box.closes_at or box.created_at,
            area_path=box.area_path,
            source_url=box.get_absolute_url(),
        )


# --- imported open data ---------------------------------------------------------------------------

# Countries of the published elections in the pabulib collection, as their files name them.
COUNTRY_NAMES = {
    "Poland": gettext_lazy("Poland"),
    "Netherlands": gettext_lazy("the Netherlands"),
    "Switzerland": gettext_lazy("Switzerland"),
    "France": gettext_lazy("France"),
    "Germany": gettext_lazy("Germany"),
    "Greece": gettext_lazy("Greece"),
    "Canada": gettext_lazy("Canada"),
    "United States": gettext_lazy("the United States"),
}


def imported_source(box: BallotBox) -> dict | None:
    """Where an imported election comes from, for people: the open-data collection, the country in words,
    the place, the edition and the original voting days. None for the city's own votes."""
    if not box.imported:
        return None
    meta = box.source_meta or {}
    country = (meta.get("country") or "").strip()
    first, last = pabulib.voting_dates(meta)
    return {
        "collection": "pabulib",
        "country": COUNTRY_NAMES.get(country, country),
        "place": " · ".join(part for part in (meta.get("unit", "").strip(), meta.get("subunit", "").strip()) if part),
        "edition": (meta.get("instance") or "").strip(),
        "first_day": first,
        "last_day": last,
    }
