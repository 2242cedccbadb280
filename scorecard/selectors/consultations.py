"""The numbers of consultations (法治: 开门立法) for every bucket, in three queries."""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from consultations.models import Classification, Consultation, ConsultationState, Opinion, Source, Symposium

from ..period import Period
from .common import bucketed, by_bucket, in_period, ratio

ADOPTING = (Classification.ADOPTED, Classification.PARTLY_ADOPTED)
OFFLINE_ONE_PERSON = (Source.LETTER, Source.HOTLINE, Source.VISIT)


def empty() -> dict:
    return {"held": 0, "opinions": 0, "participants": 0, "adopted": 0, "adoption_base": 0, "in_time": 0, "due": 0}


def numbers(scope: str, buckets: list[str], period: Period, today) -> dict[str, dict]:
    """{bucket: numbers} of the consultations opened for opinions in the period and their opinions."""
    held = Consultation.objects.filter(in_period("opens_at", period)).exclude(state=ConsultationState.DRAFT)
    result = {bucket: empty() for bucket in buckets}
    for bucket, row in by_bucket(bucketed(held, "area_path", scope, buckets), n=Count("pk")).items():
        if bucket in result:
            result[bucket]["held"] = row["n"]
    opinions = Opinion.objects.filter(Exists(held.filter(pk=OuterRef("consultation"))))
    due = Q(answered_at__isnull=False) | Q(consultation__answer_due__lt=today)
    rows = by_bucket(
        bucketed(opinions, "consultation__area_path", scope, buckets),
        opinions=Count("pk"),
        authors=Count("author", filter=Q(source=Source.ONLINE), distinct=True),
        one_person=Count("pk", filter=Q(source__in=OFFLINE_ONE_PERSON)),
        adopted=Count("pk", filter=Q(classification__in=ADOPTING)),
        adoption_base=Count("pk", filter=Q(answered_at__isnull=False) & ~Q(classification=Classification.OUT_OF_SCOPE)),
        in_time=Count("pk", filter=Q(answered_at__date__lte=F("consultation__answer_due"))),
        due=Count("pk", filter=due),
    )
    attendance = by_bucket(
        bucketed(
            Symposium.objects.filter(Exists(held.filter(pk=OuterRef("consultation")))),
            "consultation__area_path",
            scope,
            buckets,
        ),
        people=Sum("attendance"),
    )
    for bucket, row in rows.items():
        if bucket not in result:
            continue
        people = (attendance.get(bucket) or {}).get("people") or 0
        result[bucket].update(
            opinions=row["opinions"],
            participants=row["authors"] + row["one_person"] + people,
            adopted=row["adopted"],
            adoption_base=row["adoption_base"],
            in_time=row["in_time"],
            due=row["due"],
        )
    return result


def figures(c: dict) -> list[tuple]:
    """(key, value, numerator, denominator) of each consultation figure."""
    return [
        ("consultations_held", c["held"], c["held"], None),
        ("consultation_participants", c["participants"], c["participants"], None),
        ("consultation_opinions", c["opinions"], c["opinions"], None),
        ("consultation_adoption_rate", ratio(c["adopted"], c["adoption_base"]), c["adopted"], c["adoption_base"]),
        ("consultation_answered_in_time_share", ratio(c["in_time"], c["due"]), c["in_time"], c["due"]),
    ]
