"""Open data: published proposals."""

from types import SimpleNamespace

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal, ProposalState
from proposals.selectors import effective_state

from .core import Dataset, Field, link, person, within


def public_proposals() -> QuerySet[Proposal]:
    """What the public list shows: never drafts, never what moderation hid."""
    return Proposal.objects.filter(is_hidden=False).exclude(state=ProposalState.DRAFT)


def _state(p, context):
    clock = SimpleNamespace(state=p["state"], collection_deadline=p["collection_deadline"])
    return effective_state(clock, context.setdefault("now", timezone.now()))


PROPOSALS = Dataset(
    name="proposals",
    title=_("Proposals"),
    description=_(
        "Every published proposal with its co-signature and comment counts and the answer deadline. "
        "Drafts and proposals hidden by moderation are left out."
    ),
    fields=(
        Field("id", "integer", _("Number of the proposal on this platform."), "1024"),
        Field("title", "text", _("Title."), "3 栋楼道灯长期不亮"),
        Field("category", "text", _("Category."), "照明品质提升", "category__name"),
        Field("area_code", "text", _("Code of the area the proposal is about."), "990102001001", "area__code"),
        Field("area_name", "text", _("Name of that area."), "柳岸社区", "area__name"),
        Field(
            "state",
            "text",
            _(
                "State as the clock sees it: published, qualified, scheduled, adopted, not_adopted, "
                "in_implementation, done, expired, withdrawn or declined."
            ),
            "qualified",
            _state,
            reads=("state", "collection_deadline"),
        ),
        Field(
            "actor_kind",
            "text",
            _(
                "Who proposes: resident, or the kind of the organisation it was made for (enterprise, social, "
                "residents_group, committee, government)."
            ),
            "resident",
        ),
        Field(
            "organisation",
            "text",
            _("Organisation it was made for; empty for a resident."),
            "桂花物业",
            "organisation__name",
        ),
        Field(
            "author",
            "text",
            _(
                "Public display name of the account that wrote it (for a proposal brought in person or by phone, "
                "the staff member who entered it), as the proposal page shows it."
            ),
            "王秀英",
            **person("author"),
        ),
        Field("channel", "text", _("How it came in: online, in_person or phone."), "online"),
        Field("published_at", "datetime", _("When it was published."), "2026-03-02T09:15:00+08:00"),
        Field("threshold", "integer", _("Co-signatures it needed to qualify."), "30"),
        Field("endorsement_count", "integer", _("Co-signatures it has."), "42"),
        Field("comment_count", "integer", _("Comments it has."), "7"),
        Field("estimated_cost", "money", _("Cost the author estimated, if given."), "12000.00"),
        Field("response_due", "date", _("Date by which an official answer is due."), "2026-03-23"),
        Field(
            "first_answered_at",
            "datetime",
            _("When the first official answer was given; empty if none yet."),
            "2026-03-10T16:40:00+08:00",
        ),
        Field("qualified_at", "datetime", _("When it reached its co-signatures."), "2026-03-05T20:01:00+08:00"),
        Field(
            "closed_at",
            "datetime",
            _("When it was closed (decided, withdrawn, declined or done)."),
            "2026-05-12T11:00:00+08:00",
        ),
        Field("url", "url", _("Its page."), "https://example.org/proposals/1024/", **link("proposals:proposal-detail")),
    ),
    records=lambda area: within(public_proposals(), "area_path", area).order_by("published_at", "id"),
)
