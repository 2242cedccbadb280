"""Open data: official answers to published proposals."""

from django.utils.translation import gettext_lazy as _

from proposals.models import OfficialAnswer, ProposalState

from .core import Dataset, Field, person, within


def _answers(area):
    answers = OfficialAnswer.objects.filter(proposal__is_hidden=False).exclude(proposal__state=ProposalState.DRAFT)
    return within(answers, "proposal__area_path", area).order_by("created_at", "id")


ANSWERS = Dataset(
    name="answers",
    title=_("Official answers"),
    description=_("Every official answer to a published proposal, with how many working days it took."),
    fields=(
        Field("id", "integer", _("Number of the answer."), "311"),
        Field("proposal_id", "integer", _("Proposal answered (see the proposals dataset)."), "1024"),
        Field("proposal_title", "text", _("Title of that proposal."), "3 栋楼道灯长期不亮", "proposal__title"),
        Field("area_code", "text", _("Code of the proposal's area."), "990102001001", "proposal__area__code"),
        Field(
            "status",
            "text",
            _("The answer: accepted (for deliberation), more_info, declined or planned."),
            "accepted",
        ),
        Field("answered_at", "datetime", _("When it was given."), "2026-03-10T16:40:00+08:00", "created_at"),
        Field(
            "working_days_taken",
            "integer",
            _("Working days from publication of the proposal to this answer."),
            "6",
        ),
        Field("on_time", "boolean", _("Whether it came within the answer deadline."), "true"),
        Field("text", "text", _("The reasons given, as published."), "已列入街道年度计划……", "reason"),
        Field("official", "text", _("Public display name of the official who answered."), "李明", **person("official")),
        Field(
            "organisation",
            "text",
            _("Office the official answered for, if named."),
            "湖滨街道办事处",
            "organisation__name",
        ),
    ),
    records=_answers,
)
