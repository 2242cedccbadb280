"""People: one's own page and profile, closing an account, public profiles."""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import pagecache, pages, selectors, services
from ..forms import (
    CloseAccountForm,
    ProfileForm,
    submit,
)
from ..models import (
    AreaRole,
    Membership,
)
from ..predicates import sees_person

User = get_user_model()


@login_required
def me(request):
    user = request.user
    return render(
        request,
        "civic/me.html",
        {
            "verification": selectors.effective_verification(user),
            "history": selectors.verification_history(user)[:10],
            "has_pending": selectors.has_pending_verification(user),
            "invitations": selectors.pending_invitations(user),
            "memberships": Membership.objects.filter(user=user).select_related("organisation"),
            "roles": AreaRole.objects.filter(user=user).select_related("area"),
        },
    )


@login_required
def me_edit(request):
    user = request.user
    initial = {
        "display_name": user.display_name,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "bio": user.bio,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(form, lambda data: services.profile_update(user=user, **data)):
        messages.success(request, _("Your profile is saved."))
        return redirect("civic:me")
    return render(request, "civic/me_edit.html", {"form": form})


@login_required
def me_deactivate(request):
    if request.method == "POST":
        done = submit(
            CloseAccountForm(request.POST),
            lambda data: services.user_deactivate(user=request.user, actor=request.user),
        )
        if done.error:
            raise done.error
        if not done:
            messages.error(request, _("Tick the box to confirm that you want to close your account."))
            return redirect("civic:me-deactivate")
        logout(request)
        messages.success(request, _("Your account is closed and your personal data removed."))
        return redirect("civic:home")
    return render(request, "civic/me_deactivate.html")


def _profile(person) -> dict:
    summary = selectors.person_summary(person)
    verification = selectors.effective_verification(person)
    # a verification runs out by the clock: the page holds until then
    return {**summary, "valid_until": verification.expires_at if verification is not None else None}


def person_detail(request, pk):
    # The page's versions first, then the person: what is kept is never older than its versions.
    # Signed-in readers share one rendering: "Report this profile" is marked for everyone but its person.
    part = pagecache.Part(
        "person", pages.profile_scopes(pk), (pk,), lambda: _profile(person), request=request, signed_in_page=True
    )
    if kept := pagecache.kept_page(request, part, dict):
        return kept
    person = get_object_or_404(User, pk=pk)
    if not sees_person(request.user, person):
        raise Http404
    if person.is_hidden:  # seen by the person only: never kept
        part = pagecache.Part("person", [], (pk,), lambda: _profile(person), cache=False)
    return pagecache.whole_page(
        request, part, lambda: render(request, "civic/person_detail.html", {"person": person, "part": part}), dict
    )
