"""What casework plugs into the civic core: notification kinds, moderated content, tick jobs."""

from django.utils.translation import gettext_lazy as _

from civic.registry import Moderated, moderated, notification_kind, tick_job


def register() -> None:
    from .models import Report, ReportPhoto
    from .services import close_unrated_reports, escalate_overdue_reports, flag_overdue_reports

    notification_kind("casework.step", _("Steps of the small-matter reports you made or are affected by"))
    notification_kind("casework.new", _("New small-matter reports in the grid cells you look after"))
    notification_kind("casework.dispatched", _("Small-matter reports dispatched to your unit"))
    notification_kind("casework.returned", _("Small-matter reports a unit returned to you"))
    notification_kind("casework.overdue", _("Small-matter reports you handle that are past their time limit"))
    notification_kind("casework.escalated", _("Escalations (督办) addressed to your area"))

    tick_job("casework_1_overdue", flag_overdue_reports)
    tick_job("casework_2_escalations", escalate_overdue_reports)
    tick_job("casework_3_close_unrated", close_unrated_reports)

    moderated(
        Report,
        Moderated(
            area=lambda r: r.cell,
            author=lambda r: r.reporter,
            excerpt=lambda r: f"{r.place}: {r.text}"[:300],
            url=lambda r: r.get_absolute_url(),
        ),
    )
    moderated(
        ReportPhoto,
        Moderated(
            area=lambda p: p.report.cell,
            author=lambda p: p.uploaded_by,
            excerpt=lambda p: f"{p.report.place} ({p.get_stage_display()})"[:300],
            url=lambda p: p.report.get_absolute_url(),
        ),
    )
