"""Small helpers shared by the counting: shares, buckets of areas and the period's bounds."""

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from ..period import Period
from .definitions import SHARE


def ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(SHARE, ROUND_HALF_UP)


def bucketed(queryset, field: str, scope: str, buckets: list[str]):
    """Rows under `scope` (all rows if empty), each annotated `bucket`: the path in `buckets` prefixing its
    `field` ("" for rows under none of them)."""
    if scope:
        queryset = queryset.filter(**{f"{field}__startswith": scope})
    if buckets == [scope]:
        return queryset.annotate(bucket=Value(scope, output_field=CharField()))
    whens = [When(**{f"{field}__startswith": path}, then=Value(path)) for path in buckets]
    return queryset.annotate(bucket=Case(*whens, default=Value(""), output_field=CharField()))


def in_period(field: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def by_bucket(queryset, **aggregates) -> dict[str, dict]:
    return {row.pop("bucket"): row for row in queryset.order_by().values("bucket").annotate(**aggregates)}


def start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
