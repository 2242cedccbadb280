"""Reading the ledger: balances per project and per (area, year), and the entries with running totals.

Every balance is a plain sum per kind of the append-only entries, corrections included, so each answer
is one aggregate query (or a fixed handful), whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, F, Max, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from civic.models import Area
from civic.money import DECIMAL_PLACES, SUM_DIGITS, as_amount

from ..models import AwardStatus, EntryKind, LedgerEntry, MicroProject, SubsidyAward, SubsidyPolicy

ZERO = Decimal("0.00")
# The kinds that are charged to a policy area's year (commitments and receipts carry the project's area).
CHARGE_KINDS = (
    EntryKind.AWARD,
    EntryKind.ADVANCE,
    EntryKind.SETTLEMENT,
    EntryKind.RECOVERY_DUE,
    EntryKind.RECOVERY,
)
_SUM = DecimalField(max_digits=SUM_DIGITS, decimal_places=DECIMAL_PLACES)


def kind_sums(prefix: str = "") -> dict:
    """One conditional Sum per entry kind, named by the kind: for `.values(...).annotate(**kind_sums())`."""
    return {
        f"{prefix}{kind}": Coalesce(Sum("amount", filter=Q(kind=kind)), Value(ZERO), output_field=_SUM)
        for kind in EntryKind.values
    }


def _empty_balances() -> dict:
    return {
        "committed": ZERO,
        "received": ZERO,
        "received_by_source": {},
        "award": ZERO,
        "advances": ZERO,
        "settlement": ZERO,
        "paid": ZERO,
        "recovery_due": ZERO,
        "recovered": ZERO,
        "owed_back": ZERO,
        "net_paid": ZERO,
    }


def _add(balances: dict, row: dict) -> None:
    """Fold one aggregate row (sums per kind, for one funding source) into a project's balances."""
    received = as_amount(row[EntryKind.RECEIPT])
    balances["committed"] += as_amount(row[EntryKind.COMMITMENT])
    balances["received"] += received
    if received:
        source = row["commitment__source"] or ""
        balances["received_by_source"][source] = balances["received_by_source"].get(source, ZERO) + received
    balances["award"] += as_amount(row[EntryKind.AWARD])
    balances["advances"] += as_amount(row[EntryKind.ADVANCE])
    balances["settlement"] += as_amount(row[EntryKind.SETTLEMENT])
    balances["recovery_due"] += as_amount(row[EntryKind.RECOVERY_DUE])
    balances["recovered"] += as_amount(row[EntryKind.RECOVERY])
    balances["paid"] = balances["advances"] + balances["settlement"]
    balances["owed_back"] = balances["recovery_due"] - balances["recovered"]
    balances["net_paid"] = balances["paid"] - balances["recovered"]


def project_money_many(projects: Iterable[MicroProject | int]) -> dict[int, dict]:
    """{project id: balances} for many projects in one query (see `project_balances` for the keys).

    Projects without entries get zero balances, so a list page can read `result[project.pk]` for each.
    """
    ids = {getattr(project, "pk", project) for project in projects}
    result = {pk: _empty_balances() for pk in ids}
    if not ids:
        return result
    rows = (
        LedgerEntry.objects.filter(project_id__in=ids)
        .order_by()
        .values("project_id", "commitment__source")
        .annotate(**kind_sums())
    )
    for row in rows:
        _add(result[row["project_id"]], row)
    return result


def project_balances(project: MicroProject | int) -> dict:
    """A project's money in one query, every figure a Decimal in yuan.

    committed, received (and received_by_source: {source: amount} for the receipts), award (the approved
    award: Σ award entries), advances, settlement, paid (advances + settlement), recovery_due, recovered,
    owed_back (recovery_due − recovered) and net_paid (paid − recovered).
    """
    pk = getattr(project, "pk", project)
    return project_money_many([pk])[pk]


# --- per (area, year) -------------------------------------------------------------------------------------


def _caps(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[int | None, Decimal | None]]:
    """{(area id, year): (policy version, cap per area-year)} from the newest policy version used by the
    approved awards charged there; where nothing is approved yet, the area's own version in force now."""
    area_ids = {area_id for area_id, _year in pairs}
    years = {year for _area_id, year in pairs}
    found: dict[tuple[int, int], tuple[int, Decimal | None]] = {}
    awards = SubsidyAward.objects.filter(
        status=AwardStatus.APPROVED, charge_area_id__in=area_ids, charge_year__in=years
    ).values_list("charge_area_id", "charge_year", "policy__version", "policy__cap_per_area_year")
    for area_id, year, version, cap in awards:
        key = (area_id, year)
        if key in pairs and (key not in found or version > found[key][0]):
            found[key] = (version, cap)
    missing = {area_id for area_id, year in pairs if (area_id, year) not in found}
    if missing:
        own: dict[int, tuple[int, Decimal | None]] = {}
        policies = (
            SubsidyPolicy.objects.filter(area_id__in=missing, effective_from__lte=timezone.now())
            .order_by("area_id", "-version")
            .values_list("area_id", "version", "cap_per_area_year")
        )
        for area_id, version, cap in policies:
            own.setdefault(area_id, (version, cap))
        for key in pairs - found.keys():
            if key[0] in own:
                found[key] = own[key[0]]
    return found


def area_year_balances_many(pairs: Iterable[tuple[Area | int, int]]) -> dict[tuple[int, int], dict]:
    """{(area id, year): balances} for many charge areas and years in at most three queries.

    award is Σ award entries charged there (what counts against the cap), paid the advances and settlements
    booked there, cap the policy's cap per area and year (None: no cap) and left what the cap still allows.
    """
    keys = {(getattr(area, "pk", area), int(year)) for area, year in pairs}
    result = {
        key: {"award": ZERO, "paid": ZERO, "recovered": ZERO, "cap": None, "left": None, "policy_version": None}
        for key in keys
    }
    if not keys:
        return result
    rows = (
        LedgerEntry.objects.filter(
            area_id__in={area_id for area_id, _ in keys}, year__in={year for _, year in keys}, kind__in=CHARGE_KINDS
        )
        .order_by()
        .values("area_id", "year")
        .annotate(**kind_sums())
    )
    for row in rows:
        key = (row["area_id"], row["year"])
        if key in result:
            result[key]["award"] = as_amount(row[EntryKind.AWARD])
            result[key]["paid"] = as_amount(row[EntryKind.ADVANCE]) + as_amount(row[EntryKind.SETTLEMENT])
            result[key]["recovered"] = as_amount(row[EntryKind.RECOVERY])
    for key, (version, cap) in _caps(keys).items():
        result[key]["policy_version"] = version
        if cap is not None:
            result[key]["cap"] = as_amount(cap)
            result[key]["left"] = max(ZERO, as_amount(cap) - result[key]["award"])
    return result


def area_year_balances(area: Area, year: int) -> dict:
    """What is charged to `area` (as a policy area) in `year`: award, paid, cap, left, policy_version."""
    return {"area": area, "year": int(year), **area_year_balances_many([(area, year)])[(area.pk, int(year))]}


def area_charges(area: Area, year: int | None = None) -> list[dict]:
    """The (charge area, year) balances that the projects in `area` and under it draw on, in four queries.

    A community's projects are usually charged to the policy area above it (a district), so each row gives
    that area's full total against its cap, not only this area's share. When a year is asked for, the area
    itself has a row too if it has a policy of its own, even with nothing charged yet.
    """
    charges = (
        LedgerEntry.objects.filter(project__area_path__startswith=area.path, kind__in=CHARGE_KINDS)
        .order_by()
        .values_list("area_id", "year")
        .distinct()
    )
    if year is not None:
        charges = charges.filter(year=year)
    keys = found = set(charges)
    if year is not None:
        keys = {*found, (area.pk, int(year))}
    balances = area_year_balances_many(keys)
    areas = Area.objects.in_bulk({area_id for area_id, _ in keys})
    rows = [
        {"area": areas[area_id], "year": y, **balances[(area_id, y)]}
        for area_id, y in keys
        if (area_id, y) in found or balances[(area_id, y)]["policy_version"] is not None
    ]
    rows.sort(key=lambda row: (-row["year"], row["area"].path))
    return rows


# --- entries ------------------------------------------------------------------------------------------------


def ledger_entries(project: MicroProject | int | None = None, area: Area | None = None, year: int | None = None):
    """Entries oldest first, each with `balance`: the project's running total of that kind after it.

    Filter by project, by area (the projects in the area and every area under it) and by charge year.
    The running total is a window over all of the projects' entries, so it is right on a page filtered
    by year too. One query (two with a paginator's count), the project and charged area joined.
    """
    entries = LedgerEntry.objects.all()
    if project is not None:
        entries = entries.filter(project_id=getattr(project, "pk", project))
    if area is not None:
        entries = entries.filter(project__area_path__startswith=area.path)
    entries = entries.annotate(
        balance=Window(
            Sum("amount"),
            partition_by=[F("project_id"), F("kind")],
            order_by=[F("created_at").asc(), F("id").asc()],
            output_field=_SUM,
        )
    )
    if year is not None:
        # Filtered after the window (a filter on a window expression is applied outside it), so the
        # running totals still count the earlier years.
        entries = entries.annotate(charge_year=Window(Max("year"), partition_by=[F("id")])).filter(
            charge_year=int(year)
        )
    return entries.select_related("project", "area").order_by("created_at", "id")


def running_total():
    """The project's running total of an entry's kind after it (corrections included), as a correlated
    sum over that project's entries of that kind up to it in the ledger's order (created_at, id): it reads
    the project's few entries of that kind (index `funding_ledger_project`), never the rest of the ledger."""
    upto = LedgerEntry.objects.filter(project_id=OuterRef("project_id"), kind=OuterRef("kind")).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__lte=OuterRef("id"))
    )
    total = upto.order_by().values("project_id").annotate(total=Sum("amount")).values("total")[:1]
    return Subquery(total, output_field=_SUM)


# What a row of an area's ledger shows (the API's list, the page's rows): the entry, its project's title,
# its charged area.
ROW_FIELDS = (
    "id",
    "created_at",
    "kind",
    "amount",
    "condition",
    "reverses_id",
    "memo",
    "year",
    "project_id",
    "project__title",
    "area__name",
    "area__code",
)


def area_ledger(area: Area, year: int | None = None):
    """An area's entries (its projects' and those of every area under it) oldest first, each with `balance`
    (its project's running total of that kind, earlier years included). The running total is a correlated
    sum per row (`running_total`), so a page of it, however deep, reads its own rows and their projects' few
    entries of their kind, and stays right on a page cut out by id (a window would only sum that page)."""
    entries = LedgerEntry.objects.filter(project__area_path__startswith=area.path)
    if year is not None:
        entries = entries.filter(year=int(year))
    return (
        entries.annotate(balance=running_total())
        .select_related("project", "area")
        .only(*ROW_FIELDS)
        .order_by("created_at", "id")
    )


def ledger_page(area: Area, year: int | None = None, after: int | None = None, size: int = 50):
    """(entries, next cursor): one page of an area's entries oldest first, starting after entry `after`,
    each with `balance` (its project's running total of that kind, earlier years included). Keyset paging
    on (created_at, id) (index `funding_ledger_order`): a page costs its rows however long the ledger
    grows, and nothing is counted. The cursor is the id of the page's last entry, or None at the end."""
    entries = LedgerEntry.objects.filter(project__area_path__startswith=area.path)
    if year is not None:
        entries = entries.filter(year=int(year))
    if after is not None:
        last = LedgerEntry.objects.filter(pk=after).values("created_at")[:1]
        entries = entries.filter(Q(created_at__gt=Subquery(last)) | Q(created_at=Subquery(last), id__gt=after))
    rows = list(
        entries.annotate(balance=running_total())
        .select_related("project", "area")
        .only(*ROW_FIELDS)
        .order_by("created_at", "id")[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].pk if more and rows else None)


def ledger_years(area: Area) -> list[int]:
    """The charge years present in the ledger of an area's projects, newest first."""
    return sorted(
        set(
            LedgerEntry.objects.filter(project__area_path__startswith=area.path)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


# The columns of the ledger's exports (the public ledger's CSV and JSON, and the open-data ledger dataset).
EXPORT_FIELDS = [
    "id",
    "recorded_at",
    "project_id",
    "project_title",
    "area_code",
    "year",
    "kind",
    "amount",
    "condition",
    "reverses_id",
    "memo",
    "prev_hash",
    "entry_hash",
]


def entries_for_export(
    project: MicroProject | int | None = None,
    area: Area | None = None,
    year: int | None = None,
    up_to: int | None = None,
):
    """The rows of a CSV or JSON export, oldest first, as plain tuples for streaming (no running total);
    `up_to`: only the entries up to this id (the chain head the export names), so that an export streamed
    while money is booked stays the snapshot its head describes."""
    entries = LedgerEntry.objects.all()
    if up_to is not None:
        entries = entries.filter(pk__lte=up_to)
    if project is not None:
        entries = entries.filter(project_id=getattr(project, "pk", project))
    if area is not None:
        entries = entries.filter(project__area_path__startswith=area.path)
    if year is not None:
        entries = entries.filter(year=int(year))
    return entries.order_by("created_at", "id").values_list(
        "id",
        "created_at",
        "project_id",
        "project__title",
        "area__code",
        "year",
        "kind",
        "amount",
        "condition",
        "reverses_id",
        "memo",
        "prev_hash",
        "entry_hash",
    )


def chain_head() -> tuple[int | None, str]:
    """(id, hash) of the newest ledger entry, the head of the hash chain; (None, GENESIS) when empty."""
    from ..chain import GENESIS

    row = LedgerEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    return row if row else (None, GENESIS)


def export_row(row) -> dict:
    """One entry of an export: plain strings and numbers, amounts as strings with two decimals."""
    (pk, recorded_at, project_id, title, area_code, year, kind, amount, condition, reverses_id, memo, prev, own) = row
    return {
        "id": pk,
        "recorded_at": timezone.localtime(recorded_at).isoformat(),
        "project_id": project_id,
        "project_title": title,
        "area_code": area_code,
        "year": year,
        "kind": kind,
        "amount": f"{amount:.2f}",
        "condition": condition,
        "reverses_id": reverses_id,
        "memo": memo,
        "prev_hash": prev,
        "entry_hash": own,
    }
