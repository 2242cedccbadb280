"""Every write of casework: one transaction each, the report's row locked where two handlers could race, an
audit row per state change and a step on the report's timeline, notifications through the civic core.

One module per concern; this package re-exports the services (`casework.services.report_file`)."""

from ._common import COMMENT_MAX, PLACE_MAX, REASON_MAX, REFERRED_TO_MAX, TEXT_MAX
from .configuration import category_save, unit_save, unit_service_add, unit_service_remove
from .escalations import escalate_overdue_reports, escalation_acknowledge, flag_overdue_reports
from .external import report_intake
from .handling import clock_resume, clock_stop, report_resolve, report_return, report_start
from .intake import report_accept, report_dispatch, report_merge, report_refer, report_reject, report_withdraw
from .ratings import close_unrated_reports, rating_allowed, report_rate
from .reports import report_allowed, report_file, report_follow

__all__ = [
    "COMMENT_MAX",
    "PLACE_MAX",
    "REASON_MAX",
    "REFERRED_TO_MAX",
    "TEXT_MAX",
    "category_save",
    "clock_resume",
    "clock_stop",
    "close_unrated_reports",
    "escalate_overdue_reports",
    "escalation_acknowledge",
    "flag_overdue_reports",
    "rating_allowed",
    "report_accept",
    "report_allowed",
    "report_dispatch",
    "report_file",
    "report_follow",
    "report_intake",
    "report_merge",
    "report_rate",
    "report_refer",
    "report_reject",
    "report_resolve",
    "report_return",
    "report_start",
    "report_withdraw",
    "unit_save",
    "unit_service_add",
    "unit_service_remove",
]
