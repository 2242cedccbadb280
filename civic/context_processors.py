from django.conf import settings

from .acting import acting
from .errors import NotAllowed
from .selectors import unread_count


def site(request):
    context = {"SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_count(user)
        context["menu"] = {
            "verifications": user.has_perm("civic.view_verification_queue"),
            "moderation": user.has_perm("civic.view_moderation_queue"),
            "audit": user.has_perm("civic.view_audit"),
            "assisted": user.has_perm("civic.view_assisted_residents"),
        }
        try:
            context["acting"] = acting(request)  # the banner "正在为 <name> 代办" on every page
        except NotAllowed:
            context["acting"] = None
    return context
