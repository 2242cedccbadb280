"""What Open311 clients read: the jurisdiction (the city), its services (the categories offered in it) and
its service requests (reports), with the public fields only."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import InvalidInput, NotFound
from civic.models import Area, AreaLevel
from civic.text import localized

from ..models import OPEN_STATES, Category, Report, ReportState, UnitKind

GRID_CELL_ATTRIBUTE = "grid_cell"
DEFAULT_DAYS = 90  # the specification's default window without dates or ids
MOST_ROWS = 1000  # and its largest answer


def jurisdiction(code: str | None) -> Area:
    """The city whose code is `jurisdiction_id`; without one, the only city there is."""
    cities = Area.objects.filter(level=AreaLevel.CITY)
    if code:
        city = cities.filter(code=code).first()
        if city is None:
            raise NotFound("jurisdiction_unknown", _("No jurisdiction has the id %(code)s.") % {"code": code})
        return city
    found = list(cities[:2])
    if len(found) != 1:
        raise InvalidInput("jurisdiction_required", _("jurisdiction_id is required."), field="jurisdiction_id")
    return found[0]


def services(city: Area) -> list[dict]:
    """One service per category key offered anywhere in the city, named as the highest area defines it."""
    rows: dict[str, Category] = {}
    for category in Category.objects.filter(area_path__startswith=city.path, is_offered=True).order_by(
        "position", "key"
    ):
        known = rows.get(category.key)
        if known is None or len(category.area_path) < len(known.area_path):
            rows[category.key] = category
    # a key defined above the city (a province-wide category) applies to the city too
    for category in Category.objects.filter(is_offered=True).exclude(area_path__startswith=city.path):
        if city.path.startswith(category.area_path) and category.key not in rows:
            rows[category.key] = category
    kinds = dict(UnitKind.choices)
    return [
        {
            "service_code": category.key,
            "service_name": category.display_name,
            "description": category.description,
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": str(kinds.get(category.unit_kind, "")),
        }
        for category in sorted(rows.values(), key=lambda c: (c.position, c.key))
    ]


def service_definition(city: Area, code: str) -> dict:
    if not any(service["service_code"] == code for service in services(city)):
        raise NotFound("service_unknown", _("No service has the code %(code)s.") % {"code": code})
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": GRID_CELL_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": _("The code of the grid cell, e.g. 3301020010010001."),
                "order": 1,
                "description": _(
                    "The grid cell where the problem is. Without it the address is matched to a grid cell; a "
                    "request that cannot be placed waits for staff to place it by hand."
                ),
            }
        ],
    }


def _moment(params, name: str) -> datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+"))  # a "+" left unencoded in a query reads as a space
    except ValueError:
        raise InvalidInput(
            f"{name}_invalid", _("%(name)s must be a date and time in ISO 8601.") % {"name": name}, field=name
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _list(params, name: str) -> list[str]:
    return [part.strip() for part in (params.get(name) or "").split(",") if part.strip()]


def requests(city: Area, params) -> QuerySet[Report]:
    """The reports of the city a GET requests asks for: by service_request_id (a comma list, which ignores
    every other filter, as the specification says), or by service_code, start_date, end_date and status
    (open, closed); without dates the last 90 days; at most 1000, newest first."""
    reports = (
        Report.objects.filter(area_path__startswith=city.path, is_hidden=False)
        .select_related("category", "unit__organisation", "open311")
        .order_by("-submitted_at", "-id")
    )
    ids = _list(params, "service_request_id")
    if ids:
        if not all(part.isdigit() for part in ids):
            raise InvalidInput(
                "service_request_id_invalid", _("service_request_id must be numbers."), field="service_request_id"
            )
        return reports.filter(pk__in=[int(part) for part in ids])[:MOST_ROWS]
    codes = _list(params, "service_code")
    if codes:
        reports = reports.filter(category_key__in=codes)
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if start is not None:
        reports = reports.filter(submitted_at__gte=start)
    if end is not None:
        reports = reports.filter(submitted_at__lte=end)
    statuses = _list(params, "status")
    if any(status not in ("open", "closed") for status in statuses):
        raise InvalidInput("status_invalid", _("status must be open or closed."), field="status")
    if statuses == ["open"]:
        reports = reports.filter(state__in=OPEN_STATES)
    elif statuses == ["closed"]:
        reports = reports.exclude(state__in=OPEN_STATES)
    return reports[:MOST_ROWS]


def request_of(city: Area, pk: str) -> Report:
    report = None
    if pk.isdigit():
        report = (
            Report.objects.filter(pk=int(pk), area_path__startswith=city.path, is_hidden=False)
            .select_related("category", "unit__organisation", "open311")
            .first()
        )
    if report is None:
        raise NotFound("request_unknown", _("No service request has the id %(id)s.") % {"id": pk})
    return report


def status_notes(report: Report) -> str:
    """The fine state in words, and the public reason where there is one."""
    state = str(ReportState(report.state).label)
    if report.state == ReportState.REFERRED and report.referred_to:
        return _("%(state)s: %(where)s") % {"state": state, "where": report.referred_to}
    if report.state == ReportState.REJECTED and report.state_reason:
        return _("%(state)s: %(reason)s") % {"state": state, "reason": report.state_reason}
    if report.state == ReportState.MERGED and report.merged_into_id:
        return _("%(state)s: see request %(id)s") % {"state": state, "id": report.merged_into_id}
    if report.state in (ReportState.RESOLVED, ReportState.CLOSED) and report.resolution_note:
        return _("%(state)s: %(note)s") % {"state": state, "note": report.resolution_note}
    return state


def _updated(report: Report) -> datetime:
    times = [
        report.submitted_at,
        report.accepted_at,
        report.dispatched_at,
        report.started_at,
        report.resolved_at,
        report.closed_at,
    ]
    return max(moment for moment in times if moment is not None)


def _expected(report: Report) -> datetime | None:
    if report.state == ReportState.SUBMITTED:
        return report.response_due
    if report.state in OPEN_STATES and report.state != ReportState.RESOLVED:
        return report.handling_due
    return None


def request_row(report: Report) -> dict:
    """A report as a GeoReport v2 service request: public fields only (no reporter; the position rounded to
    about 100 m)."""
    position = report.public_position
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.state in OPEN_STATES else "closed",
        "status_notes": status_notes(report),
        "service_name": localized(report.category.name, report.category.name_en),
        "service_code": report.category_key,
        "description": report.text,
        "agency_responsible": report.unit.organisation.name if report.unit_id else "",
        "service_notice": "",
        "requested_datetime": report.submitted_at,
        "updated_datetime": _updated(report),
        "expected_datetime": _expected(report),
        "address": report.place,
        "address_id": "",
        "zipcode": "",
        "lat": position[0] if position else None,
        "long": position[1] if position else None,
        "media_url": report.open311.media_url if hasattr(report, "open311") else "",
    }


def token_of(city: Area, token: str):
    from ..models import Open311Request

    found = Open311Request.objects.filter(token=token, report__area_path__startswith=city.path).first()
    if found is None:
        raise NotFound("token_unknown", _("No service request has the token %(token)s.") % {"token": token})
    return found
