"""Open data: reports of small matters (关键小事) without their reporters, and the three rates per grid cell and
month, counted as the scorecard counts them (casework.rates)."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DateField
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import rates
from casework.models import OPEN_STATES, Report

from .core import Dataset, Field, within

THOUSANDTH = Decimal("0.001")


def _reports(area):
    return within(Report.objects.filter(is_hidden=False), "area_path", area).order_by("submitted_at", "id")


def _rounded(name: str) -> dict:
    """A coordinate rounded to three decimals (about 100 m), as the public board shows it."""

    def value(record, context):
        raw = record[name]
        return None if raw is None else Decimal(raw).quantize(THOUSANDTH, ROUND_HALF_UP)

    return {"source": value, "reads": (name,)}


def _passed(name: str) -> dict:
    return {"source": lambda record, context: record[name] is not None, "reads": (name,)}


REPORTS = Dataset(
    name="reports",
    title=_("Reports of small matters"),
    description=_(
        "Every report of a small matter (关键小事) and how far it has gone, without who reported it or who is also "
        "affected; the position is rounded to about 100 m. Reports hidden by moderation are left out."
    ),
    fields=(
        Field("id", "integer", _("Number of the report."), "5021"),
        Field("category_key", "text", _("Key of its category, the same where an area below overrides it."), "lamp"),
        Field("category", "text", _("Name of its category."), "路灯不亮", "category__name"),
        Field(
            "area_code",
            "text",
            _("Code of its grid cell (or of the area where it waits to be placed)."),
            "990102001001003",
            "cell__code",
        ),
        Field("area_name", "text", _("Name of that area."), "柳岸社区第三网格", "cell__name"),
        Field("place", "text", _("Where it is, as described."), "柳岸路 12 号路口"),
        Field("text", "text", _("What is wrong, as reported."), "路灯晚上不亮，已经三天"),
        Field("channel", "text", _("How it came in: online, phone, in_person or open311."), "online"),
        Field(
            "state",
            "text",
            _(
                "State: submitted, accepted, dispatched, in_progress, resolved, closed, rejected, withdrawn, merged "
                "or referred."
            ),
            "closed",
        ),
        Field(
            "status",
            "text",
            _("open or closed (as Open311 says it)."),
            "closed",
            source=lambda record, context: "open" if record["state"] in OPEN_STATES else "closed",
            reads=("state",),
        ),
        Field("latitude", "coordinate", _("Latitude, rounded to three decimals."), "30.274", **_rounded("latitude")),
        Field(
            "longitude", "coordinate", _("Longitude, rounded to three decimals."), "120.155", **_rounded("longitude")
        ),
        Field("submitted_at", "datetime", _("When it was reported."), "2026-03-02T09:15:00+08:00"),
        Field("response_due", "datetime", _("When it was to be accepted by."), "2026-03-02T17:15:00+08:00"),
        Field("accepted_at", "datetime", _("When it was accepted."), "2026-03-02T10:05:00+08:00"),
        Field("handling_due", "datetime", _("When it was to be handled by."), "2026-03-05T10:05:00+08:00"),
        Field("resolved_at", "datetime", _("When the unit last reported it resolved."), "2026-03-04T15:30:00+08:00"),
        Field(
            "closed_at",
            "datetime",
            _("When it was closed (also rejected, withdrawn, merged or referred)."),
            "2026-03-05T09:00:00+08:00",
        ),
        Field(
            "response_overdue",
            "boolean",
            _("Whether its response limit ever passed."),
            "false",
            **_passed("response_overdue_at"),
        ),
        Field(
            "handling_overdue",
            "boolean",
            _("Whether its handling limit ever passed."),
            "false",
            **_passed("handling_overdue_at"),
        ),
        Field("reopen_count", "integer", _("Times it was reopened after a poor rating."), "0"),
        Field(
            "rating",
            "integer",
            _("Latest rating by the reporter: 5 very satisfied … 1 very dissatisfied."),
            "4",
            "rating_level",
        ),
        Field("unit", "text", _("Handling unit it was dispatched to."), "东湖区路灯管理所", "unit__organisation__name"),
        Field("referred_to", "text", _("Where it was referred, outside the platform."), ""),
    ),
    records=_reports,
)


def _rate_rows(area):
    counted = within(Report.objects.exclude(state__in=rates.EXCLUDED_STATES), "area_path", area)
    month = TruncMonth("submitted_at", output_field=DateField(), tzinfo=timezone.get_default_timezone())
    return (
        counted.annotate(month=month)
        .values("month", "cell_id", "cell__code", "cell__name")
        .annotate(**rates.aggregates(timezone.now()))
        .order_by("month", "cell__code")
    )


def _median_days(rows: list) -> dict:
    """{(cell id, month): median handling days} for a chunk of rows, in one query."""
    if not rows:
        return {}
    wanted = {(row["cell_id"], row["month"]) for row in rows}
    month = TruncMonth("submitted_at", output_field=DateField(), tzinfo=timezone.get_default_timezone())
    spans = defaultdict(list)
    handled = rates.handled(Report.objects.exclude(state__in=rates.EXCLUDED_STATES)).filter(
        cell_id__in={cell for cell, _month in wanted},
        submitted_at__gte=rates.month_start(min(m for _cell, m in wanted)),
    )
    for cell, when, accepted_at, resolved_at in handled.annotate(month=month).values_list(
        "cell_id", "month", "accepted_at", "resolved_at"
    ):
        if (cell, when) in wanted:
            spans[(cell, when)].append(rates.handling_days(accepted_at, resolved_at))
    return {key: rates.median_days(days) for key, days in spans.items()}


def _rate(part: str, whole: str) -> dict:
    return {"source": lambda row, context: rates.ratio(row[part], row[whole]), "reads": ()}


REPORT_RATES = Dataset(
    name="report_rates",
    title=_("Small-matter rates by grid cell and month"),
    description=_(
        "The response, resolution and satisfaction rates (响应率, 解决率, 满意率) of the reports submitted in each "
        "grid cell in each month, counted as the scorecard counts them, with the numbers they are made of so that "
        "they can be added up over cells and months. Reports merged, withdrawn or rejected are left out; a report "
        "still inside the limit being measured is not counted in that rate yet."
    ),
    fields=(
        Field("month", "date", _("First day of the month the reports were submitted in."), "2026-03-01"),
        Field("area_code", "text", _("Code of the grid cell."), "990102001001003", "cell__code"),
        Field("area_name", "text", _("Name of the grid cell."), "柳岸社区第三网格", "cell__name"),
        Field("reports", "integer", _("Reports counted."), "12"),
        Field("response_counted", "integer", _("Reports accepted or past their response limit."), "11"),
        Field("response_in_time", "integer", _("Of those, accepted within the response limit."), "10"),
        Field(
            "response_rate",
            "share",
            _("Response rate: the second over the first."),
            "0.9091",
            **_rate("response_in_time", "response_counted"),
        ),
        Field(
            "resolution_counted",
            "integer",
            _("Accepted reports closed after a resolution or past their handling limit (referrals left out)."),
            "9",
        ),
        Field("resolved", "integer", _("Of those, closed after a resolution."), "8"),
        Field(
            "resolution_rate",
            "share",
            _("Resolution rate: the second over the first."),
            "0.8889",
            **_rate("resolved", "resolution_counted"),
        ),
        Field("rated", "integer", _("Reports rated (a reopened report once, by its latest rating)."), "7"),
        Field("satisfied", "integer", _("Of those, very satisfied, satisfied or fairly satisfied."), "6"),
        Field(
            "satisfaction_rate",
            "share",
            _("Satisfaction rate: the second over the first."),
            "0.8571",
            **_rate("satisfied", "rated"),
        ),
        Field(
            "median_handling_days",
            "decimal",
            _("Median working days from acceptance to the last resolution of the reports closed after one."),
            "2.00",
            source=lambda row, context: context["extra"].get((row["cell_id"], row["month"])),
            reads=(),
        ),
    ),
    records=_rate_rows,
    shape="as_is",
    prepare=_median_days,
)
