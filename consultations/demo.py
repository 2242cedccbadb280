"""Demo consultation: 柳岸小区管理规约（征求意见稿）, open for opinions in 柳岸社区, with opinions written
online, a support, and a residents' symposium entered by the organiser."""

from datetime import timedelta

from django.utils import timezone

from . import services
from .models import Consultation, ConsultationKind, Participation, Source

TITLE = "柳岸小区管理规约（征求意见稿）"

TEXT = """柳岸小区管理规约（征求意见稿）

第一章 总则
第一条 为了维护业主和物业使用人的合法权益，根据《民法典》和《物业管理条例》，制定本规约。
第二条 本规约对全体业主和物业使用人具有约束力。
第二章 公共秩序
第三条 业主和物业使用人应当遵守下列规定：
（一）不得在楼道、消防通道堆放杂物；
（二）不得私拉电线为电动自行车充电；
（三）饲养犬只应当依法登记，出户时束犬链并及时清理犬只粪便。
第四条 小区内机动车限速每小时五公里。
车辆应当在划定的车位停放，不得占用消防通道和绿地。
第三章 公共收益
第五条 利用共有部分进行经营的收益，在扣除合理成本后属于业主共有。
业主委员会应当每半年公布一次公共收益的收支情况。
第四章 附则
第六条 本规约经业主大会表决通过之日起生效。
"""


def seed(people: dict, areas: dict) -> None:
    if Consultation.objects.filter(title=TITLE).exists():
        return
    official, organiser = people["official"], people["organiser"]
    r1, r2 = people["resident"], people["resident2"]
    liuan = areas["990102001001"]
    now = timezone.now()
    consultation = services.consultation_create(
        actor=official,
        area=liuan,
        title=TITLE,
        kind=ConsultationKind.COMMUNITY_RULES,
        background=(
            "现行管理规约制定于 2012 年，已不适应电动自行车充电、文明养犬、公共收益公开等新情况。"
            "社区党委、居委会会同业主委员会和物业服务企业起草了本征求意见稿，现向全体业主公开征求意见。"
        ),
        participation=Participation.RESIDENTS,
        opinions_public=True,
        closes_at=now + timedelta(days=20),
        drafters=[organiser],
    )
    services.consultation_import_text(actor=official, consultation=consultation, source=TEXT, source_format="plain")
    services.question_add(
        actor=official,
        consultation=consultation,
        kind="single",
        text="您是否赞成公共收益每季度（而不是每半年）公布一次？",
        options=["赞成每季度公布", "维持每半年公布", "无所谓"],
    )
    services.consultation_publish(actor=official, consultation=consultation, now=now - timedelta(days=3))

    first = services.opinion_submit(
        author=r1,
        consultation=consultation,
        unit="art5-p2",
        text="半年公布一次间隔太长，业主很难及时了解停车费、广告费的收支。建议改为每季度公布，并在小区公告栏和线上同时公布。",
        wording="业主委员会应当每季度在小区公告栏和线上平台公布一次公共收益的收支情况。",
    )
    services.opinion_submit(
        author=r2,
        consultation=consultation,
        unit="art4-p1",
        text="五公里太慢，实际很难做到，建议改为十公里，同时在出入口设置减速带。",
        as_resident=True,
    )
    services.opinion_support(user=r2, opinion=first)
    symposium = services.symposium_record(
        staff=organiser,
        consultation=consultation,
        held_on=timezone.localdate(now - timedelta(days=1)),
        place="柳岸社区党群服务中心二楼会议室",
        attendance=23,
        note="业主代表、楼栋长和物业服务企业参加",
    )
    for unit, text in [
        ("art3-p1-i2", "建议写明由物业在小区内增设集中充电桩，只禁止不提供替代办法是不够的。"),
        ("art3-p1-i3", "老年业主提出犬只粪便问题突出，建议明确违反时的处理办法。"),
        ("", "规约全文应当印发到每户，方便不上网的老人阅读。"),
    ]:
        services.opinion_enter_offline(
            staff=organiser,
            consultation=consultation,
            source=Source.SYMPOSIUM,
            symposium=symposium,
            unit=unit or None,
            text=text,
        )


FINISHED_TITLE = "东湖区背街小巷环境整治方案（征求意见稿）"

FINISHED_TEXT = """# 东湖区背街小巷环境整治方案（征求意见稿）
## 一、整治范围
湖滨街道、新桥街道辖区内 32 条背街小巷，总长约 11.6 公里。
## 二、整治内容
- 路面修复：破损路面、人行道和无障碍通道一并修复。
- 照明提升：补装路灯，夜间照度达到城市支路标准。
- 立面整治：清理乱贴乱画，规范店招店牌。
- 停车管理：施划停车泊位，非机动车集中停放。
## 三、实施安排
2027 年 3 月至 10 月分两批实施，先实施居民反映最集中的 12 条。
## 四、资金保障
区财政安排专项资金，街道、沿街单位和居民可按“以奖代补”方式参与。
"""


def seed_finished(people: dict, areas: dict) -> None:
    """A finished consultation of 东湖区 on its 背街小巷 plan: opinions online and at a symposium, every
    one answered, the final text changed where opinions were adopted, and the feedback report published."""
    if Consultation.objects.filter(title=FINISHED_TITLE).exists():
        return
    from .models import TextUnit

    official, organiser = people["official"], people["organiser"]
    r1, r2, r3 = people["resident"], people["resident2"], people["resident3"]
    donghu = areas["990102"]
    now = timezone.now()
    opened = now - timedelta(days=75)
    closes = now - timedelta(days=45)
    consultation = services.consultation_create(
        actor=official,
        area=donghu,
        title=FINISHED_TITLE,
        kind=ConsultationKind.PLAN,
        background=(
            "背街小巷是居民出行的“最后一公里”。区住建局会同湖滨、新桥两个街道排查了 32 条背街小巷的路面、"
            "照明、立面和停车问题，起草了本整治方案，在实施前听取沿街居民和单位的意见。"
        ),
        participation=Participation.RESIDENTS,
        opinions_public=True,
        answer_working_days=15,
        closes_at=closes,
        drafters=[organiser],
    )
    services.consultation_import_text(
        actor=official, consultation=consultation, source=FINISHED_TEXT, source_format="markdown"
    )
    services.consultation_publish(actor=official, consultation=consultation, now=opened)
    units = {u.text[:4]: u for u in TextUnit.objects.filter(version__consultation=consultation)}
    lighting = next(u for key, u in units.items() if key.startswith("照明提升"))
    schedule = next(u for key, u in units.items() if key.startswith("2027"))
    parking = next(u for key, u in units.items() if key.startswith("停车管理"))
    lamp = services.opinion_submit(
        author=r1,
        consultation=consultation,
        unit=lighting,
        text="新桥路 17 弄晚上几乎一片漆黑，老人出门不敢走。补装路灯时请优先这条弄堂，并加装楼道口的感应灯。",
        wording="照明提升：补装路灯和弄堂口感应灯，夜间照度达到城市支路标准，老人集中居住的弄堂优先。",
        now=opened + timedelta(days=3),
    )
    services.opinion_support(user=r2, opinion=lamp, now=opened + timedelta(days=4))
    order = services.opinion_submit(
        author=r2,
        consultation=consultation,
        unit=schedule,
        text="先实施的 12 条是怎么选出来的？建议公布名单和排序依据。",
        now=opened + timedelta(days=6),
    )
    bikes = services.opinion_submit(
        author=r3,
        consultation=consultation,
        unit=parking,
        text="非机动车集中停放点要配充电设施，否则大家还是会拉线充电。",
        as_resident=True,
        now=opened + timedelta(days=9),
    )
    symposium = services.symposium_record(
        staff=official,
        consultation=consultation,
        held_on=timezone.localdate(opened + timedelta(days=12)),
        place="湖滨街道党群服务中心",
        attendance=31,
        note="沿街居民、商户和物业代表参加",
        now=opened + timedelta(days=12),
    )
    shops = services.opinion_enter_offline(
        staff=official,
        consultation=consultation,
        source=Source.SYMPOSIUM,
        symposium=symposium,
        text="施工期间请分段围挡，保证沿街小店正常营业。",
        now=opened + timedelta(days=12),
    )
    outside = services.opinion_enter_offline(
        staff=official,
        consultation=consultation,
        source=Source.SYMPOSIUM,
        symposium=symposium,
        text="小区内部的道路也很破，希望一起修。",
        now=opened + timedelta(days=12),
    )
    services.consultation_close(consultation=consultation, now=closes)
    answered = closes + timedelta(days=7)
    for opinion, classification, reason in [
        (lamp, "adopted", "采纳。照明提升条款已写明补装弄堂口感应灯，老人集中居住的弄堂优先，新桥路 17 弄列入第一批。"),
        (
            order,
            "partly_adopted",
            "部分采纳。第一批 12 条按居民反映次数排序，名单随本方案一并公布；排序依据写入实施安排。",
        ),
        (bikes, "already_provided", "已有规定。区里正在推进的电动自行车充电设施建设已覆盖这些停放点。"),
        (shops, "adopted", "采纳。实施安排已写明分段围挡施工，保障沿街商户经营。"),
        (outside, "out_of_scope", "不属于本方案范围。小区内部道路属于老旧小区改造，已转交区住建局纳入改造计划。"),
    ]:
        services.opinion_answer(
            actor=official, opinion=opinion, classification=classification, reason=reason, now=answered
        )
    services.consultation_finish_answering(actor=official, consultation=consultation, now=answered)
    services.final_prepare(actor=official, consultation=consultation)
    final = {
        u.replaces_id: u for u in TextUnit.objects.filter(version__consultation=consultation, version__kind="final")
    }
    services.final_unit_revise(
        actor=official,
        unit=final[lighting.pk],
        text="照明提升：补装路灯和弄堂口感应灯，夜间照度达到城市支路标准，老人集中居住的弄堂优先。",
        opinions=[lamp.pk],
    )
    services.final_unit_revise(
        actor=official,
        unit=final[schedule.pk],
        text=(
            "2027 年 3 月至 10 月分两批实施，先实施居民反映最集中的 12 条（按反映次数排序，名单随方案公布）；"
            "分段围挡施工，保障沿街商户正常经营。"
        ),
        opinions=[order.pk, shops.pk],
    )
    services.consultation_conclude(actor=official, consultation=consultation, now=answered + timedelta(days=2))
