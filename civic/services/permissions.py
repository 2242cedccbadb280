"""The one permission guard every service of every app calls."""

import rules
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ..errors import NotAllowed


def holds_perm(user, perm: str, obj=None, *, personal: bool = False) -> bool:
    """Whether `user` holds the django-rules permission `perm` on `obj`.

    A superuser holds every permission, except a `personal` one (an act only the person concerned may do:
    withdrawing their own request, answering their own invitation): that is judged by the rule alone."""
    if personal:
        return bool(getattr(user, "is_active", False)) and rules.has_perm(perm, user, obj)
    return user.has_perm(perm, obj)


def require_perm(
    user,
    perm: str,
    obj=None,
    message: str | Promise | None = None,
    *,
    code: str = "not_allowed",
    personal: bool = False,
) -> None:
    """Raise NotAllowed (translated, with `code`) unless `user` holds the django-rules permission `perm` on `obj`."""
    if not holds_perm(user, perm, obj, personal=personal):
        raise NotAllowed(code, message or _("You are not allowed to do this."))
