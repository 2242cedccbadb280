from django.contrib import messages
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
