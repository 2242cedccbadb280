"""Demo data that makes the five-governance scorecard (五治) of the demo city differ from area to area.

The earlier stages' demos give 东湖区 its records (mostly 湖滨街道). This stage adds, through the
services of every app, three more profiles:

- 西城区 answers quickly (a working day or two), nearly every proposal comes in online with many
  co-signatures, its two councils meet with a quorum and publish their minutes, a project is accepted
  with high satisfaction and its decisions are published as notices on time;
- 高新区 answers slowly (several proposals are past their deadline today), half the proposals are
  entered by staff for residents who phoned or came in, one session was not held for want of a quorum
  and another was never opened, no minutes, an objection answered late, notices published late or not
  at all, lower satisfaction, and an enterprise pays most of the co-funding;
- 新桥街道 of 东湖区 gets a few proposals of its own, answered at an ordinary pace, and a council that
  has not met, so the two subdistricts of 东湖区 differ too.

The services only know "now": recorded moments are moved back afterwards with `.update()` on the tables
that allow it (never on the append-only audit, session, ledger and notice tables). Decisions that are
published as notices on time are left at the moment they were taken, so every notice agrees with the
record it publishes.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from civic.demo import data
from civic.models import AreaRole, Organisation, ResidencyVerification
from civic.services import (
    area_role_grant,
    notice_publish,
    organisation_confirm,
    organisation_create,
    organisation_register,
    verification_approve,
    verification_request,
)
from civic.validators import credit_code_check_char
from civic.workdays import add_working_days, working_days_between
from deliberation import services as councils
from deliberation.models import Council, Session
from funding import services as funding
from funding.models import AwardObjection, MicroProject, SatisfactionRating, SubsidyAward, SubsidyPolicy
from proposals import services as proposals
from proposals.models import AnswerStatus, AreaPolicy, Category, Endorsement, OfficialAnswer, Proposal
from proposals.selectors import policy_for

User = get_user_model()

# (e-mail local part, display name, area code, role): staff of the two new districts (no password).
STAFF = [
    ("xc_official", "钱文华", "990103", "official"),
    ("xc_organiser", "孙海燕", "990103", "organiser"),
    ("gx_official", "邹建平", "990105", "official"),
    ("gx_organiser", "何静", "990105", "organiser"),
]
# (e-mail local part, display name): the representatives of the new organisations (no password).
REPRESENTATIVES = [
    ("xc_enterprise", "田野"),
    ("xc_ngo", "秦雪"),
    ("gx_enterprise", "邓凯"),
    ("gx_ngo", "蔡文博"),
]
# (e-mail local part, display name, grid cell code, address): verified residents (no password).
RESIDENTS = [
    ("xicheng01", "冯丽华", "990103001001001", "钟楼小区 2 栋 301"),
    ("xicheng02", "陈国栋", "990103001001002", "钟楼小区 6 栋 102"),
    ("xicheng03", "褚美玲", "990103001001003", "鼓楼巷 8 号 201"),
    ("xicheng04", "卫东升", "990103001002001", "文庙新村 3 栋 502"),
    ("xicheng05", "蒋秀兰", "990103001002002", "文庙新村 7 栋 401"),
    ("xicheng06", "沈立军", "990103001002003", "学宫街 15 号 102"),
    ("xicheng07", "韩晓梅", "990103002001001", "梧桐苑 1 栋 1 单元 601"),
    ("xicheng08", "杨志强", "990103002001002", "梧桐苑 4 栋 2 单元 302"),
    ("xicheng09", "朱丽娟", "990103002001003", "梧桐里 22 号 101"),
    ("gaoxin01", "袁志远", "990105001001001", "科创公寓 A 座 1203"),
    ("gaoxin02", "潘晓琳", "990105001001002", "科创公寓 B 座 806"),
    ("gaoxin03", "鲁浩", "990105001001003", "创新路 18 号 3 栋 502"),
    ("gaoxin04", "汤玉芬", "990105001001001", "科创公寓 A 座 602"),
    ("gaoxin05", "邵建军", "990105001002001", "云谷小区 2 栋 1 单元 401"),
    ("gaoxin06", "殷红", "990105001002002", "云谷小区 5 栋 2 单元 201"),
    ("gaoxin07", "金鑫", "990105001002003", "云谷花园 9 栋 1102"),
    ("gaoxin08", "魏丹", "990105001002001", "云谷小区 8 栋 301"),
    ("gaoxin09", "薛长青", "990105001001002", "科创公寓 C 座 1501"),
    ("gaoxin10", "雷婷", "990105001002002", "云谷花园 3 栋 702"),
    ("donghu01", "曹建华", "990102002001001", "新桥小区 4 栋 201"),
    ("donghu02", "许桂芳", "990102002001002", "新桥小区 9 栋 502"),
    ("donghu03", "彭宇", "990102002002001", "桂园 6 栋 1 单元 301"),
]
# Everyone this stage adds, for counting.
PEOPLE = [
    *((local, name) for local, name, _area, _role in STAFF),
    *REPRESENTATIVES,
    *((local, name) for local, name, _cell, _address in RESIDENTS),
]

# (first 17 characters of the credit code, name, kind, description, representative, area served)
ORGANISATIONS = [
    (
        "91990103MA1WT0K3X",
        "西城梧桐物业服务有限公司",
        "enterprise",
        "梧桐街道几个小区的物业服务企业，承接充电棚、照明等小型改造。",
        "xc_enterprise",
        "990103",
    ),
    (
        "52990103MJ2LL0N6Q",
        "西城区乐龄互助服务社",
        "social",
        "为古楼街道的老人提供助餐、探访和陪诊服务的社会服务机构。",
        "xc_ngo",
        "990103",
    ),
    (
        "91990105MA3YG7K2P",
        "云谷科技园运营管理有限公司",
        "enterprise",
        "云谷科技园的运营企业，和周边社区共建停车、通勤等设施。",
        "gx_enterprise",
        "990105",
    ),
    (
        "51990105MJ4QN8R1T",
        "高新区青年志愿者协会",
        "social",
        "高新区青年志愿者组成的社会团体，组织社区服务和环境整治志愿活动。",
        "gx_ngo",
        "990105",
    ),
]
RESIDENTS_GROUP = (
    "钟楼小区居民自治小组",
    "钟楼小区居民推选的自治小组，负责楼道、助餐点等微项目的意见收集和监督。",
    "xicheng01",
    "990103001001",
)

CHECKLIST_GOOD = [("工程质量", "29", "30"), ("与方案一致", "19", "20"), ("资料和票据", "14", "15")]
CHECKLIST_FAIR = [("工程质量", "23", "30"), ("与方案一致", "16", "20"), ("资料和票据", "11", "15")]


# --- time ----------------------------------------------------------------------------------------------


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """That day at that hour in the site's time zone, but never later than a few minutes ago."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())
    return min(moment, timezone.now() - timedelta(minutes=5))


def _ago(days: int, hour: int = 10) -> datetime:
    return _at(_day(days), hour)


# --- people and organisations -----------------------------------------------------------------------


def _user(local: str, name: str):
    email = f"{local}@{data.DOMAIN}"
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=None, display_name=name
    )


def _people(people: dict, areas: dict) -> dict:
    admin = people["admin"]
    who = dict(people)
    for local, name, code, role in STAFF:
        who[local] = user = _user(local, name)
        if not AreaRole.objects.filter(user=user, area=areas[code], role=role).exists():
            area_role_grant(actor=admin, user=user, area=areas[code], role=role)
    for local, name in REPRESENTATIVES:
        who[local] = _user(local, name)
    deciders = {"990103": who["xc_organiser"], "990105": who["gx_organiser"], "990102": who["official"]}
    for local, name, cell, address in RESIDENTS:
        who[local] = user = _user(local, name)
        if not ResidencyVerification.objects.filter(user=user).exists():
            verification = verification_request(user=user, cell=areas[cell], address=address)
            verification_approve(verification=verification, actor=deciders[cell[:6]])
    return who


def _organisations(who: dict, areas: dict) -> dict:
    found = {}
    officials = {"990103": who["xc_official"], "990105": who["gx_official"]}
    for first17, name, kind, description, representative, code in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = organisation_create(
                name=name,
                kind=kind,
                credit_code=first17 + credit_code_check_char(first17),
                description=description,
                areas=[areas[code]],
                representative=who[representative],
            )
            organisation = organisation_confirm(actor=officials[code], organisation=organisation)
        found[representative] = organisation
    name, description, representative, code = RESIDENTS_GROUP
    group = Organisation.objects.filter(name=name).first()
    if group is None:
        group = organisation_register(
            actor=who[representative], name=name, kind="residents_group", description=description, areas=[areas[code]]
        )
        group = organisation_confirm(actor=who["xc_official"], organisation=group)
    found["group"] = group
    return found


def _rules(who: dict, areas: dict) -> None:
    """Proposal rules and subsidy policies of the new districts (and of 新桥街道)."""
    for actor, code, threshold, days, answer_days in (
        (who["xc_official"], "990103", 3, 30, 5),
        (who["gx_official"], "990105", 5, 60, 10),
        (who["official"], "990102002", 3, 60, 10),
    ):
        if not AreaPolicy.objects.filter(area=areas[code]).exists():
            proposals.area_policy_set(
                actor=actor,
                area=areas[code],
                endorsement_threshold=threshold,
                collection_days=days,
                response_working_days=answer_days,
            )
    policies = {
        "990103": (
            who["xc_official"],
            {
                "share": Decimal("0.35"),
                "cap_per_project": Decimal("120000"),
                "cap_per_area_year": Decimal("400000"),
                "min_self_funded_share": Decimal("0.05"),
                "min_acceptance_score": Decimal("80"),
                "min_satisfaction_rate": Decimal("0.80"),
                "rating_days": 7,
                "notice_days": 5,
                "objection_days": 5,
                "advance_start": Decimal("0.30"),
                "advance_completion": Decimal("0.70"),
                "note": "西城区社区微项目：居民评议 7 天，公示 5 天，决定在 5 个工作日内公告。",
            },
        ),
        "990105": (
            who["gx_official"],
            {
                "share": Decimal("0.25"),
                "cap_per_project": Decimal("80000"),
                "cap_per_area_year": Decimal("300000"),
                "min_acceptance_score": Decimal("75"),
                "min_satisfaction_rate": Decimal("0.60"),
                "rating_days": 15,
                "advance_start": Decimal("0.30"),
                "advance_completion": Decimal("0.60"),
                "note": "高新区园区与社区共建微项目：鼓励企业出资，开工和完工两次预拨。",
            },
        ),
    }
    for code, (actor, figures) in policies.items():
        if not SubsidyPolicy.objects.filter(area=areas[code]).exists():
            policy = funding.policy_publish(actor=actor, area=areas[code], data=figures)
            # in force for a while already, so that the awards computed "in the past" below find it
            SubsidyPolicy.objects.filter(pk=policy.pk).update(effective_from=timezone.now() - timedelta(days=300))


# --- proposals ----------------------------------------------------------------------------------------


def _categories() -> dict:
    return {c.name: c for c in Category.objects.all()}


def _propose(author, title, body, category, area, *, days_ago, endorsers=(), **kw) -> Proposal:
    """Create, publish and co-sign a proposal, then move its publication `days_ago` days back."""
    proposal = proposals.proposal_create(author=author, title=title, body=body, category=category, area=area, **kw)
    proposal = proposals.proposal_publish(actor=author, proposal=proposal)
    for person in endorsers:
        proposal = proposals.proposal_endorse(user=person, proposal=proposal)
    rules = policy_for(area)
    published = _at(_day(days_ago), 9, 30)
    last = published
    for i, pk in enumerate(Endorsement.objects.filter(proposal=proposal).order_by("id").values_list("pk", flat=True)):
        last = min(published + timedelta(hours=4 * (i + 1)), timezone.now() - timedelta(minutes=10))
        Endorsement.objects.filter(pk=pk).update(created_at=last)
    fields = {
        "published_at": published,
        "collection_deadline": published + timedelta(days=rules.collection_days),
        "response_due": add_working_days(_day(days_ago), rules.response_working_days),
    }
    if proposal.qualified_at:
        fields["qualified_at"] = last
    Proposal.objects.filter(pk=proposal.pk).update(**fields)
    return Proposal.objects.get(pk=proposal.pk)


def _answer(official, proposal, status, reason, *, after: int) -> OfficialAnswer:
    """An official answer `after` working days after publication (today at the latest)."""
    answer = proposals.proposal_answer(official=official, proposal=proposal, status=status, reason=reason)
    published = timezone.localdate(proposal.published_at)
    day = min(add_working_days(published, after), timezone.localdate())
    moment = max(_at(day, 16), proposal.published_at + timedelta(hours=2))
    moment = min(moment, timezone.now() - timedelta(minutes=5))
    OfficialAnswer.objects.filter(pk=answer.pk).update(
        created_at=moment,
        working_days_taken=working_days_between(published, day),
        on_time=day <= proposal.response_due,
    )
    fields = {"first_answered_at": moment}
    if status == AnswerStatus.DECLINED:
        fields["closed_at"] = moment
    Proposal.objects.filter(pk=proposal.pk).update(**fields)
    return OfficialAnswer.objects.get(pk=answer.pk)


def _notice_answer(official, area, answer) -> None:
    notice_publish(
        actor=official,
        area=area,
        kind="answer",
        title=f"关于“{answer.proposal.title}”的答复",
        body=f"答复意见：{answer.reason}",
        source_key=f"answer:{answer.pk}",
        decided_at=answer.created_at,
    )


# --- councils -------------------------------------------------------------------------------------------


def _council(chair, area, name, members, organisation_seats=()) -> Council:
    council = councils.council_create(actor=chair, area=area, name=name)
    for person in members:
        councils.council_member_add(actor=chair, council=council, user=person)
    for person, organisation in organisation_seats:
        councils.council_member_add(actor=chair, council=council, user=person, organisation=organisation)
    return council


def _schedule(chair, council, title, *, days_ago, items, place) -> Session:
    return councils.session_schedule(
        actor=chair, council=council, title=title, starts_at=_ago(days_ago, 19), place=place, items=items
    )


def _speaker(session):
    def say(user, command, **args):
        councils.session_command(user=user, session=session, command={"type": command, **args})

    return say


def _motion(say, chair, mover, seconder, text, votes, *, speakers=(), point=None) -> None:
    """A main motion on the current item: moved, seconded, debated, perhaps a point of order, voted."""
    say(mover, "make_motion", kind="main", text=text)
    say(seconder, "second")
    if point is not None:
        member, note, upheld = point
        say(member, "point_of_order", text=note)
        say(chair, "grant_floor")
        say(chair, "rule_on_point", upheld=upheld)
    for person, side in speakers:
        say(person, "request_floor", side=side)
        say(chair, "grant_floor")
        say(person, "yield_floor")
    say(chair, "open_vote")
    for person, choice in votes:
        say(person, "cast_vote", choice=choice)
    say(chair, "close_vote")
    say(chair, "announce")


# --- projects --------------------------------------------------------------------------------------------


def _rate(project, ratings, *, accepted_days_ago: int) -> None:
    for person, level in ratings:
        funding.rating_submit(user=person, project=project, level=level, comment="" if level >= 3 else "效果一般")
    accepted = _ago(accepted_days_ago, 11)
    MicroProject.objects.filter(pk=project.pk).update(accepted_at=accepted)
    for i, pk in enumerate(
        SatisfactionRating.objects.filter(project=project).order_by("id").values_list("pk", flat=True)
    ):
        SatisfactionRating.objects.filter(pk=pk).update(created_at=accepted + timedelta(hours=6 * (i + 1)))


def _story_dates(project, *, started: int, completed: int) -> None:
    MicroProject.objects.filter(pk=project.pk).update(
        created_at=_ago(started + 3, 15), started_at=_ago(started, 9), completed_at=_ago(completed, 17)
    )


# --- 西城区: quick, online, by the rules, trusted ---------------------------------------------------------


def _xicheng(who, orgs, areas, cats) -> None:
    official, organiser = who["xc_official"], who["xc_organiser"]
    r = [who[f"xicheng{i:02d}"] for i in range(1, 10)]
    district, gulou, wutong = areas["990103"], areas["990103001"], areas["990103002"]
    ngo, enterprise, group = orgs["xc_ngo"], orgs["xc_enterprise"], orgs["group"]

    canteen = _propose(
        r[0],
        "钟楼社区增设老年助餐点",
        "钟楼、文庙两个社区 70 岁以上独居老人有 200 多位，附近没有助餐点。建议利用社区用房改建一个助餐点，"
        "由社会组织运营，政府补贴一部分。",
        cats["适老化改造"],
        gulou,
        days_ago=52,
        endorsers=[r[1], r[2], r[3]],
        location="钟楼社区服务站一楼",
        estimated_cost="36000",
    )
    proposals.cosponsor_join(
        user=who["xc_ngo"],
        proposal=canteen,
        organisation=ngo,
        pledge_kind="money",
        pledge_amount=Decimal("6000"),
        pledge_description="机构自筹的助餐设备资金",
    )
    passage = _propose(
        r[3],
        "文庙新村楼道堆物清理，打通消防通道",
        "文庙新村 3、7 栋楼道堆满旧家具和纸箱，消防通道被占。建议组织一次集中清理并建立巡查制度。",
        cats["老旧小区改造"],
        gulou,
        days_ago=46,
        endorsers=[r[4], r[5], r[0]],
        location="文庙新村 3 栋、7 栋",
    )
    proposals.cosponsor_join(
        user=r[0],
        proposal=passage,
        organisation=group,
        pledge_kind="in_kind",
        pledge_description="自治小组组织清理志愿者",
    )
    shed = _propose(
        r[6],
        "梧桐苑增设非机动车充电棚",
        "梧桐苑电动自行车在楼道里充电，存在火灾隐患。建议在 2 号楼和 4 号楼之间建一个带充电桩的车棚。",
        cats["停车管理"],
        wutong,
        days_ago=28,
        endorsers=[r[7], r[8], r[6]],
        location="梧桐苑 2 号楼和 4 号楼之间",
        estimated_cost="30000",
    )
    proposals.cosponsor_join(
        user=who["xc_enterprise"],
        proposal=shed,
        organisation=enterprise,
        pledge_kind="money",
        pledge_amount=Decimal("5000"),
        pledge_description="物业承担充电桩安装费用",
    )

    # Two councils, both meeting with a quorum, every decision minuted.
    gulou_council = _council(organiser, gulou, "古楼街道居民议事会", r[:6], organisation_seats=[(who["xc_ngo"], ngo)])
    first = _schedule(
        organiser,
        gulou_council,
        "古楼街道议事会 10 月会议",
        days_ago=40,
        items=[("钟楼社区增设老年助餐点", canteen, 40), ("文庙新村楼道堆物清理", passage, 30)],
        place="古楼街道党群服务中心",
    )
    say = _speaker(first)
    for person in (organiser, *r[:5], who["xc_ngo"]):
        say(person, "check_in")
    say(organiser, "open_session")
    _motion(
        say,
        organiser,
        r[0],
        r[1],
        "同意在钟楼社区服务站改建老年助餐点，由乐龄互助服务社运营，申请街道微项目奖补",
        [(r[0], "yes"), (r[1], "yes"), (r[2], "yes"), (r[3], "yes"), (r[4], "abstain"), (who["xc_ngo"], "yes")],
        speakers=[(r[2], "for"), (r[4], "against")],
        point=(r[3], "发言超过了规定时间，请主持人提醒。", True),
    )
    say(organiser, "next_item")
    _motion(
        say,
        organiser,
        r[3],
        r[4],
        "同意由自治小组牵头集中清理文庙新村楼道堆物，社区每月巡查一次",
        [(r[0], "yes"), (r[1], "yes"), (r[2], "yes"), (r[3], "yes"), (r[4], "yes"), (who["xc_ngo"], "yes")],
        speakers=[(r[1], "for")],
    )
    say(organiser, "close_session")
    councils.minutes_publish(
        actor=organiser,
        session=first,
        summary="会议通过在钟楼社区改建老年助餐点的方案，并决定集中清理文庙新村楼道堆物、每月巡查。",
    )

    wutong_council = _council(organiser, wutong, "梧桐街道居民议事会", r[6:9])
    second = _schedule(
        organiser,
        wutong_council,
        "梧桐街道议事会 11 月会议",
        days_ago=14,
        items=[("梧桐苑增设非机动车充电棚", shed, 30)],
        place="梧桐社区居委会会议室",
    )
    say = _speaker(second)
    for person in (organiser, *r[6:9]):
        say(person, "check_in")
    say(organiser, "open_session")
    _motion(
        say,
        organiser,
        r[6],
        r[7],
        "同意在梧桐苑 2 号楼和 4 号楼之间建设充电车棚，物业出资安装充电桩",
        [(r[6], "yes"), (r[7], "yes"), (r[8], "no")],
        speakers=[(r[8], "against"), (r[7], "for")],
        point=(r[8], "表决前应先说明车棚的消防间距。", False),
    )
    say(organiser, "close_session")
    councils.minutes_publish(
        actor=organiser, session=second, summary="会议以 2 票赞成、1 票反对通过梧桐苑充电车棚方案。"
    )

    # The canteen: built, accepted and rated highly; its settlement is under notice, published at once.
    canteen = Proposal.objects.get(pk=canteen.pk)
    start = _day(36)
    kitchen = funding.project_create(
        actor=official,
        proposal=canteen,
        title="钟楼社区老年助餐点",
        scope="改建社区服务站一楼 60 平方米为助餐点：厨房设备、餐桌椅、无障碍通道和消防设施。",
        location="钟楼社区服务站一楼",
        implementer=ngo,
        budget_lines=[
            {"item": "厨房设备", "amount": "18000"},
            {"item": "餐桌椅", "amount": "6000"},
            {"item": "无障碍通道和消防设施", "amount": "12000"},
        ],
        planned_start=start,
        planned_end=start + timedelta(days=25),
    )
    funding.commitment_add(
        actor=official, project=kitchen, source="residents", funder="钟楼、文庙社区居民", amount="3000"
    )
    funding.project_start(actor=who["xc_ngo"], project=kitchen)
    funding.project_report_completion(
        actor=who["xc_ngo"], project=kitchen, report="助餐点改建完成，已通过消防检查，每天供应午餐 80 份。"
    )
    funding.inspection_record(
        actor=official,
        project=kitchen,
        result="accepted",
        verified_cost="35200",
        checklist=[{"item": i, "score": s, "max": m} for i, s, m in CHECKLIST_GOOD],
        invoices="设备和施工发票 4 张，合计 35,200.00 元",
        remarks="设施齐全，老人反映良好。",
    )
    _rate(kitchen, [(r[0], 5), (r[1], 5), (r[2], 4), (r[3], 5), (r[4], 4), (r[5], 5)], accepted_days_ago=10)
    _story_dates(kitchen, started=34, completed=12)
    settlement = funding.award_compute(
        actor=official, project=MicroProject.objects.get(pk=kitchen.pk), stage="settlement"
    )
    notice_publish(
        actor=official,
        area=district,
        kind="award",
        title=f"{kitchen.title}：奖补结算公示",
        body=f"按核定造价的 35% 计，拟结算奖补 ¥{settlement.amount:,.2f}。",
        source_key=f"award:{settlement.pk}",
        decided_at=settlement.computed_at,
    )

    # The charging shed: planned, its provisional award under notice; an objection answered the same day.
    shed = Proposal.objects.get(pk=shed.pk)
    start = _day(-7)
    shelter = funding.project_create(
        actor=official,
        proposal=shed,
        title="梧桐苑非机动车充电车棚",
        scope="建设 40 个车位的充电车棚，安装智能充电桩 20 个和烟感报警。",
        location="梧桐苑 2 号楼和 4 号楼之间",
        implementer=enterprise,
        budget_lines=[{"item": "钢结构车棚", "amount": "18000"}, {"item": "充电桩和烟感", "amount": "12000"}],
        planned_start=start,
        planned_end=start + timedelta(days=30),
    )
    funding.commitment_add(actor=official, project=shelter, source="residents", funder="梧桐苑业主", amount="4000")
    provisional = funding.award_compute(actor=official, project=shelter, stage="provisional")
    objection = funding.objection_file(user=r[8], award=provisional, text="车棚离 4 号楼太近，请核实消防间距后再定。")
    funding.objection_answer(
        actor=official,
        objection=objection,
        upheld=False,
        answer="经消防部门现场核实，车棚与 4 号楼间距 8 米，符合规范，维持原奖补方案。",
    )
    notice_publish(
        actor=official,
        area=district,
        kind="award",
        title=f"{shelter.title}：预拨奖补公示",
        body=f"按核定预算 ¥{provisional.base:,.2f} 的 35% 计，拟预拨奖补 ¥{provisional.amount:,.2f}。",
        source_key=f"award:{provisional.pk}",
        decided_at=provisional.computed_at,
    )
    for session in (first, second):
        notice_publish(
            actor=official,
            area=district,
            kind="session",
            title=f"{session.title}决定事项公告",
            body="会议决定事项见会议纪要。",
            source_key=f"session:{session.pk}",
            decided_at=timezone.now(),
        )

    # Everyday proposals: online, answered within a working day or two, each answer published at once.
    visits = _propose(
        who["xc_ngo"],
        "古楼街道独居老人定期探访",
        "建议由社工和志愿者每周探访一次独居老人，建立探访台账，发现问题及时转介。",
        cats["关键小事"],
        gulou,
        days_ago=6,
        endorsers=[r[0], r[1], r[2]],
        organisation=ngo,
    )
    lamps = _propose(
        r[4],
        "文庙社区健身路径照明不足",
        "健身路径晚上只有一盏灯，散步的老人容易摔倒，建议增设两盏庭院灯。",
        cats["照明品质提升"],
        areas["990103001002"],
        days_ago=5,
        endorsers=[r[3], r[5]],
    )
    cover = _propose(
        r[8],
        "梧桐里雨水井盖松动",
        "梧桐里 22 号门口的雨水井盖松动，车辆经过时响声很大，晚上影响休息。",
        cats["关键小事"],
        areas["990103002001"],
        days_ago=4,
        endorsers=[r[6], r[7]],
    )
    kiosk = _propose(
        r[1],
        "钟楼小区垃圾分类亭异味处理",
        "小区东门的垃圾分类亭夏天异味很重，建议增加清洗频次并加装除臭设备。",
        cats["垃圾分类"],
        areas["990103001001"],
        days_ago=3,
        endorsers=[r[0], r[2]],
    )
    steps = _propose(
        organiser,
        "梧桐苑门口人行道台阶过高",
        "居民来社区反映：梧桐苑门口人行道台阶有 25 厘米高，推婴儿车和轮椅很不方便，建议改成缓坡。",
        cats["适老化改造"],
        areas["990103002001"],
        days_ago=3,
        channel="in_person",
        on_behalf_of="王大爷（梧桐苑 2 栋）",
    )
    karaoke = _propose(
        r[5],
        "文庙社区增设露天卡拉 OK 场地",
        "希望在学宫街小广场设置露天卡拉 OK 设备，丰富老人晚间生活。",
        cats["关键小事"],
        areas["990103001002"],
        days_ago=24,
    )
    _propose(
        r[2],
        "鼓楼巷路灯间距过大",
        "鼓楼巷 8 号到 20 号之间路灯间距有 40 多米，中间一段很暗，建议加密。",
        cats["照明品质提升"],
        areas["990103001001"],
        days_ago=1,
        endorsers=[r[0]],
    )
    for proposal, status, reason, after in (
        (visits, AnswerStatus.ACCEPTED, "同意纳入古楼街道 12 月议事会议题，请乐龄互助服务社准备探访方案。", 1),
        (lamps, AnswerStatus.PLANNED, "已列入街道照明补点计划，本月底前安装两盏庭院灯。", 1),
        (cover, AnswerStatus.PLANNED, "已通知市政养护单位，三个工作日内更换防响井盖。", 1),
        (kiosk, AnswerStatus.ACCEPTED, "已要求环卫作业单位每天清洗两次，并试装除臭喷淋。", 0),
        (steps, AnswerStatus.MORE_INFO, "请补充台阶的具体位置和照片，社区将会同市政部门现场查看。", 2),
    ):
        _notice_answer(official, district, _answer(official, proposal, status, reason, after=after))
    # one older answer whose notice was never published (the district is good, not perfect)
    _answer(official, karaoke, AnswerStatus.DECLINED, "学宫街小广场紧邻居民楼，夜间噪声会影响休息，暂不设置。", after=2)


# --- 高新区: slow, entered by staff, short of quorum, late ------------------------------------------------


def _gaoxin(who, orgs, areas, cats) -> None:
    official, organiser = who["gx_official"], who["gx_organiser"]
    r = [who[f"gaoxin{i:02d}"] for i in range(1, 11)]
    district, chuangye = areas["990105"], areas["990105001"]
    kechuang, yungu = areas["990105001001"], areas["990105001002"]
    enterprise, ngo = orgs["gx_enterprise"], orgs["gx_ngo"]

    def phoned(title, body, area, days_ago, resident, channel="phone"):
        return _propose(
            organiser, title, body, cats["关键小事"], area, days_ago=days_ago, channel=channel, on_behalf_of=resident
        )

    shelter = phoned(
        "科创社区公交站台缺少遮雨棚",
        "居民电话反映：科创路公交站没有遮雨棚，雨天等车全身湿透。",
        kechuang,
        45,
        "袁先生（科创公寓 A 座）",
    )
    market = phoned(
        "云谷社区菜市场周边占道经营",
        "居民来社区反映：菜市场门口流动摊贩占道经营，早晚高峰堵塞通行。",
        yungu,
        40,
        "殷女士（云谷小区 5 栋）",
        channel="in_person",
    )
    garage = _propose(
        r[0],
        "科创公寓地下车库照明不足",
        "地下车库 B2 层一半的灯不亮，晚上取车很不安全，建议全部更换为感应灯。",
        cats["照明品质提升"],
        kechuang,
        days_ago=35,
        endorsers=[r[1], r[3]],
    )
    parking = _propose(
        who["gx_enterprise"],
        "云谷园区与社区共建共享停车场",
        "园区夜间车位空置 300 多个，社区夜间停车难。建议改造园区北侧停车场，晚上向居民开放，企业承担大部分费用。",
        cats["停车管理"],
        chuangye,
        days_ago=50,
        endorsers=[r[0], r[1], r[2], r[3], r[4]],
        organisation=enterprise,
        location="云谷科技园北侧停车场",
        estimated_cost="80000",
    )
    proposals.cosponsor_join(
        user=who["gx_enterprise"],
        proposal=parking,
        organisation=enterprise,
        pledge_kind="money",
        pledge_amount=Decimal("48000"),
        pledge_description="园区出资改造道闸和划线",
    )
    lift = _propose(
        r[5],
        "云谷小区电梯维保不及时",
        "5 栋电梯一个月内困人两次，维保单位响应慢。建议更换维保单位并公开维保记录。",
        cats["老旧小区改造"],
        chuangye,
        days_ago=48,
        endorsers=[r[4], r[5], r[0], r[1], r[2]],
    )
    _propose(
        who["gx_ngo"],
        "云谷社区垃圾清运不及时",
        "云谷小区垃圾站周末经常满溢，建议周末增加一次清运，协会可以组织志愿者在周末引导分类。",
        cats["垃圾分类"],
        yungu,
        days_ago=28,
        endorsers=[r[4], r[5]],
        organisation=ngo,
    )
    # these two wait for an answer past their deadline today
    phoned(
        "云谷社区老年人办理社保不便",
        "居民电话反映：社保认证要去区政务中心，老人往返不便，希望在社区设代办点。",
        yungu,
        30,
        "金大妈（云谷花园 9 栋）",
    )
    phoned(
        "科创社区篮球场夜间照明",
        "居民来社区反映：篮球场晚上没有灯，年轻人下班后没法打球。",
        kechuang,
        25,
        "鲁先生（创新路 18 号）",
        channel="in_person",
    )
    lockers = _propose(
        r[2],
        "科创社区增设快递驿站",
        "科创公寓快递都堆在大堂地上，经常丢件，建议设一个快递驿站。",
        cats["关键小事"],
        kechuang,
        days_ago=20,
    )
    phoned(
        "创业街道路口红绿灯时长",
        "居民电话反映：创业大道与云谷路口行人绿灯只有 15 秒，老人过不完马路。",
        chuangye,
        6,
        "魏女士（云谷小区 8 栋）",
    )
    # Slow answers: two weeks and more, most past the ten working days.
    answers = [
        _answer(official, proposal, status, reason, after=after)
        for proposal, status, reason, after in (
            (shelter, AnswerStatus.PLANNED, "已转交区交通运输局，列入明年公交站台改造计划。", 18),
            (market, AnswerStatus.ACCEPTED, "已会同城管中队设置临时疏导点，下一步研究规范经营区域。", 14),
            (garage, AnswerStatus.ACCEPTED, "已督促物业更换 B2 层照明。", 9),
            (lockers, AnswerStatus.DECLINED, "快递驿站属于经营性设施，建议由物业与快递企业协商设置。", 12),
        )
    ]
    # One answer published weeks after it was given, two never, the recent one on time.
    _notice_answer(official, district, answers[0])
    _notice_answer(official, district, answers[3])

    # The council: one session without a quorum, one held (no minutes yet), one never opened.
    council = _council(
        organiser, chuangye, "创业街道居民议事会", r[:6], organisation_seats=[(who["gx_enterprise"], enterprise)]
    )
    failed = _schedule(
        organiser,
        council,
        "创业街道议事会 10 月会议",
        days_ago=30,
        items=[("云谷小区电梯维保", lift, 40)],
        place="创业街道便民服务中心",
    )
    say = _speaker(failed)
    for person in (organiser, r[0], r[5]):
        say(person, "check_in")
    say(organiser, "record_not_held")
    held = _schedule(
        organiser,
        council,
        "创业街道议事会 11 月会议",
        days_ago=20,
        items=[("云谷园区与社区共建共享停车场", parking, 40)],
        place="创业街道便民服务中心",
    )
    say = _speaker(held)
    for person in (organiser, r[0], r[1], r[2], r[3], who["gx_enterprise"]):
        say(person, "check_in")
    say(organiser, "open_session")
    _motion(
        say,
        organiser,
        who["gx_enterprise"],
        r[0],
        "同意改造园区北侧停车场并在 19:00—次日 8:00 向居民开放，园区出资六成",
        [(r[0], "yes"), (r[1], "yes"), (r[2], "no"), (r[3], "abstain"), (who["gx_enterprise"], "yes")],
        speakers=[(r[2], "against")],
        point=(r[2], "企业代表是利益相关方，应当回避表决。", False),
    )
    say(organiser, "close_session")
    _schedule(
        organiser,
        council,
        "创业街道议事会临时会议",
        days_ago=8,
        items=[("议事规则修订", None, 30)],
        place="创业街道便民服务中心",
    )

    # The shared car park: an enterprise pays most of it; the objection to its award answered late,
    # the award's notice published long after the decision; accepted, residents not very satisfied.
    parking = Proposal.objects.get(pk=parking.pk)
    start = _day(17)
    car_park = funding.project_create(
        actor=official,
        proposal=parking,
        title="云谷园区共享停车场改造",
        scope="园区北侧停车场重新划线 320 个车位，加装智能道闸和夜间照明，19:00—次日 8:00 向居民开放。",
        location="云谷科技园北侧停车场",
        implementer=enterprise,
        budget_lines=[
            {"item": "划线和标识", "amount": "22000"},
            {"item": "智能道闸 2 套", "amount": "38000"},
            {"item": "夜间照明", "amount": "20000"},
        ],
        planned_start=start,
        planned_end=start + timedelta(days=20),
    )
    funding.commitment_add(actor=official, project=car_park, source="residents", funder="云谷社区居民", amount="2000")
    award = funding.award_compute(actor=official, project=car_park, stage="provisional")
    objection = funding.objection_file(
        user=r[2], award=award, text="企业出资的 48,000 元是否已经到位？请公开到账凭证。"
    )
    computed = _ago(19, 10)
    SubsidyAward.objects.filter(pk=award.pk).update(
        computed_at=computed, notice_until=computed + timedelta(days=7), objections_until=computed + timedelta(days=7)
    )
    AwardObjection.objects.filter(pk=objection.pk).update(
        created_at=computed + timedelta(days=2), answer_due=add_working_days(_day(17), 5)
    )
    funding.objection_answer(
        actor=official,
        objection=objection,
        upheld=False,
        answer="企业出资已签订协议，首笔款项到账后在项目页面公开凭证。维持奖补方案。",
    )
    award = funding.award_approve(actor=official, award=award)
    notice_publish(
        actor=official,
        area=district,
        kind="award",
        title=f"{car_park.title}：预拨奖补公示",
        body=f"按核定预算 ¥{award.base:,.2f} 的 25% 计，预拨奖补 ¥{award.amount:,.2f}。",
        source_key=f"award:{award.pk}",
        decided_at=award.computed_at,
    )
    funding.project_start(actor=who["gx_enterprise"], project=car_park)
    funding.advance_pay(actor=official, award=award, condition="start")
    funding.project_report_completion(
        actor=who["gx_enterprise"], project=car_park, report="划线、道闸和照明全部完成，夜间开放已试运行一周。"
    )
    funding.inspection_record(
        actor=official,
        project=car_park,
        result="accepted",
        verified_cost="79000",
        checklist=[{"item": i, "score": s, "max": m} for i, s, m in CHECKLIST_FAIR],
        remarks="道闸识别率偏低，夜间照明个别灯具未调试到位（限期整改）。",
    )
    _rate(car_park, [(r[0], 4), (r[1], 3), (r[2], 2), (r[3], 2), (r[4], 3), (r[5], 1)], accepted_days_ago=3)
    _story_dates(car_park, started=15, completed=5)


# --- 东湖区 新桥街道: its own proposals and a council that has not met --------------------------------------


def _xinqiao(who, areas, cats) -> None:
    official = who["official"]
    d = [who["donghu01"], who["donghu02"], who["donghu03"]]
    xinqiao = areas["990102002"]
    bikes = _propose(
        d[0],
        "新桥社区菜场门口非机动车乱停",
        "菜场门口电动车停得满满当当，行人只能走机动车道。建议划定非机动车停放区。",
        cats["停车管理"],
        areas["990102002001"],
        days_ago=20,
        endorsers=[d[1]],
    )
    aircon = _propose(
        official,
        "桂园社区老年活动室空调维修",
        "居民来社区反映：老年活动室两台空调都坏了，冬天没法开展活动。",
        cats["适老化改造"],
        areas["990102002002"],
        days_ago=12,
        channel="in_person",
        on_behalf_of="彭阿姨（桂园 2 栋）",
    )
    _propose(
        d[2],
        "新桥街道沿河步道护栏破损",
        "沿河步道有三段护栏松动破损，孩子在旁边玩耍很危险。",
        cats["关键小事"],
        xinqiao,
        days_ago=9,
        endorsers=[d[0], d[1]],
    )
    _answer(official, bikes, AnswerStatus.ACCEPTED, "已请新桥社区会同城管划定停放区，下月实施。", after=6)
    _answer(official, aircon, AnswerStatus.PLANNED, "已安排维修单位本周上门检修。", after=4)
    council = _council(official, xinqiao, "新桥街道居民议事会", d)
    _schedule(
        official,
        council,
        "新桥街道议事会 11 月会议",
        days_ago=15,
        items=[("沿河步道护栏修复方案", None, 30)],
        place="新桥街道社区服务中心",
    )

    # A small project of 新桥街道, accepted, its residents only fairly satisfied.
    enterprise = Organisation.objects.get(name=data.ORGANISATIONS[0][1])
    start = _day(40)
    repair = funding.project_create(
        actor=official,
        area=areas["990102002001"],
        title="新桥小区楼道照明和扶手修缮",
        scope="更换 4 栋、9 栋楼道灯 36 盏，修补松动扶手 12 处。",
        location="新桥小区 4 栋、9 栋",
        implementer=enterprise,
        budget_lines=[{"item": "楼道灯具", "amount": "5400"}, {"item": "扶手修补", "amount": "3200"}],
        planned_start=start,
        planned_end=start + timedelta(days=21),
    )
    funding.project_start(actor=who["enterprise"], project=repair)
    funding.project_report_completion(actor=who["enterprise"], project=repair, report="灯具全部更换，扶手已加固。")
    funding.inspection_record(
        actor=official,
        project=repair,
        result="accepted",
        verified_cost="8450",
        checklist=[{"item": i, "score": s, "max": m} for i, s, m in CHECKLIST_FAIR],
        remarks="9 栋三楼扶手焊点粗糙，已要求打磨。",
    )
    _rate(repair, [(d[0], 4), (d[1], 2)], accepted_days_ago=12)
    _story_dates(repair, started=38, completed=15)


def seed(people: dict, areas: dict) -> None:
    if Proposal.objects.filter(area_path__startswith=areas["990105"].path).exists():
        return
    who = _people(people, areas)
    orgs = _organisations(who, areas)
    _rules(who, areas)
    cats = _categories()
    _xicheng(who, orgs, areas, cats)
    _gaoxin(who, orgs, areas, cats)
    _xinqiao(who, areas, cats)
