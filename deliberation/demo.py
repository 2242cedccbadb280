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
    seed_council(people, areas)
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


def seed_council(people: dict, areas: dict) -> None:
    from civic.models import Organisation

    from .models import Council, Session

    if Council.objects.exists():
        return
    organiser = people["organiser"]
    council = services.council_create(actor=organiser, area=areas["990102001"], name="湖滨街道居民议事会")
    members = [people[k] for k in ("resident", "resident2", "resident3", "enterprise")]
    for person in members:
        services.council_member_add(actor=organiser, council=council, user=person)
    ngo = Organisation.objects.get(name="云河市益邻社区服务中心")
    services.council_member_add(actor=organiser, council=council, user=people["ngo"], organisation=ngo)

    past = services.session_schedule(
        actor=organiser,
        council=council,
        title="湖滨街道议事会 11 月会议",
        starts_at=timezone.now() - timedelta(days=10),
        place="湖滨街道社区服务中心二楼",
        items=[("楼道照明改造方案", None, 30)],
    )
    r1, r2, r3, rep = members

    def say(user, command, **args):
        services.session_command(user=user, session=past, command={"type": command, **args})

    for person in (organiser, r1, r2, r3, rep):
        say(person, "check_in")
    say(organiser, "open_session")
    say(r1, "make_motion", kind="main", text="同意按方案统一更换柳岸小区楼道声控灯，费用申请街道微项目资金")
    say(r2, "second")
    say(r3, "request_floor", side="for")
    say(organiser, "grant_floor")
    say(r3, "yield_floor")
    say(rep, "request_floor", side="against")
    say(organiser, "grant_floor")
    say(rep, "yield_floor")
    say(organiser, "open_vote")
    for person, choice in ((r1, "yes"), (r2, "yes"), (r3, "yes"), (rep, "abstain")):
        say(person, "cast_vote", choice=choice)
    say(organiser, "close_vote")
    say(organiser, "announce")
    say(organiser, "close_session")
    services.minutes_publish(
        actor=organiser,
        session=Session.objects.get(pk=past.pk),
        summary="会议通过楼道声控灯统一更换方案，由社区准备微项目申请材料，下次会议报告进展。",
    )

    services.session_schedule(
        actor=organiser,
        council=council,
        title="湖滨街道议事会 12 月会议",
        starts_at=timezone.now() + timedelta(days=7),
        place="湖滨街道社区服务中心二楼",
        items=[("柳岸小区充电车棚选址", None, 30), ("其他事项", None, 10)],
    )
