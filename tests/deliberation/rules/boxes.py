"""Ballot boxes of subdistrict S1 for the permission matrices: one being prepared, one announced."""

from datetime import timedelta

from django.utils import timezone

from deliberation.models import BallotBox


def box_in(area, *, state="scheduled"):
    now = timezone.now()
    return BallotBox.objects.create(
        area=area,
        area_path=area.path,
        kind="question",
        title="是否同意试行？",
        state=state,
        opens_at=None if state == "draft" else now - timedelta(hours=1),
        closes_at=None if state == "draft" else now + timedelta(days=1),
    )


# Organisers and officials of S1 or above it manage its boxes; so does a superuser.
MANAGERS = {"organiser_here", "official_here", "official_city", "admin"}
