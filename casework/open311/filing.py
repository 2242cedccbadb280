"""Filing a service request: who the API key belongs to and whether they may report, where the request goes
(the grid cell named by the `grid_cell` attribute, or matched from the address; otherwise the queue of the
area the address names, or of the city, to be placed by hand), then `report_intake`."""

import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from civic.errors import InvalidInput, NotAllowed
from civic.models import Area, AreaLevel, AreaRole, Organisation, OrganisationToken, ResidencyVerification
from civic.services.organisations import organisation_token_hash
from civic.text import clean_text

from ..models import Category, Open311Request, ReportChannel
from ..selectors import category_in
from ..services.external import report_intake
from .selectors import GRID_CELL_ATTRIBUTE


@dataclass(frozen=True)
class Client:
    """Who is filing: a person (with their own API token) or an organisation (with its key)."""

    person: object | None = None
    organisation: Organisation | None = None
    key: OrganisationToken | None = None


def _may_report_person(user, city: Area) -> bool:
    """A verified resident of the city, or anyone holding a role in an area of it (grid workers, organisers,
    officials)."""
    now = timezone.now()
    resident = (
        ResidencyVerification.objects.filter(user=user, status="approved", cell__path__startswith=city.path)
        .exclude(expires_at__lt=now)
        .exists()
    )
    return resident or AreaRole.objects.filter(user=user, area__path__startswith=city.path).exists()


def client_for(api_key: str, city: Area) -> Client:
    """The client whose `api_key` this is, if it may file reports in `city`; NotAllowed (403) otherwise."""
    api_key = (api_key or "").strip()
    if not api_key:
        raise NotAllowed("api_key_required", _("api_key is required."), field="api_key")
    key = (
        OrganisationToken.objects.filter(key_hash=organisation_token_hash(api_key), revoked_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    if key is not None:
        organisation = key.organisation
        serves_city = any(
            path.startswith(city.path) or city.path.startswith(path)
            for path in organisation.areas.values_list("path", flat=True)
        )
        if not (key.may_file_reports and organisation.is_confirmed and not organisation.is_hidden and serves_city):
            raise NotAllowed("api_key_not_allowed", _("This api_key may not file reports here."), field="api_key")
        OrganisationToken.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return Client(organisation=organisation, key=key)
    token = Token.objects.filter(key=api_key[:40]).select_related("user").first()
    if token is None or not token.user.is_active:
        raise NotAllowed("api_key_invalid", _("The api_key is not valid."), field="api_key")
    if not _may_report_person(token.user, city):
        raise NotAllowed("api_key_not_allowed", _("This api_key may not file reports here."), field="api_key")
    return Client(person=token.user)


def _areas_named_in(address: str, city: Area) -> list[Area]:
    return [
        area
        for area in Area.objects.filter(path__startswith=city.path)
        .exclude(pk=city.pk)
        .only("pk", "name", "path", "level", "code", "parent_id")
        if area.name and area.name in address
    ]


def place(city: Area, attributes: dict, address: str) -> tuple[Area, bool]:
    """(area, placed): the grid cell the request names or whose name (and whose ancestors' names) the address
    gives; otherwise (the deepest area the address names unambiguously, or the city) with placed False."""
    code = (attributes.get(GRID_CELL_ATTRIBUTE) or "").strip()
    if code:
        cell = Area.objects.filter(code=code, level=AreaLevel.GRID, path__startswith=city.path).first()
        if cell is None:
            raise InvalidInput(
                "grid_cell_unknown",
                _("No grid cell has the code %(code)s in this jurisdiction.") % {"code": code},
                field=GRID_CELL_ATTRIBUTE,
            )
        return cell, True
    if not address:
        return city, False
    named = _areas_named_in(address, city)
    paths = [area.path for area in named]

    def support(area: Area) -> int:  # how many of the named areas lie on its path
        return sum(1 for path in paths if area.path.startswith(path))

    cells = [area for area in named if area.level == AreaLevel.GRID]
    if cells:
        best = max(support(cell) for cell in cells)
        chosen = [cell for cell in cells if support(cell) == best]
        if len(chosen) == 1:
            return chosen[0], True
    above = [area for area in named if area.level != AreaLevel.GRID]
    if above:
        best = max(support(area) for area in above)
        chosen = [area for area in above if support(area) == best]
        if len(chosen) == 1:
            return chosen[0], False
    return city, False


def _decimal(raw: str, name: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(f"{name}_invalid", _("%(name)s must be a number.") % {"name": name}, field=name) from None
    if not value.is_finite():
        raise InvalidInput(f"{name}_invalid", _("%(name)s must be a number.") % {"name": name}, field=name)
    return value.quantize(Decimal("0.000001"))


def attributes_of(data) -> dict[str, str]:
    """attribute[code]=value pairs of a form-encoded request."""
    found = {}
    for name in data:
        if name.startswith("attribute[") and name.endswith("]"):
            found[name[len("attribute[") : -1]] = str(data.get(name) or "")[:200]
    return found


@transaction.atomic
def request_file(*, city: Area, data) -> Open311Request:
    """File one POST requests: checks the key (403), the service code and the fields (400), places the
    request and files it; returns its Open311 record (with the report and the client's token)."""
    client = client_for(data.get("api_key", ""), city)
    service_code = (data.get("service_code") or "").strip()
    if not service_code:
        raise InvalidInput("service_code_required", _("service_code is required."), field="service_code")
    description = data.get("description") or ""
    if not description.strip():
        raise InvalidInput("description_required", _("description is required."), field="description")
    latitude, longitude = _decimal(data.get("lat"), "lat"), _decimal(data.get("long"), "long")
    address = clean_text(data.get("address_string"), field="address_string", limit=300, single_line=True)
    if (latitude is None or longitude is None) and not address:
        raise InvalidInput("location_required", _("Give lat and long, or address_string."), field="address_string")
    media_url = (data.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise InvalidInput("media_url_invalid", _("media_url must be a web address."), field="media_url") from None
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("email_invalid", _("email is not an e-mail address."), field="email") from None
    attributes = attributes_of(data)
    area, placed = place(city, attributes, address)
    category = category_in(area, service_code)
    if category is None:
        if not _known_service(city, service_code):
            raise InvalidInput(
                "service_code_unknown",
                _("No service has the code %(code)s.") % {"code": service_code},
                field="service_code",
            )
        raise InvalidInput(
            "service_not_offered_here",
            _("The service %(code)s is not offered at this place.") % {"code": service_code},
            field="service_code",
        )
    name = " ".join(
        part for part in ((data.get("last_name") or "").strip(), (data.get("first_name") or "").strip()) if part
    )
    if client.person is not None:
        reporter, reporter_name, channel = client.person, "", ReportChannel.ONLINE
    else:
        reporter, reporter_name, channel = None, name or client.organisation.name, ReportChannel.OPEN311
    place_text = address[:120] if address else f"{latitude}, {longitude}"
    report = report_intake(
        category=category,
        cell=area,
        place=place_text,
        text=description,
        channel=channel,
        reporter=reporter,
        reporter_name=reporter_name[:60],
        reporter_phone=(data.get("phone") or "").strip()[:30] if client.person is None else "",
        filed_by=client.person,
        latitude=latitude,
        longitude=longitude,
        external_id=(data.get("device_id") or data.get("account_id") or "").strip(),
    )
    return Open311Request.objects.create(
        report=report,
        token=secrets.token_hex(16),
        media_url=media_url[:500],
        attributes=attributes,
        address_string=address,
        email=email if client.person is None else "",
        organisation_token=client.key,
        needs_placing=not placed,
    )


def _known_service(city: Area, code: str) -> bool:
    """A category with this key is defined in the city, below it or above it."""
    paths = Category.objects.filter(key=code).values_list("area_path", flat=True)
    return any(path.startswith(city.path) or city.path.startswith(path) for path in paths)
