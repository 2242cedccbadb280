"""The funding part of `manage.py seed_scale`: micro-projects in every state over the grid cells, with budget
lines, milestones, co-funding, approved awards and a ledger of about thirty entries a project (100,000 for
the default 10,000 proposals), in bulk.

The rows keep the ledger's rules (funding.ledger_check): each commitment's receipts add up to what it shows
as received and never exceed it; every approved award has award entries adding up to it (a settlement's
entries carry the difference to the provisional award); advances stay within the provisional award and
payments within the award; awards stay under the policy's caps; and the entries form one hash chain in id
order, appended after whatever the ledger already held. How many projects: `world["projects"]` if given,
else a third of the proposals (at least enough for every state).
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from civic.models import Organisation, OrganisationKind, User

from . import chain
from .models import (
    BudgetLine,
    Commitment,
    EntryKind,
    LedgerEntry,
    MicroProject,
    Milestone,
    ProjectState,
    Receipt,
    SubsidyAward,
    SubsidyPolicy,
    ledger_head,
)

S = ProjectState
# state, share of the projects
STATES = [
    (S.PLANNED, 15),
    (S.IN_PROGRESS, 25),
    (S.COMPLETED, 10),
    (S.ACCEPTED, 15),
    (S.CLOSED, 20),
    (S.SUSPENDED, 5),
    (S.CANCELLED, 10),
]
SUBJECTS = ["楼道灯", "健身角", "口袋公园", "加装电梯", "雨棚", "充电桩", "无障碍坡道", "停车棚", "排水沟", "休息座椅"]
PLACES = ["柳岸小区", "望湖苑", "东风里", "和平新村", "西桥社区", "南门巷", "北苑", "新华路"]
SHARE = Decimal("0.3000")
CAP_PER_PROJECT = Decimal("100000.00")
CAP_PER_AREA_YEAR = Decimal("100000000.00")
ENTRIES_PER_PROJECT = 30  # the average over every project, as the ledger's size is meant to be


def _cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def seed(world: dict) -> None:
    rng = random.Random(23)
    now = timezone.now()
    count = world.get("projects") or max(len(STATES) * 5, world["proposals"] // 3)
    clerk = User.objects.get(pk=world["residents"][0])  # records everything (an official in real life)
    areas = world["areas"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, path FROM civic_area WHERE level IN ('district', 'grid')")
        paths = dict(cursor.fetchall())
    districts = areas["district"]
    district_of = {path: pk for pk, path in paths.items() if pk in set(districts)}

    def district(path: str) -> int:
        return next(pk for prefix, pk in district_of.items() if path.startswith(prefix))

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"规模居民施工队{n}", kind=OrganisationKind.RESIDENTS_GROUP, confirmed_at=now)
            for n in range(1, 21)
        ]
    )
    policies = dict(
        zip(
            districts,
            SubsidyPolicy.objects.bulk_create(
                [
                    SubsidyPolicy(
                        area_id=pk,
                        version=1,
                        effective_from=now - timedelta(days=3 * 365),
                        share=SHARE,
                        cap_per_project=CAP_PER_PROJECT,
                        cap_per_area_year=CAP_PER_AREA_YEAR,
                        advance_start=Decimal("0.3000"),
                        advance_midpoint=Decimal("0.6000"),
                        created_by=clerk,
                    )
                    for pk in districts
                ]
            ),
            strict=True,
        )
    )
    with connection.cursor() as cursor:  # adopted proposals become projects where there are some
        cursor.execute(
            "SELECT id, area_id FROM proposals_proposal WHERE state IN ('adopted', 'done') AND NOT is_hidden "
            "ORDER BY id"
        )
        adopted = cursor.fetchall()

    weighted = [state for state, share in STATES for _ in range(share)]
    cells = list(areas["grid"])
    projects = []
    for n in range(count):
        state = STATES[n][0] if n < len(STATES) else rng.choice(weighted)
        proposal_id, cell = adopted[n] if n < len(adopted) else (None, rng.choice(cells))
        created = now - timedelta(days=rng.randint(150, 3 * 365 - 30), minutes=rng.randint(0, 1440))
        budget = _cents(rng.randrange(20_000, 300_000, 500))
        started = created + timedelta(days=rng.randint(5, 20))
        completed = started + timedelta(days=rng.randint(10, 60))
        accepted = completed + timedelta(days=rng.randint(3, 15))
        closed = accepted + timedelta(days=rng.randint(20, 40))
        reached = {S.IN_PROGRESS: 1, S.COMPLETED: 2, S.ACCEPTED: 3, S.CLOSED: 3, S.SUSPENDED: 1}
        moments = [started, completed, accepted, closed]
        keep = {
            S.PLANNED: 0,
            S.IN_PROGRESS: 1,
            S.SUSPENDED: 1,
            S.CANCELLED: 0,
            S.COMPLETED: 2,
            S.ACCEPTED: 3,
            S.CLOSED: 4,
        }[state]
        moments = [m if i < keep and m < now else None for i, m in enumerate(moments)]
        project = MicroProject(
            proposal_id=proposal_id,
            area_id=cell,
            area_path=paths[cell],
            title=f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}（{n + 1}）",
            scope="施工范围：" + "按设计图纸施工，完成后交付验收。" * rng.randint(2, 6),
            location=rng.choice(PLACES),
            implementer=rng.choice(organisations),
            budget=budget,
            planned_start=timezone.localdate(created) + timedelta(days=7),
            planned_end=timezone.localdate(created) + timedelta(days=120),
            state=state,
            suspended_from=S.IN_PROGRESS if state == S.SUSPENDED else "",
            state_reason="资金暂缓" if state in (S.SUSPENDED, S.CANCELLED) else "",
            created_by=clerk,
            created_at=created,
            started_at=moments[0],
            completed_at=moments[1],
            accepted_at=moments[2],
            closed_at=moments[3],
            completion_report="已按计划完工。" if moments[1] else "",
        )
        project._reached = reached.get(state, 0)
        projects.append(project)
    MicroProject.objects.bulk_create(projects, batch_size=2000)

    lines, milestones = [], []
    for project in projects:
        first = _cents(project.budget * Decimal("0.6"))
        lines += [
            BudgetLine(project=project, position=0, item="材料费", amount=first),
            BudgetLine(project=project, position=1, item="人工费", amount=project.budget - first),
        ]
        for position in range(3):
            due = project.planned_start + timedelta(days=30 * (position + 1))
            done = position < project._reached and project.started_at is not None
            milestones.append(
                Milestone(
                    project=project,
                    position=position,
                    title=("开工准备", "主体施工", "收尾清理")[position],
                    due_on=due,
                    is_midpoint=position == 1,
                    reached_at=(project.started_at + timedelta(days=20 * (position + 1))) if done else None,
                )
            )
    BudgetLine.objects.bulk_create(lines, batch_size=5000)
    Milestone.objects.bulk_create(milestones, batch_size=5000)

    funded = [p for p in projects if p.state not in (S.PLANNED, S.CANCELLED)]
    # the receipts are most of the ledger: residents' money arrives in many small instalments
    receipts_each = max(1, round((count * ENTRIES_PER_PROJECT) / max(1, len(funded))) - 8)
    commitments, plans = [], []
    for project in funded:
        residents = _cents(project.budget * Decimal("0.1"))
        enterprise = _cents(project.budget * Decimal("0.2"))
        for source, funder, amount, parts in (
            ("residents", "居民自筹", residents, rng.randint(max(1, receipts_each - 5), receipts_each + 5)),
            ("enterprise", "辖区企业", enterprise, 2),
        ):
            commitment = Commitment(
                project=project,
                source=source,
                funder=funder,
                amount=amount,
                created_by=clerk,
                created_at=project.started_at - timedelta(days=3),
            )
            commitments.append(commitment)
            plans.append((commitment, parts))
    Commitment.objects.bulk_create(commitments, batch_size=5000)

    awards, entries, receipts = [], [], []  # entries: (moment, fields) before the chain is drawn

    def entry(project, kind, amount, moment, **links):
        area, year = links.pop("charged", (project.area_id, timezone.localtime(moment).year))
        entries.append((moment, project, kind, _cents(amount), area, year, links))

    for commitment, parts in plans:
        project = commitment.project
        entry(project, EntryKind.COMMITMENT, commitment.amount, commitment.created_at, commitment=commitment)
        # all of it arrives for finished projects, about half while the work goes on
        arrived = commitment.amount if project.completed_at else _cents(commitment.amount * Decimal("0.5"))
        share = _cents(arrived / parts)
        received = Decimal("0.00")
        for i in range(parts):
            amount = arrived - received if i == parts - 1 else share
            if amount <= 0:
                break
            moment = commitment.created_at + timedelta(days=1 + i, minutes=i)
            moment = min(moment, now - timedelta(minutes=parts - i))
            received += amount
            receipts.append((commitment, amount, timezone.localdate(moment), moment))
            entry(project, EntryKind.RECEIPT, amount, moment, commitment=commitment, memo=commitment.funder)
        commitment.received = received

    for project in funded:
        district_pk = district(project.area_path)
        policy = policies[district_pk]
        approved = project.started_at + timedelta(days=1)
        provisional = min(CAP_PER_PROJECT, _cents(project.budget * SHARE))
        award = SubsidyAward(
            project=project,
            stage="provisional",
            policy=policy,
            base=project.budget,
            amount=provisional,
            status="approved",
            computed_by=clerk,
            computed_at=approved - timedelta(days=1),
            notice_until=approved,
            objections_until=approved,
            approved_by=clerk,
            approved_at=approved,
            charge_area_id=district_pk,
            charge_year=timezone.localtime(approved).year,
        )
        awards.append(award)
        project._awards = [award]
        if project.state == S.CLOSED:
            settled = project.accepted_at + timedelta(days=2)
            amount = min(CAP_PER_PROJECT, _cents(project.budget * Decimal("0.95") * SHARE))
            project._awards.append(
                SubsidyAward(
                    project=project,
                    stage="settlement",
                    policy=policy,
                    base=_cents(project.budget * Decimal("0.95")),
                    amount=amount,
                    status="approved",
                    computed_by=clerk,
                    computed_at=settled - timedelta(days=1),
                    notice_until=settled,
                    objections_until=settled,
                    approved_by=clerk,
                    approved_at=settled,
                    charge_area_id=district_pk,
                    charge_year=timezone.localtime(settled).year,
                )
            )
            awards.append(project._awards[-1])
    SubsidyAward.objects.bulk_create(awards, batch_size=5000)

    for project in funded:
        provisional, *settlement = project._awards
        charged = (provisional.charge_area_id, provisional.charge_year)
        entry(project, EntryKind.AWARD, provisional.amount, provisional.approved_at, award=provisional, charged=charged)
        advances = Decimal("0.00")
        for condition, share, moment in (
            ("start", Decimal("0.3"), project.started_at + timedelta(days=2)),
            ("midpoint", Decimal("0.6"), project.completed_at),
        ):
            if moment is None:
                continue
            due = _cents(provisional.amount * share) - advances
            advances += due
            entry(project, EntryKind.ADVANCE, due, moment, award=provisional, condition=condition, charged=charged)
        if settlement:
            final = settlement[0]
            later = (final.charge_area_id, final.charge_year)
            entry(
                project,
                EntryKind.AWARD,
                final.amount - provisional.amount,
                final.approved_at,
                award=final,
                charged=later,
            )
            entry(project, EntryKind.SETTLEMENT, final.amount - advances, project.closed_at, award=final, charged=later)

    Commitment.objects.bulk_update(commitments, ["received"], batch_size=5000)
    _copy(
        Receipt,
        ["commitment_id", "amount", "received_on", "reference", "recorded_by_id", "recorded_at"],
        [(c.pk, amount, day, "", clerk.pk, moment) for c, amount, day, moment in receipts],
    )
    _ledger(entries, clerk.pk)


def _copy(model, columns: list[str], rows) -> None:
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _ledger(entries: list, clerk: int) -> None:
    """The entries in the ledger's order, each hashed onto the chain after the current head, with ids taken
    from the table's sequence in that order (the chain runs in id order)."""
    entries.sort(key=lambda item: item[0])
    table = LedgerEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x1ED6E5])
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s) ORDER BY 1",
            [len(entries)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    previous = ledger_head()
    rows = []
    for pk, (moment, project, kind, amount, area, year, links) in zip(ids, entries, strict=True):
        award = links.get("award")
        commitment = links.get("commitment")
        fields = {
            "kind": kind,
            "amount": amount,
            "project": project.pk,
            "area": area,
            "year": year,
            "award": award.pk if award else None,
            "commitment": commitment.pk if commitment else None,
            "condition": links.get("condition", ""),
            "reverses": None,
            "memo": links.get("memo", ""),
            "created_by": clerk,
            "created_at": moment,
            "prev_hash": previous,
        }
        own = chain.entry_hash(**fields)
        rows.append(
            (
                pk,
                project.pk,
                area,
                year,
                kind,
                amount,
                fields["commitment"],
                fields["award"],
                fields["condition"],
                None,
                fields["memo"],
                clerk,
                moment,
                previous,
                own,
            )
        )
        previous = own
    columns = [
        "id",
        "project_id",
        "area_id",
        "year",
        "kind",
        "amount",
        "commitment_id",
        "award_id",
        "condition",
        "reverses_id",
        "memo",
        "created_by_id",
        "created_at",
        "prev_hash",
        "entry_hash",
    ]
    _copy(LedgerEntry, columns, rows)
