"""Demo data of 关键小事 in 东湖区: a grid worker for 柳岸社区's cells, four handling units, the city's eight
categories (东湖区 overrides one), and reports in every state — one overdue and escalated (督办), one
reopened after a poor rating, merged duplicates, a referral (转办), a report taken by phone and rated at a
callback, and a hot spot: seven reports of rubbish in one cell within 90 days.

Time passes by running the services at moments in the past (`_at`): they only know "now"."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from civic.demo import data as civic_data
from civic.models import AreaRole, AreaRoleKind, Membership, Organisation, User
from civic.services import area_role_grant, organisation_confirm, organisation_create
from civic.validators import credit_code_check_char

from . import services
from .models import Report, UnitService

GRID_WORKER = ("grid", "陈静")
UNIT_WORKER = ("unit", "吴师傅")
PEOPLE = [GRID_WORKER, UNIT_WORKER]  # demo logins (password as for every demo account)
CELL_1, CELL_2, CELL_3 = "990102001001001", "990102001001002", "990102001001003"
WANGHU_1 = "990102001002001"

# (key, name, English name, unit kind, response hours, handling days, after photo, clock may stop, description)
CATEGORIES = [
    ("lamp", "路灯照明", "Street lighting", "street_lighting", 4, 3, True, True, "路灯、楼道灯不亮或闪烁"),
    ("road", "道路破损", "Damaged road", "roads", 8, 5, True, True, "坑洼、井盖缺失、人行道破损"),
    ("rubbish", "垃圾清运", "Rubbish collection", "sanitation", 2, 1, True, False, "垃圾满溢、未按时清运"),
    ("drain", "排水堵塞", "Blocked drain", "drainage", 4, 2, True, True, "雨水口、下水道堵塞或返水"),
    ("parking", "违章停车", "Illegal parking", "city_management", 2, 1, False, False, "占用消防通道、盲道停车"),
    ("noise", "噪声扰民", "Noise", "city_management", 4, 3, False, True, "夜间施工、夜市、广场舞噪声"),
    ("greening", "绿化养护", "Greenery", "greening", 8, 5, False, True, "树木倒伏、枝叶遮挡、绿地毁损"),
    (
        "facility",
        "公共设施损坏",
        "Damaged public facilities",
        "city_management",
        8,
        5,
        True,
        True,
        "健身器材、座椅、护栏损坏",
    ),
]

# (credit code first 17, name, kind of organisation, unit kind, phone, category keys served in 湖滨街道)
UNITS = [
    (
        "11990102MB2000011",
        "湖滨街道城管科",
        "government",
        "city_management",
        "0571-8800 1201",
        ["parking", "noise", "facility", "road"],
    ),
    ("12990100MB3000021", "云河市路灯管理所", "government", "street_lighting", "0571-8800 2302", ["lamp"]),
    (
        "91990102MA2000031",
        "东湖区环卫清运有限公司",
        "enterprise",
        "sanitation",
        "0571-8800 3403",
        ["rubbish", "greening"],
    ),
    ("91990100MA4000041", "云河水务集团东湖分公司", "enterprise", "drainage", "0571-8800 4504", ["drain"]),
]


@contextmanager
def _at(moment: datetime):
    """Run the services as if it were `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _photo(label: str, colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).text((24, 24), label, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _person(local: str, name: str) -> User:
    email = f"{local}@{civic_data.DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=civic_data.PASSWORD, display_name=name)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _setup(people, areas) -> dict:
    admin, official = people["admin"], people["official"]
    grid = _person(*GRID_WORKER)
    worker = _person(*UNIT_WORKER)
    for code in (CELL_1, CELL_2, CELL_3):
        if not AreaRole.objects.filter(user=grid, area=areas[code], role=AreaRoleKind.GRID_WORKER).exists():
            area_role_grant(actor=admin, user=grid, area=areas[code], role=AreaRoleKind.GRID_WORKER)
    units = {}
    for first17, name, kind, unit_kind, phone, keys in UNITS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = organisation_create(
                name=name,
                kind=kind,
                credit_code=first17 + credit_code_check_char(first17),
                description="",
                areas=[areas["990102"]],
                representative=official,
            )
            organisation_confirm(actor=admin, organisation=organisation)
        unit = services.unit_save(
            actor=admin, organisation=organisation, kind=unit_kind, phone=phone, area=areas["990100"]
        )
        for key in keys:
            UnitService.objects.get_or_create(
                unit=unit, area=areas["990102001"], category_key=key, defaults={"area_path": areas["990102001"].path}
            )
        units[unit_kind] = unit
    # The demo's unit worker belongs to every unit, so one login shows the units' queues.
    for unit in units.values():
        Membership.objects.get_or_create(organisation=unit.organisation, user=worker, defaults={"role": "member"})
    for position, (key, name, name_en, unit_kind, hours, days, photo, clock, description) in enumerate(CATEGORIES):
        default = next((units[kind] for *_rest, kind, _phone, keys in UNITS if key in keys), None)
        services.category_save(
            actor=admin,
            area=areas["990100"],
            key=key,
            name=name,
            name_en=name_en,
            description=description,
            unit_kind=unit_kind,
            response_hours=hours,
            handling_days=days,
            default_unit=default,
            requires_after_photo=photo,
            clock_stop_allowed=clock,
            position=(position + 1) * 10,
        )
    # 东湖区 asks rubbish to be accepted within one working hour.
    services.category_save(
        actor=official,
        area=areas["990102"],
        key="rubbish",
        name="垃圾清运",
        name_en="Rubbish collection",
        description="垃圾满溢、未按时清运（东湖区：1 个工作小时内受理）",
        unit_kind="sanitation",
        response_hours=1,
        handling_days=1,
        default_unit=units["sanitation"],
        requires_after_photo=True,
        position=30,
    )
    return {"grid": grid, "worker": worker, "units": units}


def _file(who, cell, key, place, text, when, **kwargs) -> Report:
    from .selectors import category_in

    with _at(when):
        return services.report_file(
            actor=who, cell=cell, category=category_in(cell, key), place=place, text=text, **kwargs
        )


def _step(call, when, **kwargs):
    with _at(when):
        return call(**kwargs)


def _through(report, steps, *, grid, worker, start: datetime, note="已处理完毕", photo_colour="seagreen"):
    """Move a report along `steps` ("accept", "dispatch", "start", "resolve"), an hour or more apart."""
    moment = start
    for name in steps:
        moment += timedelta(hours=3)
        if name == "accept":
            _step(services.report_accept, moment, actor=grid, report=report)
        elif name == "dispatch":
            _step(services.report_dispatch, moment, actor=grid, report=report)
        elif name == "start":
            _step(services.report_start, moment, actor=worker, report=report)
        elif name == "resolve":
            _step(
                services.report_resolve,
                moment,
                actor=worker,
                report=report,
                note=note,
                files=[_photo("after", photo_colour)],
            )
    return moment


def seed(people, areas) -> None:
    if Report.objects.filter(area_path__startswith=areas["990102"].path).exists():
        return
    world = _setup(people, areas)
    grid, worker = world["grid"], world["worker"]
    resident, resident2, resident3 = people["resident"], people["resident2"], people["resident3"]
    enterprise = people["enterprise"]
    cell1, cell2, cell3 = areas[CELL_1], areas[CELL_2], areas[CELL_3]
    now = timezone.now()

    def ago(days, hours=0):
        return now - timedelta(days=days, hours=hours)

    # submitted: waits for the grid worker
    _file(
        resident,
        cell1,
        "lamp",
        "柳岸小区 3 栋北侧路灯",
        "3 栋北侧那盏路灯从前天起就不亮了，晚上回家很黑。",
        ago(0, 2),
        files=[_photo("lamp", "midnightblue")],
        latitude="30.274085",
        longitude="120.155070",
    )
    # accepted, waiting to be dispatched
    r = _file(resident2, cell2, "greening", "柳岸小区 7 栋前绿地", "7 栋前的香樟树枝叶挡住了二楼窗户，请修剪。", ago(1))
    _step(services.report_accept, ago(0, 20), actor=grid, report=r)
    # dispatched
    r = _file(
        resident,
        cell1,
        "drain",
        "柳岸路与湖滨路路口雨水口",
        "雨水口被落叶堵住，下雨积水到脚踝。",
        ago(1, 5),
        files=[_photo("drain", "saddlebrown")],
    )
    _through(r, ["accept", "dispatch"], grid=grid, worker=worker, start=ago(1, 5))
    # in progress
    r = _file(resident2, cell2, "lamp", "柳岸小区 7 栋楼道", "7 栋 1 单元楼道灯三层到五层都不亮。", ago(2))
    _through(r, ["accept", "dispatch", "start"], grid=grid, worker=worker, start=ago(2))
    # resolved, waiting for the reporter's rating
    r = _file(
        resident,
        cell1,
        "facility",
        "柳岸小区健身广场",
        "健身广场的单杠松动，老人孩子用着危险。",
        ago(3),
        files=[_photo("facility", "dimgray")],
    )
    _through(
        r,
        ["accept", "dispatch", "start", "resolve"],
        grid=grid,
        worker=worker,
        start=ago(3),
        note="已重新紧固单杠底座并更换螺栓。",
    )
    # closed, rated 满意
    r = _file(resident2, cell2, "road", "柳岸小区东门人行道", "东门人行道砖块翘起，容易绊倒。", ago(12))
    end = _through(
        r,
        ["accept", "dispatch", "start", "resolve"],
        grid=grid,
        worker=worker,
        start=ago(12),
        note="已重新铺设 6 平方米人行道砖。",
    )
    _step(
        services.report_rate, end + timedelta(hours=5), actor=resident2, report=r, level=4, comment="修得很平整，谢谢！"
    )
    # rejected
    r = _file(resident3, areas[WANGHU_1], "noise", "望湖花园", "楼上邻居每天吵。", ago(6))
    _step(
        services.report_reject,
        ago(5, 20),
        actor=people["organiser"],
        report=r,
        reason="邻里之间的生活噪声请先通过楼栋长或人民调解解决；如涉及夜间施工请重新反映。",
    )
    # withdrawn
    r = _file(resident, cell1, "parking", "柳岸小区消防通道", "有车辆堵住消防通道。", ago(4))
    _step(services.report_withdraw, ago(4, -1), actor=resident, report=r, reason="车主已经开走了。")
    # merged duplicates: two neighbours report the same broken bench
    survivor = _file(resident2, cell2, "facility", "柳岸小区中心花园长椅", "中心花园的长椅木条断了两根。", ago(2, 6))
    duplicate = _file(enterprise, cell2, "facility", "中心花园", "花园里的椅子坏了，坐上去会夹手。", ago(2, 3))
    _step(services.report_accept, ago(2), actor=grid, report=survivor)
    _step(services.report_merge, ago(2), actor=grid, report=duplicate, into=survivor)
    _step(services.report_follow, ago(1, 20), actor=resident, report=survivor)
    # referred outside the platform
    r = _file(resident, cell1, "lamp", "柳岸路 220 千伏线路下", "高压线下的变压器箱门开着，嗡嗡响。", ago(5))
    _step(services.report_accept, ago(4, 22), actor=grid, report=r)
    _step(
        services.report_refer,
        ago(4, 21),
        actor=grid,
        report=r,
        referred_to="国网云河供电公司（95598）",
        reason="变压器箱属供电公司资产，平台的承办单位无权处置，已电话转办并告知居民。",
    )
    # reopened: 不满意, sent back to the same unit, being handled again
    r = _file(
        resident,
        cell1,
        "lamp",
        "柳岸小区 3 栋 2 单元楼道",
        "2 单元楼道灯一到晚上就闪，吓人。",
        ago(9),
        files=[_photo("flicker", "black")],
    )
    end = _through(
        r, ["accept", "dispatch", "start", "resolve"], grid=grid, worker=worker, start=ago(9), note="已更换灯泡。"
    )
    _step(
        services.report_rate,
        end + timedelta(hours=20),
        actor=resident,
        report=r,
        level=2,
        comment="换了灯泡还是闪，应该是线路的问题。",
    )
    _step(services.report_start, end + timedelta(hours=26), actor=worker, report=r)
    # overdue and escalated (督办): dispatched ten days ago with a three-working-day limit; the tick flagged it,
    # escalated it to 柳岸社区 after the grace and to 湖滨街道 after another; the community acknowledged.
    r = _file(
        resident2,
        cell2,
        "lamp",
        "柳岸小区南门",
        "南门两盏路灯都不亮，门口一片黑。",
        ago(10),
        files=[_photo("south-gate", "navy")],
    )
    _through(r, ["accept", "dispatch"], grid=grid, worker=worker, start=ago(10))
    r.refresh_from_db()
    moment = r.handling_due + timedelta(minutes=5)
    with _at(moment):
        services.flag_overdue_reports(now=moment)
    for _level in range(2):
        r.refresh_from_db()
        if r.next_escalation_at is None or r.next_escalation_at > now:
            break
        moment = r.next_escalation_at + timedelta(minutes=5)
        with _at(moment):
            services.escalate_overdue_reports(now=moment)
    first = r.escalations.order_by("level").first()
    if first is not None:
        _step(
            services.escalation_acknowledge,
            first.created_at + timedelta(hours=2),
            actor=people["organiser"],
            escalation=first,
            note="请路灯所两天内修复并回复居民。",
        )
    # taken by phone for an older resident, rated at the callback
    r = _file(
        grid,
        cell3,
        "drain",
        "柳岸新村 2 号楼后",
        "王大爷来电：楼后下水道返水，味道很大。",
        ago(15),
        channel="phone",
        reporter_name="王大爷",
        reporter_phone="138 0571 0000",
    )
    end = _through(
        r,
        ["accept", "dispatch", "start", "resolve"],
        grid=grid,
        worker=worker,
        start=ago(15),
        note="已疏通管道 12 米。",
    )
    _step(services.report_rate, end + timedelta(days=1), actor=grid, report=r, level=5, channel="callback")
    # closed without a rating (the tick closes it after the rating period)
    r = _file(resident3, areas[WANGHU_1], "greening", "望湖花园 12 栋旁", "倒伏的小树挡住了人行道。", ago(20))
    organiser = people["organiser"]
    with _at(ago(20, -2)):
        services.report_accept(actor=organiser, report=r)
    with _at(ago(20, -3)):
        services.report_dispatch(actor=organiser, report=r)
    _step(services.report_start, ago(19), actor=worker, report=r)
    _step(services.report_resolve, ago(18), actor=worker, report=r, note="已扶正并加固。")
    with _at(ago(5)):
        services.close_unrated_reports(now=ago(5))
    # a hot spot: rubbish keeps piling up at the same corner of 第二网格
    for index, days in enumerate((84, 70, 55, 41, 27, 13, 1)):
        r = _file(
            (resident2, enterprise)[index % 2],
            cell2,
            "rubbish",
            "柳岸小区西北角垃圾房",
            "垃圾房又满出来了，周边都是垃圾袋，气味很大。",
            ago(days),
            files=[_photo("rubbish", "olive")],
        )
        if days < 2:
            continue
        end = _through(
            r,
            ["accept", "dispatch", "start", "resolve"],
            grid=grid,
            worker=worker,
            start=ago(days),
            note="已清运并冲洗垃圾房。",
        )
        level = (3, 2, 4, 1, 3, 2)[index]
        comment = "" if level >= 3 else "清完两天又满了，清运次数太少。"
        _step(services.report_rate, end + timedelta(hours=6), actor=r.reporter, report=r, level=level, comment=comment)
        if level < 3:
            r.refresh_from_db()
            end = _through(
                r,
                ["start", "resolve"],
                grid=grid,
                worker=worker,
                start=end + timedelta(hours=8),
                note="已增加一次清运。",
            )
            _step(services.report_rate, end + timedelta(hours=6), actor=r.reporter, report=r, level=3)
