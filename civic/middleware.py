import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError, http_status


class RefuseNulMiddleware:
    """A NUL character in the address or the query can never name anything here, and PostgreSQL refuses it
    in a query (a 500 on every page that looks an area or a filter up): answer 400 before any view runs.
    Form fields already refuse it (Django's and DRF's CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "%00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in value for values in request.GET.lists() for value in values[1])
        ):
            from django.views.defaults import bad_request

            return bad_request(request, None)
        return self.get_response(request)


class DefaultLanguageMiddleware:
    """Pages speak Simplified Chinese unless the visitor picked another language.

    The platform is a Chinese city's public place: a phone set to English should not turn the
    pages English on its own (the language switch does that, remembered in a cookie). API clients
    keep the usual `Accept-Language` negotiation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DomainErrorMiddleware:
    """The one HTML path for broken business rules: a translated message, never a 500.

    After a form post the person goes back to the page they came from with the message shown;
    otherwise an error page with the matching status is rendered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        referer = request.META.get("HTTP_REFERER", "")
        if request.method == "POST" and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            messages.error(request, exception.message)
            return redirect(referer)
        return render(request, "errors/domain_error.html", {"error": exception}, status=http_status(exception))


# What a view may change of a response's policy (django-csp's decorators set these on the response).
_PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.cache
def _settings_policies() -> tuple[str, str]:
    """The enforced and report-only policies of the settings alone, as django-csp builds them."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _policies_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware, with the two policies of a response that changes nothing of them (no nonce
    drawn, no decorator of its view) built once per process instead of on every response: django-csp
    copies the policy parts (dataclasses.asdict) and builds both headers from the settings each time, about
    a tenth of a millisecond of every response, an API call's included. Any other response is django-csp's
    own; the headers are the same either way (a test compares them)."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_VIEW
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:  # the debug pages, as django-csp leaves them
            return response
        enforced, report_only = _settings_policies()
        for header, value, exempt, setting in (
            (HEADER, enforced, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if value and header not in response and getattr(response, exempt, False) is False:
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
                if not request.path_info.startswith(tuple(prefixes)):
                    response[header] = value
        if getattr(request, "_csp_nonce", None) is None:  # a nonce asked after the header is written: an error
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
