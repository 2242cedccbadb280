from django.conf import settings

from . import pagecache
from .acting import acting
from .errors import NotAllowed
from .selectors import unread_count


def _personal(user) -> dict:
    return {
        "unread_notifications": unread_count(user),
        "menu": {
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
        },
    }


def site(request):
    context = {"SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Kept per person until a notification, a read, a role or the account changes (civic/pages.py).
        context.update(pagecache.value("personal", [f"person:{user.pk}"], (user.pk,), lambda: _personal(user)))
        try:
            context["acting"] = acting(request)  # the banner "正在为 <name> 代办" on every page
        except NotAllowed:
            context["acting"] = None
    return context
