"""HTML pages of casework, one module per concern: parse (a form), call a service or selector, render."""

from .board import area_board, area_overdue, casework_home, my_report_list
from .config import area_categories, area_units
from .reports import (
    escalation_acknowledge,
    report_action,
    report_detail_page,
    report_new,
    report_photo,
    similar_fragment,
)
from .work import escalation_list, work_queue, work_queue_fragment

__all__ = [
    "area_board",
    "area_categories",
    "area_overdue",
    "area_units",
    "casework_home",
    "escalation_acknowledge",
    "escalation_list",
    "my_report_list",
    "report_action",
    "report_detail_page",
    "report_new",
    "report_photo",
    "similar_fragment",
    "work_queue",
    "work_queue_fragment",
]
