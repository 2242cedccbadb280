"""Reports filed by another system (a hotline centre's or an existing 311 app through Open311): the report is
created without a person's permission check — the caller has checked the key — in the cell it could be placed
in, or in an area above one, to be placed by hand."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import InvalidInput
from civic.models import Area
from civic.services import audit_record
from civic.text import clean_text

from ..hours import response_due
from ..models import MAX_TEXT, Category, EventKind, Report, ReportChannel, ReportEvent, ReportState


@transaction.atomic
def report_intake(
    *,
    category: Category,
    cell: Area,
    place: str,
    text: str,
    channel: str,
    reporter=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    filed_by=None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    external_id: str = "",
) -> Report:
    """Create a submitted report in `cell` (a grid cell, or an area above one when the cell is still to be
    placed by hand) with its response limit, its first step and its audit line. Who may file is the
    caller's check (the resident's form, the staff's form, the Open311 key)."""
    if channel not in ReportChannel.values:
        raise InvalidInput("channel_invalid", _("Unknown channel."), field="channel")
    if not cell.path.startswith(category.area_path) or not category.is_offered:
        raise InvalidInput("category_not_offered", _("This category is not offered here."), field="category")
    text = clean_text(text, field="text", limit=MAX_TEXT, required=True, message=_("Say what is wrong."))
    place = clean_text(place, field="place", limit=120, required=True, single_line=True, message=_("Say where it is."))
    reporter_name = clean_text(reporter_name, field="reporter_name", limit=60, single_line=True)
    reporter_phone = clean_text(reporter_phone, field="reporter_phone", limit=30, single_line=True)
    if reporter is None and not reporter_name:
        raise InvalidInput("reporter_required", _("Give the reporter's name."), field="reporter_name")
    if latitude is not None and longitude is not None:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InvalidInput("position_invalid", _("The position is not on the map."), field="lat")
    elif latitude is not None or longitude is not None:
        raise InvalidInput("position_incomplete", _("Give both the latitude and the longitude."), field="lat")
    now = timezone.now()
    report = Report.objects.create(
        category=category,
        category_key=category.key,
        cell=cell,
        area_path=cell.path,
        place=place,
        latitude=latitude,
        longitude=longitude,
        text=text,
        channel=channel,
        reporter=reporter,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        filed_by=filed_by,
        external_id=external_id[:60],
        state=ReportState.SUBMITTED,
        submitted_at=now,
        response_due=response_due(now, category.response_hours),
    )
    ReportEvent.objects.create(
        report=report, kind=EventKind.SUBMITTED, to_state=ReportState.SUBMITTED, actor=filed_by or reporter
    )
    audit_record(actor=filed_by or reporter, action="casework_report.submitted", obj=report, area=cell)
    return report
