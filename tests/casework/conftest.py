"""A casework world on top of tests/world.py: grid workers, two handling units, categories defined at the
city (one overridden in 一区), and helpers that move a report through the loop."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casework import services
from casework.models import Category, Unit, UnitService
from civic.models import AreaRole, Membership, Organisation
from tests.factories import UserFactory, valid_credit_code
from tests.world import ROLES

CW_ROLES = [*ROLES, "grid_worker_here", "grid_worker_elsewhere", "unit_member", "other_unit_member"]


def photo(name="problem.jpg", colour="orange", size=(60, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _unit(name, n, member, area, keys, kind="city_management"):
    organisation = Organisation.objects.create(
        name=name, kind="government", credit_code=valid_credit_code(n, "11"), confirmed_at="2026-01-01T00:00Z"
    )
    organisation.areas.set([area])
    Membership.objects.create(organisation=organisation, user=member, role="representative")
    unit = Unit.objects.create(organisation=organisation, kind=kind)
    for key in keys:
        UnitService.objects.create(unit=unit, area=area, area_path=area.path, category_key=key)
    return unit


@pytest.fixture
def cw(world):
    w = world
    p = w.people
    for role in ("grid_worker_here", "grid_worker_elsewhere", "unit_member", "other_unit_member"):
        p[role] = UserFactory(display_name=role)
    AreaRole.objects.create(user=p["grid_worker_here"], area=w["c1a"], role="grid_worker")
    AreaRole.objects.create(user=p["grid_worker_elsewhere"], area=w["c2a"], role="grid_worker")
    w.unit = _unit("一街道城管科", 801, p["unit_member"], w["S1"], ["lamp", "rubbish"])
    w.other_unit = _unit("二街道城管科", 802, p["other_unit_member"], w["S2"], ["lamp", "rubbish"])
    admin = p["admin"]
    w.lamp = Category.objects.create(
        area=w["city"],
        area_path=w["city"].path,
        key="lamp",
        name="路灯照明",
        name_en="Street lighting",
        unit_kind="street_lighting",
        response_hours=4,
        handling_days=3,
        requires_after_photo=True,
        clock_stop_allowed=True,
        created_by=admin,
    )
    w.rubbish = Category.objects.create(
        area=w["city"],
        area_path=w["city"].path,
        key="rubbish",
        name="垃圾清运",
        unit_kind="sanitation",
        response_hours=2,
        handling_days=1,
        created_by=admin,
    )
    # 一区 sets a shorter handling limit for street lighting and names its default unit.
    w.lamp_d1 = Category.objects.create(
        area=w["D1"],
        area_path=w["D1"].path,
        key="lamp",
        name="路灯照明",
        unit_kind="street_lighting",
        response_hours=4,
        handling_days=2,
        requires_after_photo=True,
        clock_stop_allowed=True,
        default_unit=w.unit,
        created_by=admin,
    )
    return w


@pytest.fixture
def file_report(cw):
    def make(person="resident", cell="c1a", key="lamp", files=None, **kwargs):
        from casework.selectors import category_in

        kwargs.setdefault("place", "3 栋门口路灯")
        kwargs.setdefault("text", "路灯不亮已经一周，晚上很黑。")
        return services.report_file(
            actor=cw[person], cell=cw[cell], category=category_in(cw[cell], key), files=files or [], **kwargs
        )

    return make


@pytest.fixture
def at_state(cw, file_report):
    """A report by the resident in c1a, moved to `state` through the services."""

    def make(state, **kwargs):
        report = file_report(**kwargs)
        if state == "submitted":
            return report
        report = services.report_accept(actor=cw["grid_worker_here"], report=report)
        if state == "accepted":
            return report
        report = services.report_dispatch(actor=cw["grid_worker_here"], report=report)
        if state == "dispatched":
            return report
        report = services.report_start(actor=cw["unit_member"], report=report)
        if state == "in_progress":
            return report
        report = services.report_resolve(actor=cw["unit_member"], report=report, note="已更换灯泡", files=[photo()])
        if state == "resolved":
            return report
        raise ValueError(state)

    return make


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def escalation_in(w, report, area="C1"):
    from casework.models import Escalation

    return Escalation.objects.create(report=report, area=w[area], area_path=w[area].path, level=1, limit="handling")
