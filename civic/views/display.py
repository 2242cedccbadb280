"""The two switches in every page's header: the elders' mode (适老化) and the language.

The mode is a cookie, read before the first paint by static/js/mode.js and applied as a class on <html>: the
HTML never varies by mode, so a cached page serves both. `display_mode` is the switch that works without
JavaScript: it sets or clears the cookie and goes back to the page. `set_language` is Django's (the `lang`
cookie, a safe way back).

Both are forms on every page a visitor reads, kept whole for all visitors (civic.pagecache.whole_page), so
they carry no CSRF token: a token would be a cookie made for each new visitor and a hole filled per request.
A token is not what they need anyway: all they change is a display preference of the browser that posts.
What stays refused is another site making a browser post them (`same_origin`): a browser says where a
form comes from (`Sec-Fetch-Site`, `Origin`, `Referer`), and a post that says it comes from elsewhere is
refused as Django refuses one without its token."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

__all__ = ["ELDER", "MODE_COOKIE", "display_mode", "same_origin", "set_language"]

MODE_COOKIE = "mode"
ELDER = "elder"
MODE_COOKIE_AGE = 60 * 60 * 24 * 365 * 2


def _from_here(request) -> bool:
    """Whether the browser says the request comes from a page of this site (or says nothing: a browser
    without these headers, a script that is no browser: neither carries another site's visitor)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    here = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == here or origin in settings.CSRF_TRUSTED_ORIGINS
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == here or f"{parts.scheme}://{parts.netloc}" in (
            settings.CSRF_TRUSTED_ORIGINS
        )
    return True


def same_origin(view):
    """`view` without a CSRF token, refusing (403, Django's CSRF failure page) a post another site made."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and not _from_here(request):
            from django.middleware.csrf import REASON_BAD_ORIGIN
            from django.views.csrf import csrf_failure

            return csrf_failure(request, reason=REASON_BAD_ORIGIN % request.headers.get("Origin", ""))
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)


set_language = same_origin(i18n.set_language)


@same_origin
@require_POST
def display_mode(request):
    target = request.POST.get("next") or ""
    hosts = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
        target = reverse("civic:home")
    response = HttpResponseRedirect(target)
    if request.POST.get("mode") == ELDER:
        # Read by a script on the page, so not HttpOnly; it holds nothing but the display choice.
        response.set_cookie(
            MODE_COOKIE,
            ELDER,
            max_age=MODE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=False,
        )
    else:
        response.delete_cookie(MODE_COOKIE, samesite="Lax")
    return response
