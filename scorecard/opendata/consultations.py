"""Open data: consultations (开门立法) and the opinions given on them, with every answer."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation, ConsultationState, Opinion

from .core import Dataset, Field, link, public_name, within

READABLE_STATES = (ConsultationState.ANSWERED, ConsultationState.CONCLUDED)


def _consultations(area):
    published = Consultation.objects.exclude(state=ConsultationState.DRAFT)
    return within(published, "area_path", area).order_by("opens_at", "id")


CONSULTATIONS = Dataset(
    name="consultations",
    title=_("Consultations"),
    description=_(
        "Every draft rule or plan put out for public comment (开门立法), with its window, the number of "
        "opinions and when its result was published."
    ),
    fields=(
        Field("id", "integer", _("Number of the consultation."), "12"),
        Field("title", "text", _("Title."), "柳岸小区管理规约（征求意见稿）"),
        Field(
            "kind",
            "text",
            _("regulation, community_rules, convention, plan or other."),
            "community_rules",
        ),
        Field("area_code", "text", _("Code of the consulting area."), "990102001001", "area__code"),
        Field("area_name", "text", _("Name of that area."), "柳岸社区", "area__name"),
        Field("originator", "text", _("Legislature that sent the draft, if any."), "云河市人大常委会法制工作委员会"),
        Field("state", "text", _("open, closed, answered or concluded."), "concluded"),
        Field("opens_at", "datetime", _("When the window opened."), "2026-09-01T09:00:00+08:00"),
        Field("closes_at", "datetime", _("When the window closed (after any extension)."), "2026-09-30T18:00:00+08:00"),
        Field("answer_due", "date", _("Last day to answer every opinion."), "2026-10-28"),
        Field("opinions", "integer", _("Opinions received, online and offline."), "46", "opinion_count"),
        Field("concluded_at", "datetime", _("When the final text and the feedback report were published."), ""),
        Field(
            "url",
            "url",
            _("Its page."),
            "https://example.org/consultations/12/",
            **link("consultations:consultation-detail"),
        ),
    ),
    records=_consultations,
)


def _opinions(area):
    readable = Opinion.objects.filter(is_hidden=False).exclude(consultation__state=ConsultationState.DRAFT)
    readable = readable.filter(Q(consultation__opinions_public=True) | Q(consultation__state__in=READABLE_STATES))
    return within(readable, "consultation__area_path", area).order_by("consultation_id", "created_at", "id")


def _author(record, context) -> str:
    """The name the page shows: the organisation, "居民" for who asked for it, the person's public name, or
    for an opinion entered by staff the name the person agreed to give."""
    if record["organisation__name"]:
        return record["organisation__name"]
    if record["as_resident"]:
        return str(_("Resident"))
    if record["author_id"] is None:
        return record["submitter"]
    return public_name(record["author_id"], record["author__display_name"])


CONSULTATION_OPINIONS = Dataset(
    name="consultation_opinions",
    title=_("Opinions on consultations"),
    description=_(
        "Every public opinion on a consultation, where it came from, the part of the text it is about, the "
        "wording it proposed and the answer it received."
    ),
    fields=(
        Field("id", "integer", _("Number of the opinion."), "5021"),
        Field("consultation_id", "integer", _("Consultation (see the consultations dataset)."), "12"),
        Field("unit", "text", _("Part of the text (empty: the text as a whole)."), "第五条", "unit__number"),
        Field(
            "unit_anchor", "text", _("Stable address of that part on the consultation's page."), "art5", "unit__anchor"
        ),
        Field("source", "text", _("online, symposium, letter, hotline or visit."), "online"),
        Field(
            "author",
            "text",
            _("Who gave it, as the page shows it."),
            "王秀英",
            source=_author,
            reads=("organisation__name", "as_resident", "author_id", "author__display_name", "submitter"),
        ),
        Field(
            "submitted_at", "datetime", _("When it was given or entered."), "2026-09-03T20:15:00+08:00", "created_at"
        ),
        Field("text", "text", _("The opinion."), "建议改为每季度公布……"),
        Field("proposed_wording", "text", _("Replacement wording it proposed, if any."), "", "wording"),
        Field("supports", "integer", _("People who agreed with it (同意此意见)."), "14", "support_count"),
        Field(
            "answer",
            "text",
            _("adopted, partly_adopted, not_adopted, already_provided or out_of_scope; empty while unanswered."),
            "adopted",
            "classification",
        ),
        Field("reason", "text", _("The reason given with the answer."), "已采纳……"),
        Field("answered_at", "datetime", _("When it was answered."), "2026-10-12T10:00:00+08:00"),
    ),
    records=_opinions,
)
