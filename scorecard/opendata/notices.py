"""Open data: outcome notices (公告), with how many working days publication took."""

from django.utils.translation import gettext_lazy as _

from civic.models import OutcomeNotice
from civic.selectors import published_within_deadline

from .core import Dataset, Field, link, within


def _notices(area):
    return within(OutcomeNotice.objects.all(), "area_path", area).select_related("area").order_by("published_at", "id")


def timing(name: str) -> dict:
    """Where a value of the notice's publication timing comes from (set on each record by `prepare`)."""
    return {"source": lambda n, context: getattr(n.timing, name)}


NOTICES = Dataset(
    name="notices",
    title=_("Outcome notices"),
    description=_(
        "Every notice (公告) published about a decision: answers, session decisions, ballot results, awards and "
        "payments, with how many working days publication took."
    ),
    fields=(
        Field("id", "integer", _("Number of the notice."), "77"),
        Field("kind", "text", _("answer, session, ballot, award, payment or other."), "award"),
        Field("title", "text", _("Title."), "3 栋楼道灯更换项目结算奖补公示"),
        Field("area_code", "text", _("Code of the area it concerns."), "990102001001", "area__code"),
        Field("area_name", "text", _("Name of that area."), "柳岸社区", "area__name"),
        Field("decided_at", "datetime", _("When the decision was taken."), "2026-07-06T09:00:00+08:00"),
        Field("published_at", "datetime", _("When the notice was published."), "2026-07-07T11:20:00+08:00"),
        Field(
            "working_days",
            "integer",
            _("Working days from decision to publication."),
            "1",
            **timing("working_days"),
        ),
        Field(
            "deadline",
            "date",
            _("Last day it was due, by the subsidy policy of its area (5 working days without one)."),
            "2026-07-13",
            **timing("due"),
        ),
        Field("on_time", "boolean", _("Whether it was published by that day."), "true", **timing("on_time")),
        Field("corrects_id", "integer", _("Notice this one corrects, if any."), ""),
        Field("source_url", "text", _("Address of the decision on this platform."), "/awards/31/"),
        Field("text", "text", _("Text of the notice."), "经验收合格……", "body"),
        Field("url", "url", _("Its page."), "https://example.org/notices/77/", **link("civic:notice-detail")),
    ),
    records=_notices,
    shape="only",
    # The publication timing reads the area's path, the decision and the publication moments.
    reads=("area_path",),
    prepare=published_within_deadline,
)
