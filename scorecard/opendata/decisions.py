"""Open data: the results announced in council sessions open to the public."""

from django.utils.translation import gettext_lazy as _

from deliberation.models import AgendaItem, SessionRecord

from .core import Dataset, Field, page_url, within


def _decisions(area):
    # A decision is the announced result of a vote on a motion (event "result_announced" in the session's
    # append-only record); only sessions open to watch are published.
    records = SessionRecord.objects.filter(kind="event", payload__type="result_announced", session__public=True)
    ordered = records.order_by("session__starts_at", "session_id", "seq", "id")
    return within(ordered, "session__council__area__path", area)


def _agenda(records):
    sessions = {r["session_id"] for r in records}
    items = AgendaItem.objects.filter(session_id__in=sessions).values_list(
        "session_id", "position", "title", "proposal_id"
    )
    return {(session, position): (title, proposal) for session, position, title, proposal in items}


def event(key: str, default=None) -> dict:
    """Where a value of the announced result comes from: its event's payload."""
    return {"source": lambda r, context: r["payload"].get(key, default), "reads": ("payload",)}


def agenda(index: int) -> dict:
    """Where the agenda item's title (0) or proposal (1) comes from: the chunk's agenda."""

    def read(r, context):
        return context["extra"].get((r["session_id"], r["payload"].get("item")), ("", None))[index]

    return {"source": read, "reads": ("session_id", "payload")}


def _agenda_position(r, context):
    position = r["payload"].get("item")
    return position + 1 if isinstance(position, int) else None


def _minutes_url(r, context):
    if not r["session__minutes__published_at"]:
        return ""
    return page_url(context, "deliberation:session-minutes", r["session_id"])


DECISIONS = Dataset(
    name="decisions",
    title=_("Council session decisions"),
    description=_(
        "Every result the chair announced in a council session open to the public: the motion, the agenda "
        "item and the votes for, against and abstaining. How each member voted is not included."
    ),
    fields=(
        Field("id", "integer", _("Number of the decision in the session records."), "5120"),
        Field("session_id", "integer", _("Number of the session."), "18"),
        Field("session_title", "text", _("Title of the session."), "柳岸社区议事会 3 月例会", "session__title"),
        Field("council", "text", _("Council that met."), "柳岸社区议事会", "session__council__name"),
        Field("area_code", "text", _("Code of the council's area."), "990102001001", "session__council__area__code"),
        Field("area_name", "text", _("Name of that area."), "柳岸社区", "session__council__area__name"),
        Field(
            "session_date",
            "datetime",
            _("When the session was scheduled to start."),
            "2026-03-20T19:00:00+08:00",
            "session__starts_at",
        ),
        Field(
            "agenda_position",
            "integer",
            _("Agenda item number, from 1."),
            "2",
            _agenda_position,
            reads=("payload",),
        ),
        Field("agenda_item", "text", _("Title of the agenda item."), "3 栋楼道灯更换", **agenda(0)),
        Field("proposal_id", "integer", _("Proposal on the agenda item, if any."), "1024", **agenda(1)),
        Field(
            "motion_kind",
            "text",
            _("Kind of motion: main, amend, previous_question, refer, postpone, recess or adjourn."),
            "main",
            **event("kind", ""),
        ),
        Field("motion_text", "text", _("Text of the motion as voted."), "同意更换 3 栋楼道灯", **event("text")),
        Field("adopted", "boolean", _("Whether the motion was adopted."), "true", **event("adopted")),
        Field("yes", "integer", _("Votes for."), "9", **event("yes")),
        Field("no", "integer", _("Votes against."), "2", **event("no")),
        Field("abstain", "integer", _("Abstentions."), "1", **event("abstain")),
        Field(
            "present",
            "integer",
            _("Members entitled to vote (present when the vote opened)."),
            "12",
            **event("present"),
        ),
        Field(
            "threshold",
            "text",
            _(
                "Votes the motion needed: majority_cast (more yes than no), two_thirds_cast (two thirds of yes and "
                "no) or majority_present (more than half of those present)."
            ),
            "majority_cast",
            **event("threshold", ""),
        ),
        Field(
            "announced_at",
            "datetime",
            _("When the chair announced the result."),
            "2026-03-20T20:12:00+08:00",
            "created_at",
        ),
        Field(
            "minutes_published_at",
            "datetime",
            _("When the minutes of the session were published; empty if not yet."),
            "2026-03-22T10:00:00+08:00",
            "session__minutes__published_at",
        ),
        Field(
            "minutes_url",
            "url",
            _("The published minutes."),
            "https://example.org/sessions/18/minutes/",
            _minutes_url,
            reads=("session_id", "session__minutes__published_at"),
        ),
    ),
    records=_decisions,
    prepare=_agenda,
)
