"""Reports of small matters built directly in any state, for the tests of what reads them (the rates, the
hot spots, Open311, the open data, the proposal suggestions). The loop's own tests go through its services."""

from datetime import datetime, timedelta

from django.utils import timezone

from casework.models import Category, Report, ReportRating, ReportState, Unit, UnitKind
from civic.models import Area, Organisation
from tests.factories import UserFactory, valid_credit_code

S = ReportState


def make_category(area: Area, key: str = "lamp", name: str = "路灯不亮", **fields) -> Category:
    defaults = {
        "name_en": "Street lamp out",
        "unit_kind": UnitKind.STREET_LIGHTING,
        "response_hours": 8,
        "handling_days": 3,
        "created_by": fields.pop("created_by", None) or UserFactory(),
    }
    return Category.objects.create(area=area, area_path=area.path, key=key, name=name, **{**defaults, **fields})


def make_unit(name: str = "路灯所", kind: str = UnitKind.STREET_LIGHTING, n: int = 700) -> Unit:
    organisation = Organisation.objects.create(name=name, kind="government", credit_code=valid_credit_code(n, "11"))
    return Unit.objects.create(organisation=organisation, kind=kind)


def make_report(
    cell: Area,
    category: Category,
    *,
    state: str = S.SUBMITTED,
    submitted_at: datetime | None = None,
    reporter=None,
    unit: Unit | None = None,
    rating: int | None = None,
    **fields,
) -> Report:
    """A report in `state`, with the times that state implies (each can be given): accepted an hour after
    submission, dispatched and started at once, resolved a day later, closed a day after that."""
    submitted_at = submitted_at or timezone.now() - timedelta(days=1)
    reached = {
        S.SUBMITTED: 0,
        S.REJECTED: 0,
        S.WITHDRAWN: 0,
        S.MERGED: 0,
        S.ACCEPTED: 1,
        S.REFERRED: 1,
        S.DISPATCHED: 2,
        S.IN_PROGRESS: 3,
        S.RESOLVED: 4,
        S.CLOSED: 5,
    }[state]
    times: dict = {"response_due": submitted_at + timedelta(hours=8)}
    if reached >= 1:
        times["accepted_at"] = submitted_at + timedelta(hours=1)
        times["handling_due"] = times["accepted_at"] + timedelta(days=3)
    if reached >= 2:
        times["dispatched_at"] = times["accepted_at"]
    if reached >= 3:
        times["started_at"] = times["accepted_at"]
    if reached >= 4:
        times["resolved_at"] = times["accepted_at"] + timedelta(days=1)
    if reached >= 5 or state in (S.REJECTED, S.WITHDRAWN, S.MERGED, S.REFERRED):
        times["closed_at"] = (times.get("resolved_at") or submitted_at) + timedelta(days=1)
    if state == S.REFERRED:
        times["referred_to"] = "市水务集团"
    if reached >= 2 and unit is None:
        unit = category.default_unit or make_unit(n=700 + Report.objects.count())
    if state == S.MERGED and "merged_into" not in fields:
        fields["merged_into"] = make_report(cell, category, submitted_at=submitted_at)
    values = {
        "category": category,
        "category_key": category.key,
        "cell": cell,
        "area_path": cell.path,
        "place": "测试路口",
        "text": "路灯不亮",
        "channel": "online",
        "reporter": reporter or UserFactory(),
        "state": state,
        "unit": unit,
        "submitted_at": submitted_at,
        **times,
        **fields,
    }
    report = Report.objects.create(**values)
    if rating is not None:
        rate(report, rating)
    return report


def rate(report: Report, level: int, *, round: int | None = None) -> ReportRating:
    """A rating of the report's current round; the report keeps it as its latest."""
    rating = ReportRating.objects.create(
        report=report,
        round=report.reopen_count if round is None else round,
        level=level,
        comment="" if level >= 3 else "没修好",
        channel="self",
        rated_by=report.reporter,
        unit=report.unit,
    )
    Report.objects.filter(pk=report.pk).update(rating_level=level)
    report.rating_level = level
    return rating
