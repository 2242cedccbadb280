"""Reads of ballot boxes that are more than a `get`."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic.selectors import Decision, notice_names

from ..models import BallotBox, BoxState


def ballot_decisions(path: str, pk=None, unpublished=True):
    """Counted votes of the area at `path` and below, as decisions to publish as notices (see
    civic.registry.NoticeKind)."""
    rows = BallotBox.objects.filter(area_path__startswith=path, state=BoxState.TALLIED).only(
        "pk", "title", "area_path", "tallied_at", "closes_at", "created_at", "turnout"
    )
    if pk is not None:
        rows = rows.filter(pk=pk)
    if unpublished:
        rows = rows.filter(~notice_names("ballot"))
    for box in rows.order_by():
        yield Decision(
            kind="ballot",
            source_key=f"ballot:{box.pk}",
            title=Truncator(_("Result of the vote “%(title)s”") % {"title": box.title}).chars(120),
            summary=_("%(count)s ballot(s) cast.") % {"count": box.turnout},
            decided_at=box.tallied_at or box.closes_at or box.created_at,
            area_path=box.area_path,
            source_url=box.get_absolute_url(),
        )
