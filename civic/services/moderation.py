"""Moderation: reports, automatic hiding, decisions."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import pagecache
from ..errors import Conflict, InvalidInput, NotFound
from ..models import (
    AreaRoleKind,
    ModerationCase,
    ModerationStatus,
    Report,
    ReportReason,
)
from ..registry import moderation_adapter
from ..text import clean_text
from .audit import audit_record
from .notifications import notify
from .permissions import require_perm

User = get_user_model()

REPORT_TEXT_MAX = 1000
REASON_MAX = 500


def _set_hidden(obj, adapter, hidden: bool) -> None:
    type(obj).objects.filter(pk=obj.pk).update(**{adapter.hidden_field: hidden})
    setattr(obj, adapter.hidden_field, hidden)
    pagecache.bump_for(obj)  # an update sends no signal: the cached pages that show it change here


@transaction.atomic
def content_report(*, reporter, obj, reason: str, text: str = "") -> Report:
    require_perm(reporter, "civic.report_content")
    adapter = moderation_adapter(type(obj))
    if adapter is None:
        raise InvalidInput("not_reportable", _("This cannot be reported."))
    if reason not in ReportReason.values:
        raise InvalidInput("reason_unknown", _("Choose a reason from the list."), field="reason")
    text = clean_text(text, field="text", limit=REPORT_TEXT_MAX)
    if reason == ReportReason.OTHER and not text:
        raise InvalidInput("details_missing", _("Please describe the problem."), field="text")
    author = adapter.author(obj)
    if author is not None and author.pk == reporter.pk:
        raise InvalidInput("own_content", _("You cannot report what you wrote yourself."))
    content_type = ContentType.objects.get_for_model(obj)
    case, _created = ModerationCase.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults={"area": adapter.area(obj), "author": author, "excerpt": adapter.excerpt(obj)},
    )
    if Report.objects.filter(case=case, reporter=reporter).exists():
        raise Conflict("already_reported", _("You have already reported this."))
    report = Report.objects.create(case=case, reporter=reporter, reason=reason, text=text)
    now = timezone.now()
    ModerationCase.objects.filter(pk=case.pk).update(report_count=F("report_count") + 1, updated_at=now)
    case.refresh_from_db()
    if case.decided_at is not None and case.status == ModerationStatus.RESTORED:
        case.decided_at = None  # new reports after a decision reopen the case for review
        case.save(update_fields=["decided_at"])
    threshold = settings.MODERATION_AUTO_HIDE_REPORTS
    if case.status == ModerationStatus.OPEN and threshold and case.report_count >= threshold:
        case.status = ModerationStatus.HIDDEN
        case.auto_hidden = True
        case.save(update_fields=["status", "auto_hidden"])
        _set_hidden(obj, adapter, True)
        audit_record(actor=None, action="moderation.auto_hidden", obj=case, area=case.area)
        if author is not None:
            notify(
                recipient=author,
                kind="moderation.decided",
                title=gettext_lazy("Something you wrote is hidden until a moderator reviews it"),
                body=case.excerpt,
                url=adapter.url(obj),
            )
    if case.area is not None and (case.report_count == 1 or (case.auto_hidden and case.report_count == threshold)):
        moderators = User.objects.filter(
            is_active=True,
            area_roles__role=AreaRoleKind.MODERATOR,
            area_roles__area__code__in=case.area.path.strip("/").split("/"),
        ).distinct()
        for moderator in moderators:
            notify(
                recipient=moderator,
                kind="moderation.reported",
                title=gettext_lazy("Content reported in %(area)s"),
                params={"area": case.area.name},
                body=case.excerpt,
                url=case.get_absolute_url(),
            )
    return report


@transaction.atomic
def moderation_decide(*, actor, case: ModerationCase, hide: bool, reason: str) -> ModerationCase:
    case = ModerationCase.objects.select_for_update(of=("self",)).select_related("content_type", "area").get(pk=case.pk)
    require_perm(actor, "civic.decide_case", case, _("Only a moderator of this area can decide."))
    reason = clean_text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise InvalidInput("reason_missing", _("Please give a reason."), field="reason")
    obj = case.content_object
    if obj is None:
        raise NotFound("content_gone", _("The reported content no longer exists."))
    adapter = moderation_adapter(type(obj))
    before = case.status
    case.status = ModerationStatus.HIDDEN if hide else ModerationStatus.RESTORED
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.decision_reason = reason
    case.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _set_hidden(obj, adapter, hide)
    audit_record(
        actor=actor,
        action="moderation.hidden" if hide else "moderation.restored",
        obj=case,
        area=case.area,
        before={"status": before},
        after={"status": case.status, "reason": reason},
    )
    if case.author_id:
        notify(
            recipient=case.author,
            kind="moderation.decided",
            title=gettext_lazy("A moderator hid something you wrote")
            if hide
            else gettext_lazy("Something you wrote is visible again"),
            body=reason,
            url=adapter.url(obj),
        )
    return case
