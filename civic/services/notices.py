"""Outcome notices (公告): an official publishes what was decided; a published notice is never changed."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput
from ..models import Area, OutcomeNotice
from ..registry import NOTICE_KINDS
from ..selectors import decision_for_key, notice_kinds, source_key_kind
from ..text import clean_text
from .audit import audit_record, timeline_record
from .permissions import require_perm

__all__ = ["notice_publish"]

SOURCE_URL_LIMIT = OutcomeNotice._meta.get_field("source_url").max_length or 300
EARLIEST_YEAR = 2000  # the earliest year a notice's decision can be dated


def _source_url(value) -> str:
    """A page of this site ("/proposals/12/"), never another host: notices only point home."""
    url = (value or "").strip()
    if not url:
        return ""
    if (
        not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or any(c.isspace() or ord(c) < 32 for c in url)
        or len(url) > SOURCE_URL_LIMIT
    ):
        raise InvalidInput(
            "source_url_invalid",
            _("The source is a page of this site: a path starting with “/”, such as /proposals/12/."),
            field="source_url",
        )
    return url


def _decided_at(value, now) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput("date_invalid", _("Enter when the decision was taken."), field="decided_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    # A year-1 date would not fit the database once turned into UTC, and every list showing the notice
    # would count the working days since then.
    if value < timezone.make_aware(datetime(EARLIEST_YEAR, 1, 1)):
        raise InvalidInput(
            "decided_too_early",
            _("Enter a date from %(year)s on.") % {"year": EARLIEST_YEAR},
            field="decided_at",
        )
    if value > now + timedelta(minutes=1):
        raise InvalidInput(
            "decided_in_future", _("A decision cannot be published before it is taken."), field="decided_at"
        )
    return value


@transaction.atomic
def notice_publish(
    *,
    actor,
    area: Area,
    kind: str,
    title: str,
    body: str,
    source_url: str = "",
    source_key: str = "",
    decided_at,
    corrects: OutcomeNotice | int | None = None,
) -> OutcomeNotice:
    """Publish a notice of a decision taken in `area` (or below).

    When `source_key` names a decision on the platform ("answer:12", "award:3", …: the kinds the stages
    registered), it must lie in the area and be of the notice's kind, and its own record says when it was
    taken. A correction is a new notice that names the one it corrects (a notice or its number; same area);
    the corrected notice stays as it was.
    """
    require_perm(
        actor, "civic.publish_notice", area, _("Only an official of this area or above can publish its notices.")
    )
    now = timezone.now()
    if kind not in notice_kinds():
        raise InvalidInput("kind_unknown", _("Choose what kind of decision this notice is about."), field="kind")
    title = clean_text(title, field="title", limit=120, required=True, message=_("Give the notice a title."))
    body = clean_text(body, field="body", limit=10000, required=True, message=_("Write the text of the notice."))
    source_url = _source_url(source_url)
    decided_at = _decided_at(decided_at, now)
    source_key = (source_key or "").strip()
    if source_key:
        parsed = source_key_kind(source_key)
        if parsed is None or parsed[0] != kind:
            raise InvalidInput(
                "source_key_invalid", _("This source does not name a decision of that kind."), field="source_key"
            )
        decision = decision_for_key(source_key, area)
        if decision is None:
            raise InvalidInput("source_unknown", _("No such decision was taken in this area."), field="source_key")
        decided_at = decision.decided_at
        source_url = source_url or decision.source_url
    if isinstance(corrects, int):  # a notice's number as a page or a client sent it
        number = corrects
        corrects = OutcomeNotice.objects.filter(pk=number).first()
        if corrects is None:
            raise InvalidInput("corrects_unknown", _("There is no notice with that number."), field="corrects")
    if corrects is not None and corrects.area_id != area.pk:
        raise InvalidInput(
            "corrects_other_area",
            _("A correction is published in the area of the notice it corrects."),
            field="corrects",
        )
    # One publication at a time per area, so a decision is not published twice by two officials at once.
    Area.objects.select_for_update().get(pk=area.pk)
    if corrects is not None:
        later = OutcomeNotice.objects.filter(corrects=corrects).first()
        if later is not None:
            raise Conflict(
                "already_corrected",
                _("This notice was already corrected by “%(title)s”; correct that one instead.")
                % {"title": later.title},
                field="corrects",
            )
    if source_key and not (corrects is not None and corrects.source_key == source_key):
        earlier = OutcomeNotice.objects.filter(source_key=source_key).first()
        if earlier is not None:
            raise Conflict(
                "already_published",
                _("This decision was already published as “%(title)s”; publish a correction of it instead.")
                % {"title": earlier.title},
                field="source_key",
            )
    stamp = NOTICE_KINDS[kind].stamp
    if stamp is not None:  # computed under the area lock, at the moment of publication
        body = f"{body}\n\n{stamp()}"
    notice = OutcomeNotice.objects.create(
        area=area,
        area_path=area.path,
        kind=kind,
        title=title,
        body=body,
        source_url=source_url,
        source_key=source_key,
        decided_at=decided_at,
        published_at=now,
        published_by=actor,
        corrects=corrects,
    )
    audit_record(
        actor=actor,
        action="notice.published",
        obj=notice,
        area=area,
        after={
            "kind": kind,
            "title": title,
            "source_key": source_key,
            "decided_at": decided_at.isoformat(),
            "corrects": corrects.pk if corrects is not None else None,
        },
    )
    timeline_record(
        subject=area,
        verb="notice.published",
        params={"title": title},
        url=notice.get_absolute_url(),
        actor=actor,
        area=area,
    )
    return notice
