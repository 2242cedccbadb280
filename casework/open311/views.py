"""The GeoReport v2 endpoints: parse, call a selector or `filing`, answer in the format the path ends in.

Every refusal is a DomainError answered with its status (civic.errors.http_status) as the specification's
list of errors: 403 for a missing or refused api_key, 400 for an unknown service_code or a missing field,
404 for an unknown id."""

from functools import wraps

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from civic.errors import DomainError, http_status
from civic.net import site_url

from . import filing, selectors
from .formats import error_response, respond

CHANGESET = "2026-12-06T00:00:00+08:00"  # when the endpoints last changed (discovery)


def open311(view):
    """Answer a DomainError as the specification's errors, in the format asked for."""

    @wraps(view)
    def wrapper(request, fmt, *args, **kwargs):
        try:
            return view(request, fmt, *args, **kwargs)
        except DomainError as error:
            return error_response(fmt, http_status(error), [error.message])

    return wrapper


def _city(request):
    return selectors.jurisdiction(request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id"))


@require_GET
@open311
def discovery(request, fmt):
    return respond(
        fmt,
        "discovery",
        None,
        {
            "changeset": CHANGESET,
            "contact": _("Questions about this interface: %(address)s") % {"address": settings.DEFAULT_FROM_EMAIL},
            "key_service": _(
                "People use the API token of their account; organisations (a hotline centre) ask an official of "
                "an area they serve for an API key."
            ),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": site_url(reverse("open311:root")).rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@require_GET
@open311
def service_list(request, fmt):
    return respond(fmt, "services", "service", selectors.services(_city(request)))


@require_GET
@open311
def service_definition(request, fmt, code):
    return respond(fmt, "service_definition", None, selectors.service_definition(_city(request), code))


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311
def request_list(request, fmt):
    city = _city(request)
    if request.method == "POST":
        filed = filing.request_file(city=city, data=request.POST)
        row = {"service_request_id": str(filed.report_id), "token": filed.token, "service_notice": "", "account_id": ""}
        return respond(fmt, "service_requests", "request", [row])
    rows = [selectors.request_row(report) for report in selectors.requests(city, request.GET)]
    return respond(fmt, "service_requests", "request", rows)


@require_GET
@open311
def request_detail(request, fmt, pk):
    report = selectors.request_of(_city(request), pk)
    return respond(fmt, "service_requests", "request", [selectors.request_row(report)])


@require_GET
@open311
def token_detail(request, fmt, token):
    found = selectors.token_of(_city(request), token)
    return respond(fmt, "service_requests", "request", [{"service_request_id": str(found.report_id), "token": token}])
