"""The deliberation part of `manage.py seed_scale`: an open yes/no ballot box for the whole city, which
bench/http.py votes in (the residents of the data set are all eligible)."""

from datetime import timedelta

from django.utils import timezone

from civic.models import Area

from .models import BallotBox, BallotOption, BoxKind, BoxState
from .services.ballots import QUESTION_OPTIONS


def seed(world: dict) -> None:
    city = Area.objects.get(pk=world["areas"]["city"][0])
    now = timezone.now()
    box = BallotBox.objects.create(
        area=city,
        area_path=city.path,
        kind=BoxKind.QUESTION,
        title="规模市是否延长夜间公交运营时间",
        description="基准测试用的全市表决。",
        state=BoxState.SCHEDULED,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=365),
        secret=True,
        allow_change=True,
    )
    BallotOption.objects.bulk_create(
        BallotOption(box=box, title=pid, project_id=pid, position=position)
        for position, (pid, _label) in enumerate(QUESTION_OPTIONS)
    )
