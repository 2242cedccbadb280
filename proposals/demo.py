"""Demo proposals in every state, with co-signatures, co-sponsors, comments and answers."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from civic.models import Organisation

from . import services
from .models import AreaPolicy, Category, Proposal

CATEGORIES = [
    ("老旧小区改造", "Old-estate renewal", "楼道、管网、外墙、加装电梯等老旧小区的更新改造"),
    ("背街小巷整治", "Back-street clean-up", "背街小巷的路面、堆物、违建和环境整治"),
    ("照明品质提升", "Better lighting", "路灯、楼道灯、景观照明的增补和维修"),
    ("关键小事", "Key small matters", "群众身边的急难愁盼小事"),
    ("停车管理", "Parking", "停车位规划、划线和充电设施"),
    ("适老化改造", "Adapting for older people", "扶手、坡道、无障碍和养老服务设施"),
    ("绿化美化", "Greening", "口袋公园、绿地和立体绿化"),
    ("垃圾分类", "Waste sorting", "垃圾分类设施和清运安排"),
]


def seed(people: dict, areas: dict) -> None:
    categories = {}
    for position, (name, name_en, description) in enumerate(CATEGORIES):
        categories[name], _ = Category.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "description": description, "position": position}
        )
    AreaPolicy.objects.get_or_create(
        area=areas["990102001"],
        defaults={"endorsement_threshold": 3, "collection_days": 60, "response_working_days": 15},
    )
    if Proposal.objects.exists():
        return
    r1, r2, r3, rep = people["resident"], people["resident2"], people["resident3"], people["enterprise"]
    official, organiser = people["official"], people["organiser"]
    liuan, wanghu = areas["990102001001"], areas["990102001002"]
    enterprise = Organisation.objects.get(name="云河绿城物业服务有限公司")
    ngo = Organisation.objects.get(name="云河市益邻社区服务中心")

    def new(author, title, body, category, area, **kw):
        publish = kw.pop("publish", True)
        p = services.proposal_create(
            author=author, title=title, body=body, category=categories[category], area=area, **kw
        )
        return services.proposal_publish(actor=author, proposal=p) if publish else p

    lights = new(
        r1,
        "柳岸小区 3 栋楼道灯长期不亮",
        "3 栋 1—6 层楼道灯已坏了两个多月，老人晚上上下楼很不安全。\n\n"
        "建议：\n- 更换为声控 LED 灯\n- 每层加装夜间指示灯",
        "照明品质提升",
        liuan,
        location="柳岸小区 3 栋",
        estimated_cost="4800",
    )
    services.proposal_endorse(user=r2, proposal=lights)
    services.comment_add(author=r2, proposal=lights, body="我家老人也反映过，支持尽快修好。", stance="for")
    c = services.comment_add(
        author=r3, proposal=lights, body="是不是物业维修的范围？先问问物业比较好。", stance="neutral"
    )
    services.comment_add(
        author=rep,
        proposal=lights,
        body="物业可以先派人查看线路，材料费需要另外解决。",
        stance="neutral",
        parent=c,
        organisation=enterprise,
    )
    services.cosponsor_join(
        user=rep,
        proposal=lights,
        organisation=enterprise,
        pledge_kind="in_kind",
        pledge_amount="800",
        pledge_description="提供维修人工",
    )

    alley = new(
        r3,
        "望湖路背街小巷垃圾堆放整治",
        "望湖路 12 号到 20 号之间的小巷长期堆放建筑垃圾和杂物，影响通行和卫生。建议清理并设置分类垃圾桶。",
        "背街小巷整治",
        areas["990102001"],
        location="望湖路 12—20 号",
    )
    for person in (r1, r2):
        services.proposal_endorse(user=person, proposal=alley)
    services.cosponsor_join(
        user=people["ngo"], proposal=alley, organisation=ngo, pledge_kind="money", pledge_amount=Decimal("2000")
    )
    services.proposal_endorse(user=rep, proposal=alley)  # the third co-signature qualifies it
    services.proposal_answer(
        official=official,
        proposal=alley,
        status="accepted",
        reason="已列入湖滨街道下月议事会议题，请社区做好方案准备。",
    )

    lift = new(
        r2,
        "柳岸小区 7 栋加装电梯",
        "7 栋共 7 层，住户中 60 岁以上老人占一半。建议按照老旧小区改造政策加装电梯，费用由政府补贴和居民共同分担。",
        "老旧小区改造",
        liuan,
        estimated_cost="650000",
    )
    for person in (r1, rep, r2):  # authors may co-sign their own proposal
        services.proposal_endorse(user=person, proposal=lift)
    services.proposal_schedule(proposal=lift, actor=organiser, where="柳岸社区 12 月议事会")
    services.comment_add(author=r1, proposal=lift, body="一楼住户的采光和噪音问题也要一并考虑。", stance="against")

    parking = new(
        r1,
        "柳岸小区停车位重新划线",
        "小区内车位线早已模糊，乱停车堵住消防通道。建议重新划线并标出消防通道。",
        "停车管理",
        liuan,
        estimated_cost="12000",
    )
    for person in (r2, rep, r1):
        services.proposal_endorse(user=person, proposal=parking)
    services.proposal_decide(
        proposal=parking, adopted=True, actor=organiser, by="session", where="柳岸社区居民议事会 10 月会议"
    )

    ramp = new(
        r3,
        "望湖花园单元门口增设无障碍坡道",
        "12 栋单元门口有三级台阶，轮椅和婴儿车进出困难。",
        "适老化改造",
        areas["990102001"],
        location="望湖花园 12 栋",
        estimated_cost="9000",
    )
    for person in (r1, r2, rep):
        services.proposal_endorse(user=person, proposal=ramp)
    services.proposal_decide(
        proposal=ramp, adopted=True, actor=organiser, by="vote", where="望湖社区无障碍坡道意见投票"
    )

    garden = new(
        r2,
        "柳岸社区口袋公园补种绿植",
        "社区口袋公园的绿植枯死较多，建议补种耐旱品种并安装滴灌。",
        "绿化美化",
        liuan,
        estimated_cost="15000",
    )
    for person in (r1, rep, r2):
        services.proposal_endorse(user=person, proposal=garden)
    services.proposal_decide(
        proposal=garden, adopted=True, actor=organiser, by="session", where="柳岸社区居民议事会 10 月会议"
    )
    # the funding stage's demo turns the ramp and the garden into projects (one under way, one closed)

    bins = new(
        r1, "每栋楼下增设一组分类垃圾桶", "现在整个小区只有两个投放点，距离远的楼栋居民不方便。", "垃圾分类", liuan
    )
    for person in (r2, rep, r1):
        services.proposal_endorse(user=person, proposal=bins)
    services.proposal_decide(
        proposal=bins, adopted=False, actor=organiser, by="session", where="柳岸社区居民议事会 10 月会议"
    )

    wall = new(r2, "柳岸小区外墙统一粉刷", "外墙颜色斑驳，建议统一粉刷。", "老旧小区改造", liuan)
    services.proposal_decline(
        actor=official, proposal=wall, reason="外墙改造已纳入 2027 年区级老旧小区改造计划，届时统一实施。"
    )

    services.proposal_withdraw(
        actor=r3,
        proposal=new(r3, "望湖花园增设快递柜", "建议在小区门口增设智能快递柜。", "关键小事", wanghu),
        reason="物业已经安装，撤回。",
    )

    old = new(r1, "柳岸小区健身器材维修", "小区健身器材有几件已经损坏，存在安全隐患。", "关键小事", liuan)
    services.proposal_endorse(user=r2, proposal=old)
    past = timezone.now() - timedelta(days=70)
    Proposal.objects.filter(pk=old.pk).update(
        published_at=past,
        collection_deadline=past + timedelta(days=60),
        response_due=(past + timedelta(days=21)).date(),
    )
    services.expire_due_proposals()

    late = new(
        r2, "柳岸社区卫生服务站延长周末开放时间", "卫生服务站周末只开半天，上班族看病不方便。", "关键小事", liuan
    )
    past = timezone.now() - timedelta(days=30)
    Proposal.objects.filter(pk=late.pk).update(
        published_at=past,
        collection_deadline=past + timedelta(days=60),
        response_due=(past + timedelta(days=21)).date(),
    )

    phoned = services.proposal_create(
        author=organiser,
        title="望湖花园门口路面坑洼",
        body="居民电话反映：望湖花园北门口路面有多处坑洼，雨天积水。",
        category=categories["关键小事"],
        area=wanghu,
        channel="phone",
        on_behalf_of="赵阿姨（望湖花园 5 栋）",
    )
    services.proposal_publish(actor=organiser, proposal=phoned)
    new(r1, "柳岸小区增设电动自行车充电桩", "草稿：准备收集邻居意见后再发布。", "停车管理", liuan, publish=False)
