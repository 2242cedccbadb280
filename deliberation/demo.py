"""Demo votes: a counted participatory budget, an open one, an open question, and a real imported election."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from proposals.models import Proposal

from . import services
from .models import BallotBox

WIELICZKA = Path(settings.BASE_DIR) / "tests" / "data" / "pabulib" / "poland_wieliczka_2023.pb"


def _open(box, organiser, days=14):
    now = timezone.now()
    return services.box_schedule(
        actor=organiser, box=box, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=days)
    )


def seed(people: dict, areas: dict) -> None:
    if BallotBox.objects.exists():
        return
    organiser, official = people["organiser"], people["official"]
    voters = [people[k] for k in ("resident", "resident2", "resident3", "enterprise")]
    hubin = areas["990102001"]

    past = services.box_create(
        actor=official,
        area=hubin,
        kind="budget",
        title="2026 年湖滨街道微项目预算",
        budget=60000,
        rule="mes-add1",
        description="街道安排 6 万元，用于居民投票选出的微项目。每人可勾选多个项目，总额不超过预算。",
    )
    for title, cost in [
        ("望湖花园健身步道翻新", 28000),
        ("柳岸小区楼道扶手加装", 12000),
        ("社区图书角书架更新", 6000),
        ("背街小巷绿化补植", 18000),
        ("老年活动室空调更换", 15000),
        ("儿童游乐区地面软垫", 22000),
    ]:
        services.option_add(actor=official, box=past, title=title, cost=cost)
    _open(past, official)
    for person, choice in zip(voters, [["1", "2", "3"], ["2", "3", "5"], ["1", "4"], ["2", "6", "3"]], strict=True):
        services.vote_cast(user=person, box=past, choices=choice)
    BallotBox.objects.filter(pk=past.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=16)
    )
    services.box_tally(box=past, actor=official)

    current = services.box_create(
        actor=organiser,
        area=hubin,
        kind="budget",
        title="2027 年湖滨街道微项目预算",
        budget=80000,
        rule="mes-add1",
        description="请选出您最希望明年实施的微项目。投票期间可以修改选择（需要回执码）。",
    )
    alley = Proposal.objects.filter(title="望湖路背街小巷垃圾堆放整治").first()
    if alley is not None:
        services.option_add(actor=organiser, box=current, proposal=alley, cost=30000)
    for title, cost in [("柳岸小区充电车棚", 35000), ("社区食堂适老化改造", 25000), ("楼道声控灯统一更换", 9000)]:
        services.option_add(actor=organiser, box=current, title=title, cost=cost)
    _open(current, organiser)
    services.vote_cast(user=people["resident2"], box=current, choices=["2", "4"])

    question = services.box_create(
        actor=organiser,
        area=areas["990102001001"],
        kind="question",
        title="柳岸小区是否试行垃圾定时定点投放？",
        description="试行期三个月：每天 7:00—9:00、18:00—20:00 在指定地点投放。",
        quorum_share="0.2",
    )
    _open(question, organiser, days=7)

    if WIELICZKA.exists():
        services.pb_import(data=WIELICZKA.read_bytes(), area=areas["990100"], actor=people["admin"])
