"""Reconciliation of the ledger: does every sum agree with the awards, commitments and caps it stands for?

`check_ledger()` reads with a fixed number of aggregate queries (about ten, whatever the number of
projects or entries) and returns the problems found, each naming the ledger entries concerned. It also
walks the hash chain (funding.chain) once, in the order of the ids: every entry's hash must recompute
from what is stored, and every `prev_hash` must be the hash of the entry before it (the first: GENESIS).
A changed amount breaks the first; a removed or inserted entry the second. A chain rewritten as a whole
is consistent with itself: only its head, compared with the heads published earlier, shows it, so the
report carries the head. It writes nothing. `manage.py ledger_check` prints them for the people who keep
the books; the messages are in English because they are an operator's report, not a page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from civic.money import as_amount

from . import chain
from .models import AwardStage, AwardStatus, Commitment, EntryKind, LedgerEntry, SubsidyAward
from .selectors.ledger import ZERO, kind_sums

PAYMENTS = (EntryKind.ADVANCE, EntryKind.SETTLEMENT)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    ids: tuple[int, ...] = ()  # the ledger entries concerned, oldest first

    def __str__(self) -> str:
        rows = ", ".join(str(pk) for pk in self.ids) or "none"
        return f"[{self.code}] {self.message} (ledger entries: {rows})"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    entries_checked: int = 0
    head: str = chain.GENESIS  # the hash of the newest entry

    @property
    def consistent(self) -> bool:
        return not self.problems


@dataclass
class _Pending:
    """A problem whose entry ids are fetched, for all problems at once, at the end."""

    code: str
    message: str
    project: int | None = None
    kinds: tuple[str, ...] = ()
    awards: tuple[int, ...] = ()
    commitment: int | None = None
    area_year: tuple[int, int] | None = None

    def matches(self, row: dict) -> bool:
        if self.awards:
            return row["kind"] == EntryKind.AWARD and row["award_id"] in self.awards
        if self.commitment is not None:
            return row["kind"] == EntryKind.RECEIPT and row["commitment_id"] == self.commitment
        if self.area_year is not None:
            return row["kind"] == EntryKind.AWARD and (row["area_id"], row["year"]) == self.area_year
        if self.project is not None:
            return row["project_id"] == self.project and (not self.kinds or row["kind"] in self.kinds)
        return False


def check_ledger() -> list[Problem]:
    """Every broken rule of the ledger, as a list of problems (empty when the ledger is consistent)."""
    return run_checks().problems


def run_checks() -> Report:
    pending: list[_Pending] = []
    projects = {
        row["project_id"]: row
        for row in LedgerEntry.objects.order_by().values("project_id").annotate(entries=Count("id"), **kind_sums())
    }
    awards = list(
        SubsidyAward.objects.filter(status=AwardStatus.APPROVED)
        .order_by("project_id", "approved_at", "id")
        .values(
            "id",
            "project_id",
            "stage",
            "amount",
            "charge_area_id",
            "charge_year",
            "policy__version",
            "policy__cap_per_project",
            "policy__cap_per_area_year",
        )
    )
    by_award = _award_entry_sums()
    pending += _check_projects(projects, awards)
    pending += _check_awards(awards, by_award, {pk: as_amount(row[EntryKind.AWARD]) for pk, row in projects.items()})
    pending += _check_area_years(awards)
    pending += _check_commitments()
    problems = _resolve(pending)
    problems += _check_reversals()
    problems += _check_receipt_links()
    problems += _check_award_links()
    chain_problems, head = check_chain()
    return Report(
        problems=chain_problems + problems,
        entries_checked=sum(row["entries"] for row in projects.values()),
        head=head,
    )


CHAIN_FIELDS = (
    "kind",
    "amount",
    "project_id",
    "area_id",
    "year",
    "award_id",
    "commitment_id",
    "condition",
    "reverses_id",
    "memo",
    "created_by_id",
    "created_at",
)


def check_chain() -> tuple[list[Problem], str]:
    """(the broken links of the hash chain, the head's stored hash), reading the entries once in id order."""
    altered: list[int] = []
    unlinked: list[tuple[int, int | None]] = []
    previous, previous_id = chain.GENESIS, None
    rows = LedgerEntry.objects.order_by("id").values_list("id", "prev_hash", "entry_hash", *CHAIN_FIELDS)
    for pk, prev_hash, stored, *values in rows.iterator(chunk_size=2000):
        content = {name.removesuffix("_id"): value for name, value in zip(CHAIN_FIELDS, values, strict=True)}
        if chain.entry_hash(**content, prev_hash=prev_hash) != stored:
            altered.append(pk)
        if prev_hash != previous:
            unlinked.append((pk, previous_id))
        previous, previous_id = stored, pk
    problems = [
        Problem(
            "chain_entry_altered",
            f"Entry {pk}: its stored hash does not match its content; it was changed after it was written.",
            (pk,),
        )
        for pk in altered
    ]
    for pk, before in unlinked:
        where = f"entry {before}" if before is not None else "the start of the ledger"
        problems.append(
            Problem(
                "chain_link_broken",
                f"Entry {pk} does not follow {where}: an entry before it was removed, inserted or rewritten.",
                tuple(pk_ for pk_ in (before, pk) if pk_ is not None),
            )
        )
    return problems, previous


def _award_entry_sums() -> dict[int | None, Decimal]:
    """{award id: Σ award entries naming it}."""
    rows = LedgerEntry.objects.filter(kind=EntryKind.AWARD).order_by().values("award_id").annotate(total=Sum("amount"))
    return {row["award_id"]: as_amount(row["total"]) for row in rows}


def _current(approved: list[dict]) -> dict | None:
    """The award that stands for a project: its approved settlement, else its approved provisional award."""
    settlements = [a for a in approved if a["stage"] == AwardStage.SETTLEMENT]
    provisional = [a for a in approved if a["stage"] == AwardStage.PROVISIONAL]
    return (settlements or provisional or [None])[-1]


def _check_projects(projects: dict[int, dict], awards: list[dict]) -> list[_Pending]:
    approved: dict[int, list[dict]] = defaultdict(list)
    for award in awards:
        approved[award["project_id"]].append(award)
    pending = []
    for pk, row in sorted(projects.items()):
        award = as_amount(row[EntryKind.AWARD])
        advances = as_amount(row[EntryKind.ADVANCE])
        paid = advances + as_amount(row[EntryKind.SETTLEMENT])
        due = as_amount(row[EntryKind.RECOVERY_DUE])
        recovered = as_amount(row[EntryKind.RECOVERY])
        current = _current(approved[pk])
        if paid and not approved[pk]:
            pending.append(
                _Pending(
                    "payment_without_award",
                    f"Project {pk}: {paid} paid out but the project has no approved award.",
                    project=pk,
                    kinds=PAYMENTS,
                )
            )
        elif paid - due > award:
            pending.append(
                _Pending(
                    "payment_over_award",
                    f"Project {pk}: paid {paid} less {due} due back is more than the approved award {award}.",
                    project=pk,
                    kinds=(*PAYMENTS, EntryKind.RECOVERY_DUE, EntryKind.AWARD),
                )
            )
        provisional = [a for a in approved[pk] if a["stage"] == AwardStage.PROVISIONAL]
        if provisional and advances > provisional[-1]["amount"]:
            pending.append(
                _Pending(
                    "advance_over_provisional",
                    f"Project {pk}: advances of {advances} are above the approved provisional award "
                    f"{provisional[-1]['amount']} (award {provisional[-1]['id']}).",
                    project=pk,
                    kinds=(EntryKind.ADVANCE,),
                )
            )
        if award < 0:
            pending.append(
                _Pending(
                    "award_negative",
                    f"Project {pk}: the award entries add up to {award}, below zero.",
                    project=pk,
                    kinds=(EntryKind.AWARD,),
                )
            )
        cap = current and current["policy__cap_per_project"]
        if cap is not None and award > cap:
            pending.append(
                _Pending(
                    "award_over_project_cap",
                    f"Project {pk}: the award entries add up to {award}, above the cap per project {as_amount(cap)} "
                    f"of policy version {current['policy__version']} (award {current['id']}).",
                    project=pk,
                    kinds=(EntryKind.AWARD,),
                )
            )
        if recovered > due:
            pending.append(
                _Pending(
                    "recovery_over_due",
                    f"Project {pk}: {recovered} recovered is more than the {due} due back.",
                    project=pk,
                    kinds=(EntryKind.RECOVERY, EntryKind.RECOVERY_DUE),
                )
            )
    return pending


def _check_awards(awards: list[dict], by_award: dict, totals: dict[int, Decimal]) -> list[_Pending]:
    """Each approved award agrees with the award entries that name it; each project's Σ award with its award.

    A settlement's entries carry only the difference to the provisional award, so a settlement is compared
    with its own entries plus those of the project's provisional award(s).
    """
    provisional_ids: dict[int, list[int]] = defaultdict(list)
    approved: dict[int, list[dict]] = defaultdict(list)
    for award in awards:
        approved[award["project_id"]].append(award)
    pending = []
    noted_projects = set()
    # Provisional awards of any status, so that a settlement can count what its provisional award charged.
    for pk, project_id in (
        SubsidyAward.objects.filter(stage=AwardStage.PROVISIONAL, entries__isnull=False)
        .values_list("id", "project_id")
        .distinct()
    ):
        provisional_ids[project_id].append(pk)
    for award in awards:
        ids = (award["id"],)
        if award["stage"] == AwardStage.SETTLEMENT:
            ids += tuple(provisional_ids[award["project_id"]])
        total = sum((by_award.get(pk, ZERO) for pk in ids), ZERO)
        if total != award["amount"]:
            noted_projects.add(award["project_id"])
            pending.append(
                _Pending(
                    "award_entries_mismatch",
                    f"Award {award['id']} ({award['stage']}, project {award['project_id']}) is {award['amount']} "
                    f"but the award entries for it add up to {total}.",
                    awards=ids,
                )
            )
    accounted = {award["id"] for award in awards} | _taken_over(provisional_ids, approved)
    for pk, total in sorted(by_award.items(), key=lambda pair: pair[0] or 0):
        if pk is not None and pk not in accounted and total != 0:
            pending.append(
                _Pending(
                    "award_not_approved",
                    f"Award {pk} is not approved but award entries charge {total} for it.",
                    awards=(pk,),
                )
            )
    # Σ award per project = the standing award (checked where each award agreed with its own entries).
    for project_id in sorted(set(totals) | set(approved)):
        if project_id in noted_projects:
            continue
        current = _current(approved[project_id])
        expected = current["amount"] if current else ZERO
        total = totals.get(project_id, ZERO)
        if total != expected:
            named = f"the approved award {expected} (award {current['id']})" if current else "no approved award"
            pending.append(
                _Pending(
                    "award_total_mismatch",
                    f"Project {project_id}: the award entries add up to {total} but it has {named}.",
                    project=project_id,
                    kinds=(EntryKind.AWARD,),
                )
            )
    return pending


def _taken_over(provisional_ids: dict[int, list[int]], approved: dict[int, list[dict]]) -> set[int]:
    """Provisional awards that a later approved settlement took over (their entries count for it)."""
    result = set()
    for project_id, awards in approved.items():
        if any(a["stage"] == AwardStage.SETTLEMENT for a in awards):
            result.update(provisional_ids.get(project_id, ()))
    return result


def _check_area_years(awards: list[dict]) -> list[_Pending]:
    caps: dict[tuple[int, int], tuple[int, Decimal | None]] = {}
    for award in awards:
        key = (award["charge_area_id"], award["charge_year"])
        if key[1] is not None and (key not in caps or award["policy__version"] > caps[key][0]):
            caps[key] = (award["policy__version"], award["policy__cap_per_area_year"])
    charged = (
        LedgerEntry.objects.filter(kind=EntryKind.AWARD)
        .order_by()
        .values("area_id", "year")
        .annotate(total=Sum("amount"))
    )
    pending = []
    for row in charged:
        key = (row["area_id"], row["year"])
        version, cap = caps.get(key, (None, None))
        total = as_amount(row["total"])
        if cap is not None and total > cap:
            pending.append(
                _Pending(
                    "award_over_area_year_cap",
                    f"Area {key[0]}, year {key[1]}: awards of {total} charged, above the cap per area and year "
                    f"{as_amount(cap)} of policy version {version}.",
                    area_year=key,
                )
            )
    return pending


def _check_commitments() -> list[_Pending]:
    receipts = {
        row["commitment_id"]: as_amount(row["total"])
        for row in LedgerEntry.objects.filter(kind=EntryKind.RECEIPT, commitment__isnull=False)
        .order_by()
        .values("commitment_id")
        .annotate(total=Sum("amount"))
    }
    commitments = Commitment.objects.filter(Q(received__gt=0) | Q(pk__in=list(receipts))).values_list(
        "id", "project_id", "amount", "received"
    )
    pending = []
    for pk, project_id, amount, received in commitments.order_by("id"):
        total = receipts.get(pk, ZERO)
        if total > amount:
            pending.append(
                _Pending(
                    "receipts_over_commitment",
                    f"Commitment {pk} (project {project_id}) promised {amount} but receipts of {total} are booked.",
                    commitment=pk,
                )
            )
        if total != received:
            pending.append(
                _Pending(
                    "commitment_received_mismatch",
                    f"Commitment {pk} (project {project_id}) shows {received} received but its receipt entries "
                    f"add up to {total}.",
                    commitment=pk,
                )
            )
    return pending


def _check_receipt_links() -> list[Problem]:
    """A receipt names the commitment it pays, and that commitment belongs to the same project."""
    broken = (
        LedgerEntry.objects.filter(kind=EntryKind.RECEIPT)
        .filter(Q(commitment__isnull=True) | ~Q(commitment__project_id=F("project_id")))
        .order_by("id")
        .values_list("id", "project_id", "commitment_id")
    )
    return [
        Problem(
            "receipt_without_commitment",
            f"Receipt entry {pk} (project {project_id}) names "
            + (f"commitment {commitment_id} of another project." if commitment_id else "no commitment."),
            (pk,),
        )
        for pk, project_id, commitment_id in broken
    ]


def _check_award_links() -> list[Problem]:
    """An award entry names the award it charges, and that award is the same project's."""
    broken = (
        LedgerEntry.objects.filter(kind=EntryKind.AWARD)
        .filter(Q(award__isnull=True) | ~Q(award__project_id=F("project_id")))
        .order_by("id")
        .values_list("id", "project_id", "award_id")
    )
    return [
        Problem(
            "award_entry_without_award",
            f"Award entry {pk} (project {project_id}) names "
            + (f"award {award_id} of another project." if award_id else "no award."),
            (pk,),
        )
        for pk, project_id, award_id in broken
    ]


def _check_reversals() -> list[Problem]:
    """A correction repeats the project, kind, area and year of what it reverses, with the opposite amount."""
    rows = (
        LedgerEntry.objects.filter(reverses__isnull=False)
        .exclude(
            project_id=F("reverses__project_id"),
            kind=F("reverses__kind"),
            area_id=F("reverses__area_id"),
            year=F("reverses__year"),
            amount=-F("reverses__amount"),
        )
        .order_by("id")
        .values_list(
            "id",
            "reverses_id",
            "project_id",
            "kind",
            "amount",
            "area_id",
            "year",
            "reverses__project_id",
            "reverses__kind",
            "reverses__amount",
            "reverses__area_id",
            "reverses__year",
        )
    )
    problems = []
    for pk, original, project, kind, amount, area, year, o_project, o_kind, o_amount, o_area, o_year in rows:
        if (project, kind) != (o_project, o_kind) or as_amount(amount) != -as_amount(o_amount):
            problems.append(
                Problem(
                    "reversal_mismatch",
                    f"Entry {pk} reverses entry {original} but is {kind} {amount} on project {project}, "
                    f"not {o_kind} {-as_amount(o_amount)} on project {o_project}.",
                    tuple(sorted((pk, original))),
                )
            )
        elif (area, year) != (o_area, o_year):
            problems.append(
                Problem(
                    "reversal_charge_mismatch",
                    f"Entry {pk} reverses entry {original} but is charged to area {area}, year {year} "
                    f"instead of area {o_area}, year {o_year}.",
                    tuple(sorted((pk, original))),
                )
            )
    return problems


def _resolve(pending: list[_Pending]) -> list[Problem]:
    """Fetch the entry ids of every pending problem in one query."""
    if not pending:
        return []
    projects = {p.project for p in pending if p.project is not None and not (p.awards or p.commitment)}
    awards = {pk for p in pending for pk in p.awards}
    commitments = {p.commitment for p in pending if p.commitment is not None}
    area_years = [p.area_year for p in pending if p.area_year is not None]
    query = Q(project_id__in=projects) | Q(award_id__in=awards) | Q(commitment_id__in=commitments)
    if area_years:
        query |= Q(kind=EntryKind.AWARD, area_id__in={a for a, _ in area_years}, year__in={y for _, y in area_years})
    rows = list(
        LedgerEntry.objects.filter(query)
        .order_by("id")
        .values("id", "project_id", "kind", "award_id", "commitment_id", "area_id", "year")
    )
    return [Problem(p.code, p.message, tuple(row["id"] for row in rows if p.matches(row))) for p in pending]
