"""Filing a report (by the resident, or by staff for someone by phone or at the door) and "me too"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AreaLevel
from civic.services import require_perm
from civic.text import clean_text
from civic.uploads import IMAGE, accept_uploads

from ..hours import response_due
from ..models import (
    MAX_PHOTOS,
    OPEN_STATES,
    Category,
    EventKind,
    FollowSource,
    PhotoStage,
    Report,
    ReportChannel,
    ReportFollower,
    ReportPhoto,
)
from ..pages import bump_report
from ..selectors.categories import category_in, first_responders
from ._common import NAME_MAX, PHONE_MAX, PLACE_MAX, TEXT_MAX, record_event, tell

COORDINATE = Decimal("0.000001")


def _coordinate(value, *, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(COORDINATE)
    except (InvalidOperation, ValueError):
        raise InvalidInput("position_invalid", _("The position is not valid."), field=field) from None
    if not number.is_finite() or abs(number) > limit:
        raise InvalidInput("position_invalid", _("The position is not valid."), field=field)
    return number


def clean_position(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    lat = _coordinate(latitude, field="latitude", limit=90)
    lon = _coordinate(longitude, field="longitude", limit=180)
    if (lat is None) != (lon is None):
        raise InvalidInput("position_invalid", _("Give both latitude and longitude, or neither."), field="latitude")
    return lat, lon


def save_photos(report: Report, cleaned, *, stage: str, actor, event=None) -> list[ReportPhoto]:
    photos = [
        ReportPhoto.objects.create(
            report=report,
            event=event,
            stage=stage,
            image=clean.file,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=timezone.now(),
        )
        for clean in cleaned
    ]
    if photos:
        Report.objects.filter(pk=report.pk).update(photo_count=F("photo_count") + len(photos))
        bump_report(report)  # an update sends no signal
        report.photo_count += len(photos)
    return photos


def check_photos(files) -> list:
    """The photos, re-encoded without metadata; refused whole (7th photo, too large, not an image)."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_PHOTOS:
        raise InvalidInput("too_many_photos", _("At most %(n)s photos.") % {"n": MAX_PHOTOS}, field="photos")
    return accept_uploads(files, field="photos", kinds=(IMAGE,), max_files=MAX_PHOTOS)


@transaction.atomic
def report_file(
    *,
    actor,
    cell,
    category: Category,
    place: str,
    text: str,
    files=(),
    latitude=None,
    longitude=None,
    channel: str = ReportChannel.ONLINE,
    reporter_name: str = "",
    reporter_phone: str = "",
    external_id: str = "",
) -> Report:
    """A new report in `cell`. Online: the actor is the reporter (a verified resident, or staff). By phone
    or at the door: staff of the cell's area enter it for someone, whose name (and phone) only handlers see."""
    if cell is None or cell.level != AreaLevel.GRID:
        raise InvalidInput("cell_invalid", _("Choose a grid cell."), field="cell")
    if channel not in ReportChannel.values:
        raise InvalidInput("channel_invalid", _("Unknown channel."), field="channel")
    online = channel == ReportChannel.ONLINE
    require_perm(
        actor,
        "casework.report" if online else "casework.report_for",
        cell,
        _("Only verified residents can report a problem.")
        if online
        else _("Only grid workers, organisers and officials of this area can report for someone else."),
    )
    offered = category_in(cell, category.key) if category is not None else None
    if offered is None:
        raise InvalidInput(
            "category_not_offered", _("This category is not offered in the chosen grid cell."), field="category"
        )
    category = offered  # the row that applies in this cell (an override below the one chosen)
    place = clean_text(
        place, field="place", limit=PLACE_MAX, required=True, single_line=True, message=_("Say where the problem is.")
    )
    text = clean_text(text, field="text", limit=TEXT_MAX, required=True, message=_("Describe the problem."))
    lat, lon = clean_position(latitude, longitude)
    reporter_name = clean_text(reporter_name, field="reporter_name", limit=NAME_MAX, single_line=True)
    reporter_phone = clean_text(reporter_phone, field="reporter_phone", limit=PHONE_MAX, single_line=True)
    if not online and not reporter_name:
        raise InvalidInput("required", _("Enter the name of the person reporting."), field="reporter_name")
    cleaned = check_photos(files)
    now = timezone.now()
    report = Report.objects.create(
        category=category,
        category_key=category.key,
        cell=cell,
        area_path=cell.path,
        place=place,
        latitude=lat,
        longitude=lon,
        text=text,
        channel=channel,
        reporter=actor if online else None,
        reporter_name="" if online else reporter_name,
        reporter_phone="" if online else reporter_phone,
        filed_by=actor,
        external_id=clean_text(external_id, field="external_id", limit=60, single_line=True),
        submitted_at=now,
        response_due=response_due(now, category.response_hours),
    )
    event = record_event(
        report,
        EventKind.SUBMITTED,
        actor=actor,
        actor_public=not online,  # the reporter is never named; staff who entered it are
        params={"channel": channel},
        after=report.state,
    )
    save_photos(report, cleaned, stage=PhotoStage.REPORTED, actor=actor, event=event)
    tell(
        first_responders(cell),
        report,
        kind="casework.new",
        title=gettext_lazy("New report #%(number)s in %(cell)s: %(place)s"),
        params={"cell": cell.name},
        body=text[:200],
        exclude=[actor],
    )
    return report


@transaction.atomic
def report_follow(*, actor, report) -> Report:
    """我也遇到: the person is also affected and is told at every step, instead of filing a duplicate."""
    report = Report.objects.select_for_update(of=("self",)).select_related("reporter").get(pk=report.pk)
    if report.reporter_id and report.reporter_id == getattr(actor, "pk", None):
        raise Conflict("own_report", _("This is your own report; you are told at every step already."))
    require_perm(actor, "casework.follow", report, _("Only verified residents can say they are also affected."))
    if report.state not in OPEN_STATES or report.is_hidden:
        raise Conflict("report_not_open", _("This report is no longer open."))
    try:
        with transaction.atomic():
            ReportFollower.objects.create(
                report=report, user=actor, source=FollowSource.ME_TOO, created_at=timezone.now()
            )
    except IntegrityError:
        raise Conflict("already_following", _("You have already said you are affected too.")) from None
    Report.objects.filter(pk=report.pk).update(follower_count=F("follower_count") + 1)
    bump_report(report)  # an update sends no signal
    report.follower_count += 1
    record_event(report, EventKind.FOLLOWED, actor=actor, actor_public=False)
    return report


def report_allowed(*, actor, cell, channel: str = ReportChannel.ONLINE) -> None:
    """Who may file here, asked before a request's body is read (the API)."""
    perm = "casework.report" if channel == ReportChannel.ONLINE else "casework.report_for"
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("not_allowed", _("Sign in to report a problem."))
    if cell is not None:
        require_perm(actor, perm, cell, _("Only verified residents can report a problem."))
