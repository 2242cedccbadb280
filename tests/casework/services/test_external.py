"""report_intake: a report filed by another system; its response limit counts working hours only."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from casework.hours import response_due as add_working_hours
from casework.models import EventKind, ReportEvent
from casework.selectors import category_in as offered_category
from casework.services import report_intake
from civic.errors import InvalidInput
from civic.models import AuditEntry, CalendarDay
from civic.workdays import bump_calendar
from tests.casework.factories import make_category

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


def test_working_hours_skip_nights_weekends_and_holidays(settings):
    settings.CASEWORK_WORKING_HOURS = "09:00-17:00"
    assert add_working_hours(at(3, 10), 4) == at(3, 14)  # Monday
    assert add_working_hours(at(3, 16), 2) == at(4, 10)  # over the night
    assert add_working_hours(at(3, 20), 1) == at(4, 10)  # filed out of hours: from 09:00 next day
    assert add_working_hours(at(7, 16), 8) == at(10, 16)  # Friday → Monday: 1 hour, then 7
    CalendarDay.objects.create(date=at(10, 0).date(), is_workday=False, note="地方节日")
    bump_calendar()
    assert add_working_hours(at(7, 16), 8) == at(11, 16)  # and the Monday off


def test_a_report_is_filed_with_its_limit_first_step_and_audit_line(world):
    w = world
    lamp = make_category(w["D1"])
    report = report_intake(
        category=lamp, cell=w["c1a"], place=" 幸福路口 ", text="路灯不亮", channel="online", reporter=w["resident"],
        latitude=Decimal("30.1"), longitude=Decimal("120.2"),
    )  # fmt: skip
    assert report.state == "submitted" and report.place == "幸福路口" and report.category_key == "lamp"
    assert report.area_path == w["c1a"].path and report.response_due > report.submitted_at
    assert ReportEvent.objects.get(report=report).kind == EventKind.SUBMITTED
    assert AuditEntry.objects.filter(action="casework_report.submitted").count() == 1
    # the community's own override wins in its cells; a withdrawn one is not offered
    here = make_category(w["C1"], key="lamp", name="楼道灯")
    assert offered_category(w["c1a"], "lamp") == here
    assert offered_category(w["S1"], "lamp") == lamp  # above the community: the district's
    assert offered_category(w["c2a"], "lamp") is None  # another district
    here.is_offered = False
    here.save()
    assert offered_category(w["c1a"], "lamp") is None


@pytest.mark.parametrize(
    "change, code",
    [
        ({"text": "  "}, "required"),
        ({"place": ""}, "required"),
        ({"reporter": None}, "reporter_required"),
        ({"latitude": Decimal("30")}, "position_incomplete"),
        ({"latitude": Decimal("91"), "longitude": Decimal("0")}, "position_invalid"),
        ({"channel": "fax"}, "channel_invalid"),
        ({"cell": "c2a"}, "category_not_offered"),
    ],
)
def test_broken_input_is_refused(world, change, code):
    w = world
    lamp = make_category(w["C1"])
    data = {"category": lamp, "cell": w["c1a"], "place": "路口", "text": "灯坏了", "channel": "online",
            "reporter": w["resident"]}  # fmt: skip
    if change.get("cell"):
        change = {"cell": w[change["cell"]]}
    with pytest.raises(InvalidInput) as refused:
        report_intake(**{**data, **change})
    assert refused.value.code == code
