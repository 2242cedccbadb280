"""The elders' mode switch (适老化). The mode is a cookie, read before the first paint by static/js/mode.js
and applied as a class on <html>: the HTML never varies by mode, so a cached page serves both. This view is
the switch that works without JavaScript: it sets or clears the cookie and goes back to the page."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

__all__ = ["ELDER", "MODE_COOKIE", "display_mode"]

MODE_COOKIE = "mode"
ELDER = "elder"
MODE_COOKIE_AGE = 60 * 60 * 24 * 365 * 2


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
