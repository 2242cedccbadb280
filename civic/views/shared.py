"""What every civic page shares: the page guard (the same permission the services check) and the way back."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..services import require_perm


def require_page_perm(request, perm: str, obj=None) -> None:
    """Refuse the page (403) unless the visitor holds `perm` on `obj`: services.require_perm, page wording."""
    require_perm(request.user, perm, obj, _("You do not have permission to see this page."))


def back(request, fallback: str):
    """Back where the form was sent from (same host only), else to `fallback`."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)
