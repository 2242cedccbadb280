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
