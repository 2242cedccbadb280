"""The one permission guard every service of every app calls."""

from django.utils.translation import gettext as _

from ..errors import NotAllowed


def require_perm(user, perm: str, obj=None, message=None) -> None:
    """Raise NotAllowed (translated) unless `user` holds the django-rules permission `perm` on `obj`."""
    if not user.has_perm(perm, obj):
        raise NotAllowed("not_allowed", message or _("You are not allowed to do this."))
