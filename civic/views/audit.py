"""The audit log an official may browse."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors
from ..forms import (
    AuditFilterForm,
)
from ..models import (
    Area,
)
from .shared import require_page_perm


@login_required
def audit_list(request):
    require_page_perm(request, "civic.view_audit")
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        area = Area.objects.filter(code=data["area"]).first() if data["area"] else None
        if data["area"] and area is None:
            form.add_error("area", _("No area has this code."))
        filters = {
            "action": data["action"],
            "actor_email": data["actor"] or "",
            "area": area,
            "since": data["since"],
            "until": data["until"],
        }
    page = Paginator(selectors.audit_entries(request.user, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "civic/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
