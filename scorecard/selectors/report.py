"""The yearly report: the scorecard for a calendar year, the projects built or accepted in it, and the money."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from civic.models import Area
from civic.money import as_amount
from funding.models import EntryKind, Inspection, InspectionResult, LedgerEntry, MicroProject, SatisfactionRating

from ..period import year_period
from .cards import scorecard
from .common import in_period, ratio
from .definitions import PAYMENT_KINDS, SATISFIED


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
        MicroProject.objects.filter(in_period("completed_at", period) | in_period("accepted_at", period))
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
    sums = LedgerEntry.objects.filter(in_period("created_at", period), project__area_path__startswith=scope).aggregate(
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
            "budget": as_amount(project.budget),
            "cost": as_amount(project.verified_cost if project.verified_cost is not None else project.budget),
            "verified": project.verified_cost is not None,
            "award": as_amount(money[project.pk]["award"]),
            "paid": as_amount(money[project.pk]["paid"]),
            "ratings": (rated := ratings.get(project.pk, unrated))["total"],
            "satisfaction": ratio(rated["satisfied"], rated["total"]),
        }
        for project in projects
    ]
    report["money"] = {
        "awarded": as_amount(sums["awarded"]),
        "paid": as_amount(sums["paid"]),
        "cofunding_by_source": report["shared"]["cofunding_by_source"],
    }
    report["year"] = year
    return report
