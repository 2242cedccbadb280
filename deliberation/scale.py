"""The deliberation part of `manage.py seed_scale`, in bulk SQL:

- an open yes/no ballot box for the whole city, which bench/http.py votes in (the residents of the data set
  are all eligible);
- `ballots` more boxes (2,000 by default) over the districts, subdistricts and communities, in every phase
  (being prepared, announced, open, closed and waiting for the count, results published), with their
  options, ballots and participation records (the turnout of each box is its number of ballots);
- a council in each community, with members, and `sessions` sessions (500 by default) over three years:
  most closed with published minutes, some not held, some still to come;
- `notices` outcome notices (5,000 by default) on the areas' notice boards: the results of the counted
  boxes, the decisions of the closed sessions and other decisions.
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from civic.models import Area, OutcomeNotice

from . import procedure
from .models import (
    Ballot,
    BallotBox,
    BallotOption,
    BoxKind,
    BoxState,
    Council,
    CouncilMember,
    Minutes,
    Participation,
    Session,
)
from .services.ballots import QUESTION_OPTIONS

BALLOTS, SESSIONS, NOTICES = 2_000, 500, 5_000
MEMBERS_PER_COUNCIL = 7


def seed(world: dict) -> None:
    city = Area.objects.get(pk=world["areas"]["city"][0])
    now = timezone.now()
    box = BallotBox.objects.create(
        area=city,
        area_path=city.path,
        kind=BoxKind.QUESTION,
        title="规模市是否延长夜间公交运营时间",
        description="基准测试用的全市表决。",
        state=BoxState.SCHEDULED,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=365),
        secret=True,
        allow_change=True,
    )
    BallotOption.objects.bulk_create(
        BallotOption(box=box, title=pid, project_id=pid, position=position)
        for position, (pid, _label) in enumerate(QUESTION_OPTIONS)
    )
    areas = [*world["areas"]["district"], *world["areas"]["subdistrict"], *world["areas"]["community"]]
    _boxes(world.get("ballots", BALLOTS), areas, world["residents"])
    _councils(world["areas"]["community"], world.get("sessions", SESSIONS), world["residents"])
    _notices(world.get("notices", NOTICES), areas, world["residents"])


def _boxes(count: int, areas: list[int], residents: tuple[int, int]) -> None:
    """`count` boxes; box n's phase is n mod 20: 1 draft, 2 upcoming, 3 open, 1 closed, 13 counted in 20."""
    if count <= 0:
        return
    first, last = residents
    people = last - first + 1
    box, option, ballot, part = (
        BallotBox._meta.db_table,
        BallotOption._meta.db_table,
        Ballot._meta.db_table,
        Participation._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE seed_box AS
            SELECT n, CASE WHEN m = 0 THEN 'draft' WHEN m < 3 THEN 'upcoming' WHEN m < 6 THEN 'open'
                           WHEN m = 6 THEN 'closed' ELSE 'tallied' END AS phase,
                   CASE WHEN n %% 3 = 0 THEN 'approval' ELSE 'question' END AS kind,
                   (%s::bigint[])[1 + (n * 7) %% %s] AS area_id,
                   CASE WHEN m < 3 THEN 0 ELSE 5 + (n * 13) %% 36 END AS turnout
            FROM (SELECT n, n %% 20 AS m FROM generate_series(1, %s) AS n) AS s
            """,
            [areas, len(areas), count],
        )
        # The dates of each phase: counted boxes closed over the last three years, newest first by n.
        cursor.execute(
            f"""
            INSERT INTO {box} (area_id, area_path, kind, title, description, state, opens_at, closes_at,
                secret, allow_change, budget, rule, min_choices, max_choices, quorum_share, threshold,
                imported, source_meta, turnout, eligible_count, result, tallied_at, created_at)
            SELECT s.area_id, a.path, s.kind,
                   a.name || CASE WHEN s.kind = 'question' THEN '是否同意增设夜间照明（' ELSE '社区微项目选择（' END
                     || s.n || '）',
                   '规模数据：社区表决。',
                   CASE s.phase WHEN 'draft' THEN 'draft' WHEN 'tallied' THEN 'tallied' ELSE 'scheduled' END,
                   CASE s.phase WHEN 'draft' THEN NULL
                                WHEN 'upcoming' THEN now() + ((s.n % 30) + 1 || ' days')::interval
                                WHEN 'open' THEN now() - ((s.n % 5) + 1 || ' days')::interval
                                WHEN 'closed' THEN now() - interval '8 days'
                                ELSE now() - ((s.n % 1095) + 10 || ' days')::interval END,
                   CASE s.phase WHEN 'draft' THEN NULL
                                WHEN 'upcoming' THEN now() + ((s.n % 30) + 8 || ' days')::interval
                                WHEN 'open' THEN now() + ((s.n % 20) + 1 || ' days')::interval
                                WHEN 'closed' THEN now() - interval '1 hour'
                                ELSE now() - ((s.n % 1095) + 3 || ' days')::interval END,
                   true, true, NULL, 'mes-add1', 0, CASE WHEN s.kind = 'approval' THEN 1 ELSE 0 END, 0, '1/2',
                   false, '{{}}'::jsonb, s.turnout,
                   CASE WHEN s.phase = 'tallied' AND s.kind = 'question' THEN 1000 END,
                   CASE WHEN s.phase <> 'tallied' THEN NULL
                        WHEN s.kind = 'question' THEN jsonb_build_object(
                            'kind', 'question', 'turnout', s.turnout, 'options', '[]'::jsonb,
                            'votes', jsonb_build_object('yes', s.turnout - s.turnout / 3 - s.turnout / 6,
                                                        'no', s.turnout / 3, 'abstain', s.turnout / 6),
                            'eligible', 1000, 'quorum_met', true, 'passed', true, 'selected', '["yes"]'::jsonb)
                        ELSE jsonb_build_object(
                            'kind', 'approval', 'turnout', s.turnout, 'selected', '["1"]'::jsonb,
                            'options', jsonb_build_array(
                                jsonb_build_object('project_id', '1', 'title', '口袋公园', 'votes', s.turnout / 2,
                                                   'selected', true),
                                jsonb_build_object('project_id', '2', 'title', '充电桩', 'votes', s.turnout / 3,
                                                   'selected', false),
                                jsonb_build_object('project_id', '3', 'title', '健身步道', 'votes', s.turnout / 4,
                                                   'selected', false))) END,
                   CASE WHEN s.phase = 'tallied' THEN now() - ((s.n % 1095) + 2 || ' days')::interval END,
                   now() - ((s.n % 1095) + 40 || ' days')::interval
            FROM seed_box s JOIN civic_area a ON a.id = s.area_id
            ORDER BY s.n
            RETURNING id
            """
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("ALTER TABLE seed_box ADD COLUMN box_id bigint")
        cursor.execute(  # the ids were drawn in the order of n
            "UPDATE seed_box SET box_id = ids.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n "
            "FROM unnest(%s::bigint[]) AS id) AS ids WHERE ids.n = seed_box.n",
            [ids],
        )
        cursor.execute(
            f"""
            INSERT INTO {option} (box_id, title, description, cost, proposal_id, project_id, position, extra)
            SELECT s.box_id,
                   CASE WHEN s.kind = 'question' THEN (ARRAY['yes', 'no', 'abstain'])[p + 1]
                        ELSE (ARRAY['口袋公园', '充电桩', '健身步道'])[p + 1] END,
                   '', NULL, NULL,
                   CASE WHEN s.kind = 'question' THEN (ARRAY['yes', 'no', 'abstain'])[p + 1] ELSE (p + 1)::text END,
                   p, '{{}}'::jsonb
            FROM seed_box s CROSS JOIN generate_series(0, 2) AS p
            """
        )
        # Ballots and who took part (distinct people per box), as many as each box's turnout.
        cursor.execute(
            f"""
            INSERT INTO {part} (box_id, user_id, channel, assisted_by_id, created_at)
            SELECT s.box_id, %s + ((s.n * 101 + i) %% %s), 'online', NULL, now() - interval '1 day'
            FROM seed_box s CROSS JOIN LATERAL generate_series(1, LEAST(s.turnout, %s)) AS i
            """,
            [first, people, people],
        )
        cursor.execute(
            f"""
            INSERT INTO {ballot} (id, box_id, choices, receipt_hash, voter_id, channel, batch_id, external_id)
            SELECT md5(s.n || ':' || i)::uuid, s.box_id,
                   jsonb_build_array(CASE WHEN s.kind = 'question'
                                          THEN (ARRAY['yes', 'yes', 'no', 'abstain'])[1 + i %% 4]
                                          ELSE (1 + i %% 3)::text END),
                   NULL, NULL, 'online', NULL, ''
            FROM seed_box s CROSS JOIN LATERAL generate_series(1, LEAST(s.turnout, %s)) AS i
            """,
            [people],
        )
        cursor.execute(
            f"UPDATE {box} b SET turnout = s.t FROM (SELECT box_id, LEAST(turnout, %s) AS t FROM seed_box) AS s "
            f"WHERE b.id = s.box_id",
            [people],
        )
        cursor.execute("DROP TABLE seed_box")


def _councils(communities: list[int], sessions: int, residents: tuple[int, int]) -> None:
    """A council in each community (members: residents of the data set), `sessions` sessions over them:
    9 in 10 closed (with minutes), the rest not held or still to come."""
    first, last = residents
    people = last - first + 1
    names = dict(Area.objects.filter(pk__in=communities).values_list("pk", "name"))
    councils = Council.objects.bulk_create(
        [Council(area_id=pk, name=f"{names[pk]}居民议事会") for pk in communities], batch_size=1000
    )
    seats = min(MEMBERS_PER_COUNCIL, people)
    members = {
        council.pk: [first + (i * MEMBERS_PER_COUNCIL + k) % people for k in range(seats)]
        for i, council in enumerate(councils)
    }
    CouncilMember.objects.bulk_create(
        [CouncilMember(council_id=pk, user_id=user) for pk, users in members.items() for user in users],
        batch_size=5000,
        ignore_conflicts=True,
    )
    now = timezone.now()
    rows = []
    for n in range(sessions):
        council = councils[n % len(councils)]
        seated = [str(user) for user in dict.fromkeys(members[council.pk])]
        phase = "scheduled" if n % 10 == 9 else ("not_held" if n % 20 == 3 else "closed")
        state = procedure.state_to_json(
            procedure.new_session(members=seated, chair=seated[0], items=["社区环境整治", "议事规则修订"])
        )
        state["phase"] = phase
        starts = now + timedelta(days=1 + n % 30) if phase == "scheduled" else now - timedelta(days=2 + n * 2)
        rows.append(
            Session(
                council=council,
                title=f"{council.name}第{n + 1}次会议",
                starts_at=starts,
                place="社区活动中心",
                public=n % 25 != 7,
                chair_id=int(seated[0]),
                phase=phase,
                state=state,
            )
        )
    made = Session.objects.bulk_create(rows, batch_size=1000)
    Minutes.objects.bulk_create(
        [
            Minutes(session=session, summary="会议审议了议程各项，决定均已公示。", published_by_id=session.chair_id)
            for session in made
            if session.phase != "scheduled"
        ],
        batch_size=1000,
    )


def _notices(count: int, areas: list[int], residents: tuple[int, int]) -> None:
    """`count` notices over three years: a result notice for each counted box (as many as fit), the rest
    decisions of other kinds, each on the board of its area and every area above."""
    if count <= 0:
        return
    first, _last = residents
    table = OutcomeNotice._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (area_id, area_path, kind, title, body, source_url, source_key, decided_at,
                published_at, published_by_id, corrects_id)
            SELECT b.area_id, b.area_path, 'ballot', left('投票结果：' || b.title, 120),
                   '投票结果已统计并公布。', '/ballots/' || b.id || '/', 'ballot:' || b.id,
                   b.tallied_at, b.tallied_at + interval '2 days', %s, NULL
            FROM {BallotBox._meta.db_table} b WHERE b.state = 'tallied' ORDER BY b.id LIMIT %s
            """,
            [first, count],
        )
        done = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {table} (area_id, area_path, kind, title, body, source_url, source_key, decided_at,
                published_at, published_by_id, corrects_id)
            SELECT a.id, a.path, 'other', a.name || '公告第' || n || '号', '经研究决定，现予公告。', '', '',
                   now() - ((n %% 1095) + 3 || ' days')::interval, now() - ((n %% 1095) || ' days')::interval,
                   %s, NULL
            FROM generate_series(1, %s) AS n
            JOIN civic_area a ON a.id = (%s::bigint[])[1 + (n * 11) %% %s]
            """,
            [first, max(0, count - done), areas, len(areas)],
        )
