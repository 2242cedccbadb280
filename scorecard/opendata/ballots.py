"""Open data: the published results of community votes, one row per option of each counted ballot."""

from django.utils.translation import gettext_lazy as _

from deliberation.models import BallotBox, BallotOption, BoxKind, BoxState

from .core import Dataset, Field, page_url, within


def _ballots(area):
    options = BallotOption.objects.filter(box__state=BoxState.TALLIED)
    return within(options, "box__area_path", area).order_by("box__tallied_at", "box_id", "position", "id")


def _results(records):
    # A box's stored result is read once per chunk, not once per option.
    boxes = {r["box_id"] for r in records}
    return dict(BallotBox.objects.filter(pk__in=boxes).values_list("pk", "result"))


def _outcome(o, context) -> dict:
    """The option's votes, whether it won, and (for a question) whether the quorum was met."""
    result = context["extra"].get(o["box_id"]) or {}
    option = o["project_id"]
    if o["box__kind"] == BoxKind.QUESTION:
        return {
            "votes": (result.get("votes") or {}).get(option),
            "selected": option in (result.get("selected") or []),
            "quorum_met": result.get("quorum_met"),
        }
    counted = next((x for x in result.get("options", []) if x.get("project_id") == option), {})
    selected = bool(counted.get("selected")) if counted else option in (result.get("selected") or [])
    return {"votes": counted.get("votes"), "selected": selected, "quorum_met": None}


def outcome(key: str) -> dict:
    return {"source": lambda o, context: _outcome(o, context)[key], "reads": ("box_id", "box__kind", "project_id")}


def budget_only(column: str, otherwise=None) -> dict:
    """Where a value only a participatory budget has comes from; other ballots write `otherwise`."""
    return {
        "source": lambda o, context: o[column] if o["box__kind"] == BoxKind.BUDGET else otherwise,
        "reads": ("box__kind", column),
    }


def _pb_url(o, context):
    return page_url(context, "deliberation:ballot-export", o["box_id"]) if o["box__kind"] == BoxKind.BUDGET else ""


BALLOTS = Dataset(
    name="ballots",
    title=_("Ballot results"),
    description=_(
        "The published results of community votes, one row per option of each counted ballot. Participatory "
        "budgets also come as a pabulib .pb file with the anonymous ballots, so anyone can count again."
    ),
    fields=(
        Field("ballot_id", "integer", _("Number of the ballot."), "7", "box_id"),
        Field("ballot_title", "text", _("Title of the ballot."), "2026 年湖滨街道微更新预算", "box__title"),
        Field(
            "kind",
            "text",
            _("question (yes / no), approval (choice among options) or budget (participatory budget)."),
            "budget",
            "box__kind",
        ),
        Field("area_code", "text", _("Code of the area that voted."), "990102001", "box__area__code"),
        Field("area_name", "text", _("Name of that area."), "湖滨街道", "box__area__name"),
        Field(
            "rule",
            "text",
            _("Counting rule of a budget: greedy, mes or mes-add1 (Method of Equal Shares with Add1)."),
            "mes-add1",
            **budget_only("box__rule", ""),
        ),
        Field("budget", "money", _("Budget to share out (budget ballots)."), "500000.00", **budget_only("box__budget")),
        Field("turnout", "integer", _("Ballots cast."), "1312", "box__turnout"),
        Field("eligible", "integer", _("Residents entitled to vote at the close."), "5200", "box__eligible_count"),
        Field(
            "quorum_met",
            "boolean",
            _("For a question: whether enough residents voted; empty otherwise."),
            "true",
            **outcome("quorum_met"),
        ),
        Field(
            "tallied_at",
            "datetime",
            _("When the results were published."),
            "2026-04-30T20:00:05+08:00",
            "box__tallied_at",
        ),
        Field(
            "option_id",
            "text",
            _("The option: its project id, or yes / no / abstain for a question."),
            "3",
            "project_id",
        ),
        Field("option_title", "text", _("Title of the option."), "桂花小广场健身器材", "title"),
        Field("option_cost", "money", _("Cost of the option (budget ballots)."), "86000.00", **budget_only("cost")),
        Field("proposal_id", "integer", _("Proposal behind the option, if any."), "1024"),
        Field("votes", "integer", _("Votes (approvals) the option received."), "688", **outcome("votes")),
        Field(
            "selected",
            "boolean",
            _("Whether the option won (a question: yes passed)."),
            "true",
            **outcome("selected"),
        ),
        Field(
            "pb_url",
            "url",
            _("The ballot as a pabulib .pb file (budget ballots)."),
            "https://example.org/ballots/7/export.pb",
            _pb_url,
            reads=("box_id", "box__kind"),
        ),
    ),
    records=_ballots,
    prepare=_results,
)


def budget_ballots(area):
    """Counted participatory budgets of the area, for their .pb files (one query)."""
    boxes = BallotBox.objects.filter(kind=BoxKind.BUDGET, state=BoxState.TALLIED)
    return within(boxes, "area_path", area).select_related("area").order_by("-tallied_at", "-id")
