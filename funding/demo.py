"""Demo funding data: the city's and 东湖区's subsidy policies, and micro-projects in every state —
one closed with its whole award paid (provisional, three advances, settlement), one under way, one whose
award is under public notice with an objection waiting, one waiting for inspection, one being rated, one
suspended and one cancelled. Time passes by moving recorded moments back (the services only know now)."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from civic.models import Organisation, ResidencyVerification, User
from civic.money import format_yuan
from civic.services import verification_approve, verification_request
from proposals.models import Proposal, ProposalState

from . import services
from .models import MicroProject, SubsidyAward, SubsidyPolicy

# Residents of 柳岸社区 and 望湖社区 who rate the demo projects (no password: they cannot sign in).
NEIGHBOURS = [
    ("neighbour01", "吴桂兰", "990102001001001", "柳岸小区 2 栋 302"),
    ("neighbour02", "郑伟", "990102001001002", "柳岸小区 5 栋 101"),
    ("neighbour03", "黄淑珍", "990102001001003", "柳岸新村 1 号楼 402"),
    ("neighbour04", "何军", "990102001001001", "柳岸小区 6 栋 201"),
    ("neighbour05", "林小燕", "990102001002001", "望湖花园 3 栋 602"),
    ("neighbour06", "罗志明", "990102001002002", "望湖花园 9 栋 101"),
    ("neighbour07", "高玉梅", "990102001002001", "望湖花园 12 栋 302"),
    ("neighbour08", "马涛", "990102001001002", "柳岸小区 8 栋 702"),
]
CONDITION_ZH = {"start": "开工预拨", "midpoint": "中期预拨", "completion": "完工预拨"}
STAGE_ZH = {"provisional": "预拨奖补", "settlement": "奖补结算"}
CHECKLIST = [
    ("工程质量", "28", "30"),
    ("与方案一致", "18", "20"),
    ("安全文明施工", "18", "20"),
    ("资料和票据", "14", "15"),
    ("居民意见处理", "14", "15"),
]


def _policies(people, areas) -> None:
    if SubsidyPolicy.objects.exists():
        return
    services.policy_publish(
        actor=people["admin"],
        area=areas["990100"],
        data={
            "share": Decimal("0.25"),
            "cap_per_project": Decimal("80000"),
            "cap_per_area_year": Decimal("2000000"),
            "min_self_funded_share": Decimal("0.05"),
            "min_acceptance_score": Decimal("75"),
            "min_satisfaction_rate": Decimal("0.7"),
            "note": "《云河市城乡社区微项目以奖代补实施办法（试行）》",
        },
    )
    services.policy_publish(
        actor=people["official"],
        area=areas["990102"],
        data={
            "share": Decimal("0.30"),
            "cap_per_project": Decimal("100000"),
            "cap_per_area_year": Decimal("250000"),
            "min_self_funded_share": Decimal("0.10"),
            "min_acceptance_score": Decimal("80"),
            "min_satisfaction_rate": Decimal("0.80"),
            "advance_start": Decimal("0.30"),
            "advance_midpoint": Decimal("0.50"),
            "advance_completion": Decimal("0.80"),
            "note": "东湖区老旧小区改造和背街小巷整治微项目：开工、过半、完工三次预拨，验收和居民评议后结算。",
        },
    )
    # published a little while ago, so that awards computed "in the past" below find them in force
    SubsidyPolicy.objects.update(effective_from=timezone.now() - timedelta(days=400))


def _neighbours(people, areas) -> list[User]:
    result = []
    for local, name, cell, address in NEIGHBOURS:
        email = f"{local}@yunhe.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, display_name=name)
        if not ResidencyVerification.objects.filter(user=user).exists():
            verification = verification_request(user=user, cell=areas[cell], address=address)
            verification_approve(verification=verification, actor=people["organiser"])
        result.append(user)
    return result


def _photo(label: str, colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 420), colour)
    ImageDraw.Draw(image).rectangle((40, 300, 600, 380), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _ago(model, pk, **fields) -> None:
    """Move recorded moments back in time (the demo's way of letting days pass)."""
    model.objects.filter(pk=pk).update(**fields)


def _backdate(project, *, started=None, completed=None, accepted=None) -> None:
    """Give the steps that happened "today" while seeding plausible dates in the past."""
    from .models import Milestone, ProgressReport

    now = timezone.now()
    fields = {}
    for field, days in (("started_at", started), ("completed_at", completed), ("accepted_at", accepted)):
        if days is not None:
            fields[field] = now - timedelta(days=days)
    _ago(MicroProject, project.pk, **fields)
    reports = list(ProgressReport.objects.filter(project=project).order_by("id"))
    if started is not None and reports:
        last = completed if completed is not None else 1
        step = max(1, (started - last) // (len(reports) + 1))
        for i, report in enumerate(reports):
            when = now - timedelta(days=started - step * (i + 1))
            ProgressReport.objects.filter(pk=report.pk).update(reported_on=timezone.localdate(when))
            if report.milestone_id:
                Milestone.objects.filter(pk=report.milestone_id).update(reached_at=when)


def _approve(official, award, days_ago: int) -> SubsidyAward:
    past = timezone.now() - timedelta(days=days_ago)
    _ago(SubsidyAward, award.pk, computed_at=past - timedelta(days=8), notice_until=past, objections_until=past)
    return services.award_approve(actor=official, award=award)


def _plan(start_days_ago: int, length: int):
    start = timezone.localdate() - timedelta(days=start_days_ago)
    return start, start + timedelta(days=length)


def seed(people: dict, areas: dict) -> None:
    _policies(people, areas)
    if MicroProject.objects.exists():
        return
    official = people["official"]
    ngo_rep, enterprise_rep = people["ngo"], people["enterprise"]
    ngo = Organisation.objects.get(name="云河市益邻社区服务中心")
    enterprise = Organisation.objects.get(name="云河绿城物业服务有限公司")
    raters = [
        people["resident"],
        people["resident2"],
        people["resident3"],
        people["enterprise"],
        *_neighbours(people, areas),
    ]
    proposals = {p.title: p for p in Proposal.objects.filter(state=ProposalState.ADOPTED)}

    # 1. Closed, the whole award paid: the pocket park of 柳岸社区 (from an adopted proposal).
    garden = proposals.get("柳岸社区口袋公园补种绿植")
    start, end = _plan(120, 60)
    park = services.project_create(
        actor=official,
        proposal=garden,
        area=None if garden else areas["990102001001"],
        title="柳岸社区口袋公园补种绿植",
        scope="补种耐旱灌木和宿根花卉 300 株，铺设滴灌管线 180 米，居民志愿者参与栽种和养护。",
        location="柳岸社区口袋公园",
        implementer=ngo,
        budget_lines=[
            {"item": "苗木（耐旱灌木、宿根花卉）", "amount": "9000"},
            {"item": "滴灌管线和控制器", "amount": "5000"},
            {"item": "人工和清运", "amount": "1000"},
        ],
        planned_start=start,
        planned_end=end,
        milestones=[
            {"title": "苗木进场", "due_on": start + timedelta(days=10)},
            {"title": "栽种过半、滴灌铺设完成", "due_on": start + timedelta(days=30), "is_midpoint": True},
        ],
    )
    residents_money = services.commitment_add(
        actor=official, project=park, source="residents", funder="柳岸社区居民众筹", amount="2000"
    )
    services.commitment_add(
        actor=official,
        project=park,
        source="in_kind",
        funder="柳岸小区 3 栋居民志愿队",
        amount="800",
        description="志愿者 40 人次参与栽种和浇水（按每人次 20 元折算）",
    )
    services.receipt_record(actor=official, commitment=residents_money, amount="2000", reference="社区账户收款 2026-07")
    provisional = services.award_compute(actor=official, project=park, stage="provisional")
    provisional = _approve(official, provisional, 115)
    services.project_start(actor=ngo_rep, project=park)
    services.advance_pay(actor=official, award=provisional, condition="start")
    services.progress_report(
        actor=ngo_rep,
        project=park,
        text="苗木全部进场，已栽种 120 株。",
        spend_to_date="5200",
        milestone=park.milestones.get(is_midpoint=False),
        files=[_photo("苗木进场", "#5b8c3a")],
    )
    services.progress_report(
        actor=ngo_rep,
        project=park,
        text="栽种过半，滴灌管线铺设完成并试水。",
        spend_to_date="11800",
        milestone=park.milestones.get(is_midpoint=True),
        files=[_photo("滴灌试水", "#3a6d8c")],
    )
    services.advance_pay(actor=official, award=provisional, condition="midpoint")
    services.project_report_completion(
        actor=ngo_rep,
        project=park,
        report="300 株苗木全部栽种，滴灌系统运行正常，已交社区养护。",
        files=[_photo("完工", "#4f9a5f")],
    )
    services.advance_pay(actor=official, award=provisional, condition="completion")
    services.inspection_record(
        actor=official,
        project=park,
        result="accepted",
        verified_cost="14800",
        checklist=[{"item": i, "score": s, "max": m} for i, s, m in CHECKLIST],
        invoices="苗木发票 2 张、管材发票 1 张、劳务结算单 1 份，合计 14,800.00 元",
        remarks="苗木成活率高，滴灌控制器已移交社区。",
    )
    for person, level in zip(raters, [5, 5, 4, 5, 4, 3, 5, 4, 2, 5], strict=False):
        if person.verifications.filter(cell__path__startswith=park.area.path).exists():
            services.rating_submit(
                user=person, project=park, level=level, comment="" if level > 2 else "部分花卉品种不耐寒"
            )
    _backdate(park, started=118, completed=50, accepted=45)
    settlement = services.award_compute(
        actor=official, project=MicroProject.objects.get(pk=park.pk), stage="settlement"
    )
    settlement = _approve(official, settlement, 5)
    services.settlement_pay(actor=official, award=settlement)
    services.project_close(actor=official, project=park)

    # 2. In progress, the start advance paid: the ramp of 湖滨街道 (from an adopted proposal).
    ramp_proposal = proposals.get("望湖花园单元门口增设无障碍坡道")
    start, end = _plan(20, 45)
    ramp = services.project_create(
        actor=official,
        proposal=ramp_proposal,
        area=None if ramp_proposal else areas["990102001"],
        title="望湖花园单元门口增设无障碍坡道",
        scope="在 12 栋单元门口修建坡度 1:12 的无障碍坡道并加装两侧扶手。",
        location="望湖花园 12 栋",
        implementer=enterprise,
        budget_lines=[{"item": "坡道土建", "amount": "6500"}, {"item": "不锈钢扶手", "amount": "2500"}],
        planned_start=start,
        planned_end=end,
        milestones=[
            {"title": "坡道浇筑完成", "due_on": start + timedelta(days=15), "is_midpoint": True},
            {"title": "扶手安装完成", "due_on": start + timedelta(days=35)},
        ],
    )
    services.commitment_add(actor=official, project=ramp, source="enterprise", funder=enterprise.name, amount="1000")
    ramp_award = _approve(official, services.award_compute(actor=official, project=ramp, stage="provisional"), 14)
    services.project_start(actor=enterprise_rep, project=ramp)
    services.advance_pay(actor=official, award=ramp_award, condition="start")
    services.progress_report(
        actor=enterprise_rep,
        project=ramp,
        text="原台阶已拆除，坡道基层施工中。",
        spend_to_date="2300",
        files=[_photo("坡道施工", "#8c7a5b")],
    )
    _backdate(ramp, started=18)

    # 3. Planned, the provisional award under public notice, an objection waiting for its answer.
    start, end = _plan(-10, 50)
    fitness = services.project_create(
        actor=official,
        area=areas["990102002001"],
        title="新桥社区健身器材更新",
        scope="更换老化健身器材 8 件，地面铺设安全地垫。",
        implementer=enterprise,
        budget_lines=[{"item": "健身器材 8 件", "amount": "36000"}, {"item": "安全地垫", "amount": "12000"}],
        planned_start=start,
        planned_end=end,
        milestones=[{"title": "器材到货安装过半", "due_on": start + timedelta(days=20), "is_midpoint": True}],
    )
    notice = services.award_compute(actor=official, project=fitness, stage="provisional")
    services.objection_file(user=people["resident3"], award=notice, text="地垫单价明显高于市场价，请核实。")

    # 4. Completed by the implementer, waiting for inspection.
    start, end = _plan(50, 40)
    drains = services.project_create(
        actor=official,
        area=areas["990102002002"],
        title="桂园社区雨水管网疏通",
        scope="疏通 4 条雨水主管，更换破损雨水篦子 12 个。",
        implementer=enterprise,
        budget_lines=[{"item": "管网疏通", "amount": "18000"}, {"item": "雨水篦子", "amount": "4200"}],
        planned_start=start,
        planned_end=end,
    )
    services.project_start(actor=enterprise_rep, project=drains)
    services.project_report_completion(
        actor=enterprise_rep,
        project=drains,
        report="4 条主管已疏通，12 个雨水篦子已更换。",
        files=[_photo("管网疏通", "#55606b")],
    )
    _backdate(drains, started=48, completed=6)

    # 5. Accepted, residents rating it now.
    start, end = _plan(70, 50)
    rails = services.project_create(
        actor=official,
        area=areas["990102001002"],
        title="望湖花园楼道扶手加装",
        scope="为 3、9、12 栋楼道加装不锈钢扶手。",
        implementer=ngo,
        budget_lines=[{"item": "扶手材料", "amount": "7600"}, {"item": "安装", "amount": "2400"}],
        planned_start=start,
        planned_end=end,
    )
    services.commitment_add(actor=official, project=rails, source="residents", funder="望湖花园业主", amount="1200")
    services.project_start(actor=ngo_rep, project=rails)
    services.project_report_completion(actor=ngo_rep, project=rails, report="三栋楼道扶手全部安装完毕。")
    services.inspection_record(
        actor=official,
        project=rails,
        result="accepted",
        verified_cost="9650",
        checklist=[{"item": i, "score": s, "max": m} for i, s, m in CHECKLIST[:3]],
        remarks="安装牢固，个别焊点需打磨（已现场整改）。",
    )
    for person, level in zip(raters, [5, 4, 4, 3, 5, 5, 4, 5, 3, 4], strict=False):
        if person.verifications.filter(cell__path__startswith=rails.area.path).exists():
            services.rating_submit(user=person, project=rails, level=level)
    _backdate(rails, started=65, completed=8, accepted=5)

    # 6. Suspended, with its reason.
    start, end = _plan(15, 30)
    board = services.project_create(
        actor=official,
        area=areas["990102002001"],
        title="新桥社区宣传栏翻新",
        scope="翻新社区宣传栏 6 处，增设防雨顶棚。",
        implementer=enterprise,
        budget_lines=[{"item": "宣传栏翻新", "amount": "8800"}],
        planned_start=start,
        planned_end=end,
    )
    services.project_start(actor=enterprise_rep, project=board)
    services.project_suspend(actor=official, project=board, reason="宣传栏位置与消防通道冲突，待重新选址。")
    _backdate(board, started=12)

    # 7. Cancelled.
    start, end = _plan(-20, 30)
    mural = services.project_create(
        actor=official,
        area=areas["990102002002"],
        title="桂园社区围墙彩绘",
        scope="沿街围墙彩绘 120 米。",
        implementer=ngo,
        budget_lines=[{"item": "彩绘", "amount": "15000"}],
        planned_start=start,
        planned_end=end,
    )
    services.project_cancel(actor=official, project=mural, reason="围墙将在区级道路拓宽中拆除，项目取消。")

    _notices(people, areas, park, notice)


def _notices(people, areas, park, noticed) -> None:
    """Notices of the park's award and payments and of the award under notice; the rest is left for the
    officials' list of decisions waiting to be published."""
    from civic.services import notice_publish

    from .models import LedgerEntry

    official = people["official"]
    district = areas["990102"]
    for award in park.awards.order_by("computed_at"):
        notice_publish(
            actor=official,
            area=district,
            kind="award",
            title=f"{park.title}：{STAGE_ZH[award.stage]}公示",
            body=f"拟{STAGE_ZH[award.stage]} {format_yuan(award.amount)}，公示期内如有异议请在项目页面提出。",
            source_key=f"award:{award.pk}",
            decided_at=award.computed_at,
        )
    for entry in LedgerEntry.objects.filter(project=park, kind__in=["advance", "settlement"]).order_by("id"):
        notice_publish(
            actor=official,
            area=district,
            kind="payment",
            title=f"{park.title}：拨付 {format_yuan(entry.amount)}",
            body=f"{CONDITION_ZH.get(entry.condition, '奖补结算')}拨付 {format_yuan(entry.amount)}，已拨付至实施单位。",
            source_key=f"payment:{entry.pk}",
            decided_at=entry.created_at,
        )
    notice_publish(
        actor=official,
        area=district,
        kind="award",
        title=f"{noticed.project.title}：预拨奖补公示",
        body=f"按核定预算 {format_yuan(noticed.base)} 的 30% 计，拟奖补 {format_yuan(noticed.amount)}。",
        source_key=f"award:{noticed.pk}",
        decided_at=noticed.computed_at,
    )
