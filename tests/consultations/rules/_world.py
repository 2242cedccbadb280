"""A consultation of community C1 for the role matrices (drafted by the official of D1)."""

from datetime import timedelta

from django.utils import timezone

from consultations.models import Consultation, Opinion


def consultation_in(w, *, state="open", **kwargs):
    now = timezone.now()
    return Consultation.objects.create(
        title="一社区管理规约",
        kind="community_rules",
        area=w["C1"],
        area_path=w["C1"].path,
        created_by=w["official_here"],
        state=state,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=9),
        **kwargs,
    )


def opinion_in(consultation, author, **kwargs):
    return Opinion.objects.create(consultation=consultation, author=author, text="意见", **kwargs)
