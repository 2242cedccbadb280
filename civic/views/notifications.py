"""Notifications: the inbox and the choice of e-mails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import (
    MarkReadForm,
    notification_preferences_form,
    submit,
)
from ..models import (
    Notification,
    NotificationPreference,
)
from ..registry import NOTIFICATION_KINDS
from .shared import refuse_unless


@login_required
def notification_list(request):
    if request.method == "POST":
        form = MarkReadForm(request.POST)
        done = submit(form, lambda data: services.notification_mark_read(user=request.user, ids=data["id"] or None))
        refuse_unless(done, form)
        messages.success(request, _("%(count)s marked as read.") % {"count": done.value})
        return redirect("civic:notifications")
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "civic/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, ids=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("civic:home" if notification.url else "notifications")


@login_required
def notification_preferences(request):
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = notification_preferences_form(NOTIFICATION_KINDS, current, request.POST or None)
    if request.method == "POST" and submit(
        form,
        lambda data: services.notification_preferences_set(
            user=request.user, choices={field.replace("__", "."): delivery for field, delivery in data.items()}
        ),
    ):
        messages.success(request, _("Your choices are saved."))
        return redirect("civic:notification-preferences")
    return render(request, "civic/notification_preferences.html", {"form": form})
