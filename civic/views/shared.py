"""What every civic page shares: the page guard (the same permission the services check) and the way back."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..errors import DomainError, InvalidInput
from ..forms import AreaCodeForm, Submission
from ..models import Area
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


def refuse_unless(done: Submission, form, refusal: DomainError | None = None) -> None:
    """For a button (no form page to show a refusal on): the service's DomainError, or `refusal` (else the
    form's first error) for an invalid form, goes the one HTML path for refusals (DomainErrorMiddleware)."""
    if done:
        return
    if done.error is not None:
        raise done.error
    if refusal is not None:
        raise refusal
    first = next(iter(form.errors.values()), [_("Please check what you entered.")])[0]
    raise InvalidInput("form_invalid", first)


def area_named(code) -> Area | None:
    """The area with the code a visitor sent (checked by a form first), or None."""
    form = AreaCodeForm({"code": code or ""})
    return Area.objects.filter(code=form.cleaned_data["code"]).first() if form.is_valid() else None
