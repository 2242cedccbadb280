"""Reading micro-projects: lists, the money picture, milestones, ratings; a fixed number of queries each."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from civic import pagecache
from civic.models import Area
from civic.selectors import areas_for_roles
from proposals.models import Proposal, ProposalState

from ..models import (
    Commitment,
    FundingSource,
    Inspection,
    InspectionResult,
    MicroProject,
    Milestone,
    ProjectState,
    SatisfactionLevel,
    SatisfactionRating,
)
from .policy import policy_in_force

DEFAULT_RATING_DAYS = 30


def adopted_without_project(user):
    """Adopted proposals with no project yet, in the areas where `user` is an official."""
    areas = areas_for_roles(user, {"official"})
    paths = list(areas.values_list("path", flat=True))
    if not paths and not user.is_superuser:
        return Proposal.objects.none()
    query = Q()
    for path in paths:
        query |= Q(area_path__startswith=path)
    qs = Proposal.objects.filter(state=ProposalState.ADOPTED, is_hidden=False, project__isnull=True)
    if not user.is_superuser:
        qs = qs.filter(query)
    return qs.select_related("area", "category").order_by("-closed_at", "-id")


# The columns a row of the project list shows (and what its links and badges need).
LIST_FIELDS = (
    "id",
    "title",
    "state",
    "budget",
    "created_at",
    "area_path",
    "area__code",
    "area__name",
    "implementer__name",
)


# The columns a project of the API's list shows (ProjectListSerializer).
API_LIST_FIELDS = (
    "id",
    "title",
    "state",
    "proposal_id",
    "budget",
    "planned_start",
    "planned_end",
    "location",
    "created_at",
    "area__code",
    "area__name",
    "area__level",
    "implementer__id",
    "implementer__name",
)


def projects_in(area: Area | None = None, *, state: str | None = None, implementer=None):
    """Projects of an area and the areas under it, with what the API's list shows, in one query, newest
    first in the order of `funding_project_newest` / `funding_project_state`. The overdue milestones are
    counted per row (a project's few milestones, by their project's index), so a page reads its own rows
    and not every project's milestones."""
    qs = MicroProject.objects.select_related("area", "implementer")
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if state:
        qs = qs.filter(state=state)
    if implementer is not None:
        qs = qs.filter(implementer=implementer)
    overdue = (
        Milestone.objects.filter(project_id=OuterRef("pk"), reached_at__isnull=True, due_on__lt=timezone.localdate())
        .order_by()
        .values("project_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return (
        qs.only(*API_LIST_FIELDS)
        .annotate(overdue_milestones=Coalesce(Subquery(overdue, output_field=IntegerField()), 0))
        .order_by("-created_at", "-id")
    )


def project_rows(area: Area | None = None, *, state: str | None = None):
    """The public list's rows, newest first: only the columns a row shows, in the order of the indexes
    `funding_project_newest` / `funding_project_state` (a page costs its rows, not the table; the overdue
    milestones of a page's rows: `overdue_counts`)."""
    qs = MicroProject.objects.select_related("area", "implementer")
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if state:
        qs = qs.filter(state=state)
    return qs.only(*LIST_FIELDS).order_by("-created_at", "-id")


def overdue_counts(projects) -> dict[int, int]:
    """{project id: milestones not reached and past their date} for the rows of one page, in one query."""
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    today = timezone.localdate()
    rows = (
        Milestone.objects.filter(project_id__in=ids, reached_at__isnull=True, due_on__lt=today)
        .order_by()
        .values_list("project_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def project_detail(pk) -> MicroProject:
    """A project with everything its page shows prefetched (a fixed number of queries)."""
    return (
        MicroProject.objects.select_related("area", "implementer", "proposal", "created_by")
        .prefetch_related(
            "budget_lines",
            "milestones",
            Prefetch("commitments", queryset=Commitment.objects.select_related("organisation")),
            Prefetch("reports", queryset=_reports()),
            Prefetch("inspections", queryset=Inspection.objects.select_related("inspector").prefetch_related("photos")),
        )
        .get(pk=pk)
    )


def _reports():
    from ..models import ProgressReport

    return ProgressReport.objects.select_related("author", "milestone").prefetch_related("photos")


def co_funding(project: MicroProject) -> dict:
    """Who pays what share: commitments and receipts by source, with shares of the total committed."""
    commitments = list(project.commitments.all())
    total = sum((c.amount for c in commitments), Decimal("0.00"))
    received = sum((c.received for c in commitments), Decimal("0.00"))
    by_source = []
    for source in FundingSource:
        rows = [c for c in commitments if c.source == source]
        if not rows:
            continue
        amount = sum((c.amount for c in rows), Decimal("0.00"))
        by_source.append(
            {
                "source": source.value,
                "label": source.label,
                "amount": amount,
                "received": sum((c.received for c in rows), Decimal("0.00")),
                "share": (amount / total) if total else Decimal(0),
            }
        )
    return {"commitments": commitments, "total": total, "received": received, "by_source": by_source}


def residents_money(project: MicroProject) -> Decimal:
    """Residents' self-raised money that arrived (the self-funded share's numerator)."""
    value = project.commitments.filter(source=FundingSource.RESIDENTS).aggregate(s=Sum("received"))["s"]
    return value or Decimal("0.00")


def latest_accepted_inspection(project: MicroProject) -> Inspection | None:
    return (
        Inspection.objects.filter(project=project, result=InspectionResult.ACCEPTED)
        .select_related("inspector")
        .order_by("-signed_at", "-id")
        .first()
    )


def rating_window(project: MicroProject):
    """(opens, closes) of the residents' rating period, or (None, None) before acceptance."""
    if project.accepted_at is None or project.state not in (ProjectState.ACCEPTED, ProjectState.CLOSED):
        return None, None
    policy = policy_in_force(project.area, project.accepted_at)
    days = policy.rating_days if policy else DEFAULT_RATING_DAYS
    return project.accepted_at, project.accepted_at + timedelta(days=days)


def rating_period(project: MicroProject, now=None) -> dict:
    """The rating period judged from the clock: opens, closes, and whether it is open now, not yet open
    (before) or over. The one rule for the page, the API, the rating service and the settlement."""
    opens, closes = rating_window(project)
    now = now or timezone.now()
    return {
        "opens": opens,
        "closes": closes,
        "open": opens is not None and opens <= now < closes,
        "before": opens is not None and now < opens,
        "over": closes is not None and now >= closes,
    }


def rating_status(project: MicroProject, user, now=None) -> dict:
    """This person's rating, the period, and whether they may still rate or change it (once, while open)."""
    period = rating_period(project, now)
    rating = my_rating(project, user)
    return {
        "rating": rating,
        "window": period,
        "can_change": period["open"] and (rating is None or rating.changed_at is None),
    }


def satisfaction(project: MicroProject) -> dict:
    """Distribution over the five levels, the satisfaction rate (top three levels ÷ all) and the average."""
    counts = dict(
        SatisfactionRating.objects.filter(project=project).values_list("level").annotate(n=Count("id")).order_by()
    )
    total = sum(counts.values())
    satisfied = sum(counts.get(level, 0) for level in (5, 4, 3))
    rate = (Decimal(satisfied) / total) if total else Decimal(0)
    average = (
        (Decimal(sum(level * n for level, n in counts.items())) / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if total
        else None
    )
    return {
        "total": total,
        "rate": rate.quantize(Decimal("0.0001"), ROUND_HALF_UP),
        "average": average,
        "levels": [
            {
                "level": level.value,
                "label": level.label,
                "count": counts.get(level.value, 0),
                "share": (Decimal(counts.get(level.value, 0)) / total) if total else Decimal(0),
            }
            for level in SatisfactionLevel
        ],
    }


def my_rating(project, user) -> SatisfactionRating | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return SatisfactionRating.objects.filter(project=project, user=user).first()


def conditions_met(project: MicroProject) -> set[str]:
    """Which advance conditions the project has reached (start, midpoint, completion)."""
    met = set()
    if project.started_at:
        met.add("start")
    if project.milestones.filter(is_midpoint=True, reached_at__isnull=False).exists():
        met.add("midpoint")
    if project.completed_at or project.accepted_at:
        met.add("completion")
    return met


def overdue_milestones(user):
    """Unreached milestones past their date in the areas where `user` is an official (for their list)."""
    today = timezone.localdate()
    qs = Milestone.objects.filter(
        reached_at__isnull=True,
        due_on__lt=today,
        project__state__in=[ProjectState.PLANNED, ProjectState.IN_PROGRESS],
    ).select_related("project__area", "project__implementer")
    if not user.is_superuser:
        paths = list(areas_for_roles(user, {"official"}).values_list("path", flat=True))
        if not paths:
            return Milestone.objects.none()
        query = Q()
        for path in paths:
            query |= Q(project__area_path__startswith=path)
        qs = qs.filter(query)
    return qs.order_by("due_on", "id")


def has_overdue(project_qs):
    today = timezone.localdate()
    return project_qs.annotate(
        any_overdue=Exists(Milestone.objects.filter(project=OuterRef("pk"), reached_at__isnull=True, due_on__lt=today))
    )


FINISHED_STATES = (ProjectState.COMPLETED, ProjectState.ACCEPTED, ProjectState.CLOSED)


def progress(project: MicroProject, milestones: list[Milestone]) -> dict | None:
    """How far the work is, at a glance: the share of milestones reached; the whole once completion is
    reported. None for a project not started or stopped (nothing to measure) without milestones."""
    total = len(milestones)
    reached = sum(1 for m in milestones if m.reached_at is not None)
    if project.state in FINISHED_STATES:
        return {"percent": 100, "reached": reached, "total": total, "finished": True}
    if project.state == ProjectState.CANCELLED or not total:
        return None
    percent = int((Decimal(100) * reached / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {"percent": percent, "reached": reached, "total": total, "finished": False}


def reader_query(project_pk, me: int) -> tuple[str, list] | None:
    """The query of `reader_facts` for the reader whose pk is `me` (sql, params): rows (tag, text, number).
    None if `project_pk` cannot be a key."""
    from django.db import connection

    from civic.models import Membership, ResidencyVerification, VerificationStatus
    from civic.rows import key

    from ..models import AwardObjection, ObjectionStatus, SubsidyAward

    if (project := key(project_pk)) is None:
        return None
    sql = (
        f"SELECT 'rated', '', id FROM {SatisfactionRating._meta.db_table} WHERE project_id = %s AND user_id = %s "
        f"UNION ALL SELECT 'verified', a.path, v.id FROM {ResidencyVerification._meta.db_table} v "
        f"JOIN {Area._meta.db_table} a ON a.id = v.cell_id "
        f"WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s "
        f"UNION ALL SELECT 'implementer', '', m.id FROM {Membership._meta.db_table} m "
        f"JOIN {MicroProject._meta.db_table} p ON p.implementer_id = m.organisation_id "
        f"WHERE p.id = %s AND m.user_id = %s "
        f"UNION ALL SELECT 'objected', '', o.id FROM {AwardObjection._meta.db_table} o "
        f"JOIN {SubsidyAward._meta.db_table} w ON w.id = o.award_id "
        f"WHERE w.project_id = %s AND o.author_id = %s AND o.status = %s"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, [
        *(project, me),
        *(me, VerificationStatus.APPROVED.value, now),
        *(project, me),
        *(project, me, ObjectionStatus.OPEN.value),
    ]


def reader_facts(project_pk: int, user, rows: list[tuple] | None = None) -> dict:
    """What one signed-in reader sees of a project's page that others do not, in one plain query (asked on
    every signed-in reading of the page they share): where they are a verified resident (`eligible_in`, the
    rule of `funding.rate_project`), and whether the page is theirs alone: they rated it (their rating is
    shown), they belong to the implementer (progress forms), or an objection of theirs waits for an answer.
    A test holds them equal to the models' answers. `rows`: `reader_query`'s rows, already read with the
    page's own query (pagecache.Part's `reader_rows`)."""
    found: dict[str, list[str]] = {}
    for tag, text, _number in pagecache.reader_rows(rows, lambda: reader_query(project_pk, user.pk)):
        found.setdefault(tag, []).append(text)
    cell = found["verified"][0] if "verified" in found else None  # one approved at a time (a constraint)
    return {
        "eligible_in": lambda path: cell is not None and cell.startswith(path),
        "own": bool({"rated", "implementer", "objected"} & found.keys()),
    }
