"""Open data: micro-projects, with the cost verified at acceptance and a summary of residents' ratings."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from funding.models import Inspection, InspectionResult, MicroProject

from .core import CENT, TEN_THOUSANDTH, Dataset, Field, link, ratio, within


def _projects(area):
    accepted = (
        # The latest accepted inspection gives the verified cost and the acceptance score.
        Inspection.objects.filter(project=OuterRef("pk"), result=InspectionResult.ACCEPTED).order_by(
            "-signed_at", "-id"
        )
    )
    return (
        within(MicroProject.objects.all(), "area_path", area)
        .annotate(
            verified_cost=Subquery(accepted.values("verified_cost")[:1]),
            acceptance_score=Subquery(accepted.values("score")[:1]),
            ratings_count=Count("ratings"),
            ratings_satisfied=Count("ratings", filter=Q(ratings__level__gte=3)),
            ratings_sum=Sum("ratings__level"),
            implementer_name=F("implementer__name"),
        )
        .order_by("created_at", "id")
    )


def _satisfaction_rate(p, context):
    return ratio(p["ratings_satisfied"], p["ratings_count"], TEN_THOUSANDTH)


def _average_rating(p, context):
    return ratio(p["ratings_sum"] or 0, p["ratings_count"], CENT)


PROJECTS = Dataset(
    name="projects",
    title=_("Micro-projects"),
    description=_(
        "Every micro-project: who builds it, its budget and dates, the cost verified at acceptance and what "
        "residents think of it. Individual ratings are not included, only their count and summary."
    ),
    fields=(
        Field("id", "integer", _("Number of the project."), "56"),
        Field("title", "text", _("Title."), "3 栋楼道灯更换"),
        Field("area_code", "text", _("Code of the project's area."), "990102001001", "area__code"),
        Field("area_name", "text", _("Name of that area."), "柳岸社区", "area__name"),
        Field("proposal_id", "integer", _("Proposal it carries out, if any."), "1024"),
        Field("implementer", "text", _("Organisation that carries it out."), "柳岸社区服务中心", "implementer_name"),
        Field(
            "state",
            "text",
            _("planned, in_progress, completed, accepted, closed, suspended or cancelled."),
            "accepted",
        ),
        Field("budget", "money", _("Approved budget."), "120000.00"),
        Field("planned_start", "date", _("Planned start."), "2026-05-06"),
        Field("planned_end", "date", _("Planned end."), "2026-07-05"),
        Field("started_at", "datetime", _("When work started."), "2026-05-08T09:00:00+08:00"),
        Field(
            "completed_at",
            "datetime",
            _("When the implementer reported completion."),
            "2026-06-28T17:30:00+08:00",
        ),
        Field(
            "accepted_at",
            "datetime",
            _("When it passed the acceptance inspection."),
            "2026-07-03T10:00:00+08:00",
        ),
        Field("closed_at", "datetime", _("When it was closed."), "2026-09-01T10:00:00+08:00"),
        Field("verified_cost", "money", _("Cost verified at the latest accepted inspection."), "116500.00"),
        Field("acceptance_score", "decimal", _("Score of that inspection, out of 100."), "92.50"),
        Field("ratings_count", "integer", _("Residents' satisfaction ratings received."), "48"),
        Field(
            "satisfaction_rate",
            "share",
            _("Ratings of 3 to 5 (very satisfied, satisfied, fairly satisfied) ÷ all ratings."),
            "0.8750",
            _satisfaction_rate,
            reads=("ratings_satisfied", "ratings_count"),
        ),
        Field(
            "average_rating",
            "decimal",
            _("Average rating, 5 = very satisfied … 1 = very dissatisfied, rounded half up."),
            "4.21",
            _average_rating,
            reads=("ratings_sum", "ratings_count"),
        ),
        Field("url", "url", _("Its page."), "https://example.org/projects/56/", **link("funding:project-detail")),
    ),
    records=_projects,
)
