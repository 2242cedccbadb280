"""From small matters to proposals: a category that keeps being reported in a grid cell becomes a proposal
that cites the reports it grew out of, and their reporters are told (and follow it)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import rates
from casework.models import Report
from civic.errors import Conflict
from civic.models import Area, AreaLevel
from civic.services import notify, require_perm, timeline_record

from ..models import Category, Channel, Proposal, ProposalReport
from ._common import _follow
from .writing import proposal_create

User = get_user_model()


def suggestion_reports(cell: Area, category_key: str):
    """The reports of one suggestion: of the category in the cell, within the recurrence window, not merged,
    withdrawn or rejected, and not grown into a proposal yet."""
    since = timezone.now() - timedelta(days=settings.CASEWORK_RECURRING_DAYS)
    return (
        Report.objects.filter(cell=cell, category_key=category_key, submitted_at__gte=since, grew_into__isnull=True)
        .exclude(state__in=rates.EXCLUDED_STATES)
        .order_by("submitted_at", "id")
    )


@transaction.atomic
def proposal_from_reports(
    *, actor, cell: Area, category_key: str, title: str, body: str, category: Category
) -> Proposal:
    """Publish a proposal for the cell's community (or the cell, if it has none above it) citing the
    recurring reports, entered by an organiser or official for the residents who reported them; each
    reporter is told and follows it. The reports are locked, so two organisers cannot both turn them into
    a proposal: the second gets 409 `suggestion_gone`."""
    require_perm(
        actor,
        "proposals.propose_from_reports",
        cell,
        _("Only organisers and officials of this area can turn reports into a proposal."),
    )
    reports = list(suggestion_reports(cell, category_key).select_for_update(of=("self",)))
    if len(reports) < settings.CASEWORK_RECURRING_REPORTS:
        raise Conflict(
            "suggestion_gone",
            _(
                "These reports are no longer a recurring problem waiting for a proposal (someone may have just "
                "turned them into one)."
            ),
        )
    area = cell.parent if cell.level == AreaLevel.GRID and cell.parent_id else cell
    proposal = proposal_create(
        author=actor,
        title=title,
        body=body,
        category=category,
        area=area,
        location=cell.name,
        channel=Channel.IN_PERSON,
        on_behalf_of=_("The residents who reported it (%(count)s reports)") % {"count": len(reports)},
        publish=True,
    )
    ProposalReport.objects.bulk_create(ProposalReport(proposal=proposal, report=report) for report in reports)
    timeline_record(
        subject=proposal,
        verb="proposal.from_reports",
        params={"count": len(reports), "cell": cell.name},
        url=proposal.get_absolute_url(),
        actor=actor,
        area=proposal.area,
    )
    reporters = User.objects.filter(pk__in={r.reporter_id for r in reports if r.reporter_id}, is_active=True)
    for person in reporters:
        _follow(person, proposal)
        notify(
            recipient=person,
            kind="proposal.from_reports",
            title=gettext_lazy("A problem you reported became a proposal: “%(title)s”"),
            body=gettext_lazy(
                "It keeps coming back in %(cell)s, so it is now a proposal your neighbours can co-sign. You follow it."
            ),
            params={"title": proposal.title, "cell": cell.name},
            url=proposal.get_absolute_url(),
        )
    return proposal
