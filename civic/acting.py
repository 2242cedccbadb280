"""Acting for a resident in person (代办): who the person behind a request's act is.

A staff member starts acting for an assisted resident on the resident's page; until they stop, every page
shows the banner "正在为 <name> 代办" with a stop button, and the pages that take part (co-sign, comment,
vote, rate — and whatever later stages add) call their service with the resident as the person acting and
the staff member as `assisted_by`. In the API the same is asked with the header `X-Acting-For: <id>`.

    person, assisted_by = acting_pair(request)
    services.proposal_endorse(user=person, proposal=proposal, assisted_by=assisted_by)

Whether the staff member may act for this resident is asked again on every request (the session keeps only
the resident's id) and once more by the service (`civic.services.assisted_channel`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .errors import NotAllowed
from .services.permissions import holds_perm
from .validators import as_pk

SESSION_KEY = "civic_acting_for"
HEADER = "X-Acting-For"
_META_KEY = "HTTP_X_ACTING_FOR"
_CACHE = "_civic_acting"


@dataclass(frozen=True)
class Acting:
    resident: object
    staff: object


def _resident(staff, pk):
    pk = as_pk(pk)
    if pk is None or not getattr(staff, "is_authenticated", False):
        return None
    resident = get_user_model().objects.select_related("assisted__cell").filter(pk=pk, is_active=True).first()
    if resident is None or not holds_perm(staff, "civic.act_for", resident, personal=True):
        return None
    return resident


def acting(request) -> Acting | None:
    """The resident this request acts for, or None. Pages: the session's choice (dropped when no longer
    allowed). API (a DRF request): only the `X-Acting-For` header; a resident one may not act for is refused
    (403)."""
    cached = getattr(request, _CACHE, False)
    if cached is not False:
        return cached
    staff = getattr(request, "user", None)
    result = None
    header = request.META.get(_META_KEY)
    if header is not None:
        resident = _resident(staff, header)
        if resident is None:
            raise NotAllowed("not_allowed", _("You can act only for residents registered in person in your area."))
        result = Acting(resident=resident, staff=staff)
    elif not hasattr(request, "_request") and getattr(request, "session", {}).get(SESSION_KEY):  # pages only
        resident = _resident(staff, request.session.get(SESSION_KEY))
        if resident is None:
            request.session.pop(SESSION_KEY, None)
        else:
            result = Acting(resident=resident, staff=staff)
    setattr(request, _CACHE, result)
    return result


def acting_pair(request):
    """(the person acting, the staff member assisting or None) for a service call."""
    current = acting(request)
    if current is None:
        return request.user, None
    return current.resident, current.staff


def acting_start(request, resident) -> None:
    if _resident(request.user, resident.pk) is None:
        raise NotAllowed("not_allowed", _("You can act only for residents registered in person in your area."))
    request.session[SESSION_KEY] = resident.pk
    setattr(request, _CACHE, Acting(resident=resident, staff=request.user))


def acting_stop(request) -> None:
    request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE, None)
