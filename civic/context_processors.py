from django.conf import settings
from django.template.loader import render_to_string

from . import pagecache
from .acting import acting
from .errors import NotAllowed
from .selectors import unread_count


def _personal(user) -> dict:
    from .predicates import holds_role_anywhere

    unread = unread_count(user)
    menu = {
        "verifications": user.has_perm("civic.view_verification_queue"),
        "moderation": user.has_perm("civic.view_moderation_queue"),
        "audit": user.has_perm("civic.view_audit"),
        "assisted": user.has_perm("civic.view_assisted_residents"),
        # the later stages' desks, asked by name (the core imports no later stage)
        "overdue": user.has_perm("proposals.view_overdue"),
        "desk": user.has_perm("funding.view_desk"),
        "consultations": user.has_perm("consultations.create"),
        "casework_queue": user.has_perm("casework.view_queue"),
        "casework_escalations": user.has_perm("casework.view_escalations"),
    }
    # the header's menu as the shared signed-in pages show it (civic.pagecache.whole_page): their hole
    html = render_to_string(
        "partials/account_menu.html",
        {"user": user, "unread_notifications": unread, "menu": menu, "csrf_token": "-"},
    )
    return {
        "unread_notifications": unread,
        "menu": menu,
        "menu_html": pagecache.csrf_hole(html),
        # an official's or an administrator's pages show forms others do not see: rendered for them
        "official": bool(user.is_superuser or holds_role_anywhere(user, "official")),
    }


def personal(user, *, preloaded=None) -> dict:
    """What the header shows `user`, kept until a notification, a read, a role or the account changes
    (civic/pages.py); `preloaded`: as a page's own query read it (civic.pagecache.Part)."""
    return pagecache.value(
        pagecache.PERSONAL, [f"person:{user.pk}"], (user.pk,), lambda: _personal(user), preloaded=preloaded
    )


def site(request):
    context = {"SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not pagecache.holes(request):
        # Kept per person until a notification, a read, a role or the account changes (civic/pages.py).
        mine = pagecache.person(request)  # read with the page's own query, if the page made a Part
        context.update(unread_notifications=mine["unread_notifications"], menu=mine["menu"])
        try:
            context["acting"] = acting(request)  # the banner "正在为 <name> 代办" on every page
        except NotAllowed:
            context["acting"] = None
    return context
