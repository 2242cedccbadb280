"""The small matters' part of `manage.py seed_scale`: the city's categories, a handling unit of each kind in
every district (with members and the categories it serves there), grid workers, and `world["reports"]`
reports spread over the grid cells, in every state, with the times, deadlines and ratings their state
implies (some overdue, some rated, some with people also affected), in bulk SQL. The counters on each
report (rating, people also affected) agree with the rows, as the services keep them."""

from django.db import connection
from django.utils import timezone

from civic.models import AreaRole, AreaRoleKind, Membership, Organisation, OrganisationKind

from .demo import CATEGORIES
from .models import Category, Report, ReportEvent, ReportFollower, ReportRating, Unit, UnitService

UNIT_NAMES = {
    "street_lighting": "路灯管理所",
    "roads": "市政设施养护中心",
    "sanitation": "环卫清运队",
    "drainage": "排水管理站",
    "city_management": "城管中队",
    "greening": "园林绿化站",
}
MEMBERS_PER_UNIT = 3

# (state, per mille) by the age of a report: young ones are mostly open, old ones mostly closed.
STATES_BY_AGE = [
    (
        1,
        [
            ("submitted", 450),
            ("accepted", 200),
            ("dispatched", 150),
            ("in_progress", 150),
            ("withdrawn", 30),
            ("rejected", 20),
        ],
    ),
    (
        7,
        [
            ("submitted", 50),
            ("accepted", 70),
            ("dispatched", 130),
            ("in_progress", 200),
            ("resolved", 200),
            ("closed", 250),
            ("rejected", 30),
            ("withdrawn", 30),
            ("referred", 20),
            ("merged", 20),
        ],
    ),
    (
        None,
        [
            ("submitted", 5),
            ("accepted", 10),
            ("dispatched", 15),
            ("in_progress", 20),
            ("resolved", 10),
            ("closed", 820),
            ("rejected", 40),
            ("withdrawn", 30),
            ("referred", 20),
            ("merged", 30),
        ],
    ),
]


def _state_sql() -> str:
    """A CASE choosing the state from the age in days (`age`) and a per-mille draw (`r`)."""
    branches = []
    for days, shares in STATES_BY_AGE:
        inner, upto = [], 0
        for state, share in shares:
            upto += share
            inner.append(f"WHEN r < {upto} THEN '{state}'")
        case = f"CASE {' '.join(inner)} ELSE '{shares[-1][0]}' END"
        branches.append(f"WHEN age < {days} THEN {case}" if days is not None else f"ELSE {case}")
    return f"CASE {' '.join(branches)} END"


def _units(user_first: int, user_last: int) -> tuple[dict[tuple[int, str], int], list[int]]:
    """A unit of each kind in every district, serving its categories there, and its members: {(district
    index, kind): unit id} and the districts' ids."""
    districts = list(
        connection.cursor()
        .execute("SELECT id, code, path, name FROM civic_area WHERE level = 'district' ORDER BY code")
        .fetchall()
    )
    kinds = list(UNIT_NAMES)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{name}{UNIT_NAMES[kind]}",
                kind=OrganisationKind.GOVERNMENT,
                credit_code=f"CW{d:04d}{k:02d}".ljust(18, "0"),
                confirmed_at=timezone.now(),
            )
            for d, (_pk, _code, _path, name) in enumerate(districts)
            for k, kind in enumerate(kinds)
        ]
    )
    units = Unit.objects.bulk_create(
        [
            Unit(organisation=organisation, kind=kinds[i % len(kinds)], phone=f"0571-8900 {i:04d}")
            for i, organisation in enumerate(organisations)
        ]
    )
    by_key = {(d, kinds[k]): units[d * len(kinds) + k].pk for d in range(len(districts)) for k in range(len(kinds))}
    services, members = [], []
    people = user_last - user_first + 1
    for d, (area_id, _code, path, _name) in enumerate(districts):
        for key, _name, _name_en, unit_kind, *_limits in CATEGORIES:
            services.append(
                UnitService(unit_id=by_key[(d, unit_kind)], area_id=area_id, area_path=path, category_key=key)
            )
    for i, organisation in enumerate(organisations):
        for m in range(MEMBERS_PER_UNIT):  # residents from the end of the range (the benchmark signs in as one)
            members.append(
                Membership(organisation=organisation, user_id=user_last - (i * MEMBERS_PER_UNIT + m) % people)
            )
    UnitService.objects.bulk_create(services)
    Membership.objects.bulk_create(members, ignore_conflicts=True)
    return by_key, [d[0] for d in districts]


def seed(world: dict) -> None:
    count = world.get("reports") or 0
    first, last = world["residents"]
    people = last - first + 1
    city = world["areas"]["city"][0]
    city_path = connection.cursor().execute("SELECT path FROM civic_area WHERE id = %s", [city]).fetchone()[0]
    creator = first
    categories = Category.objects.bulk_create(
        [
            Category(
                area_id=city,
                area_path=city_path,
                key=key,
                name=name,
                name_en=name_en,
                description=description,
                unit_kind=unit_kind,
                response_hours=hours,
                handling_days=days,
                requires_after_photo=photo,
                clock_stop_allowed=clock,
                position=(i + 1) * 10,
                created_by_id=creator,
            )
            for i, (key, name, name_en, unit_kind, hours, days, photo, clock, description) in enumerate(CATEGORIES)
        ]
    )
    units, districts = _units(first, last)
    # A grid worker in every community (covering its five cells), residents from the middle of the range.
    communities = world["areas"]["community"]
    AreaRole.objects.bulk_create(
        [
            AreaRole(user_id=first + (people // 2 + i) % people, area_id=area, role=AreaRoleKind.GRID_WORKER)
            for i, area in enumerate(communities)
        ],
        ignore_conflicts=True,
    )
    if not count:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.id, g.path, d.id FROM civic_area g JOIN civic_area d "
            "ON d.level = 'district' AND g.path LIKE d.path || '%%' WHERE g.level = 'grid' ORDER BY g.id"
        )
        cells = cursor.fetchall()
        district_index = {pk: i for i, pk in enumerate(districts)}
        # The unit for (cell, category): the district's unit of the category's kind, as one flat array.
        unit_of = [units[(district_index[d], c.unit_kind)] for _cell, _path, d in cells for c in categories]
        table = Report._meta.db_table
        cursor.execute(
            f"""
            -- Each step MATERIALIZED: computed once per row (inlined, the later CASEs would repeat the earlier ones).
            WITH cats AS (  -- small tables of their own, joined by number
                SELECT * FROM unnest(%(category_ids)s::bigint[], %(keys)s::text[], %(hours)s::int[], %(days)s::int[])
                    WITH ORDINALITY AS k(category_id, key, hours, days, i)
            ), cellz AS (
                SELECT * FROM unnest(%(cell_ids)s::bigint[], %(paths)s::text[]) WITH ORDINALITY AS c(cell_id, path, i)
            ), unitz AS (
                SELECT * FROM unnest(%(unit_of)s::bigint[]) WITH ORDINALITY AS u(unit_id, i)
            ), drawn AS MATERIALIZED (
                SELECT n,
                       1 + (n * 7919) %% %(cells)s AS ci,
                       1 + (n * 104729 / 7) %% %(cats)s AS ki,
                       (n * 2654435761) %% 1000 AS r,
                       (n * 40503) %% 1000 AS r2,
                       now() - ((%(count)s - n) * 365.0 / %(count)s) * interval '1 day'
                             - ((n * 37) %% 600) * interval '1 second' AS t
                FROM generate_series(1, %(count)s::bigint) AS n
            ), aged AS MATERIALIZED (
                SELECT *, extract(epoch FROM now() - t) / 86400.0 AS age FROM drawn
            ), stated AS MATERIALIZED (
                SELECT aged.*, {_state_sql()} AS state,
                       cats.category_id, cats.key, cats.hours, cats.days
                FROM aged JOIN cats ON cats.i = aged.ki
            ), timed AS MATERIALIZED (
                SELECT *,
                       t + hours * interval '1 hour' AS response_due,
                       CASE WHEN state IN ('accepted', 'dispatched', 'in_progress', 'resolved', 'closed', 'referred')
                            THEN LEAST(t + interval '50 minutes', now()) END AS accepted_at
                FROM stated
            ), handled AS MATERIALIZED (
                SELECT *,
                       CASE WHEN state IN ('dispatched', 'in_progress', 'resolved', 'closed')
                            THEN LEAST(accepted_at + interval '40 minutes', now()) END AS dispatched_at,
                       CASE WHEN state IN ('accepted', 'dispatched', 'in_progress', 'resolved', 'closed')
                            THEN accepted_at + days * interval '1 day' END AS handling_due
                FROM timed
            ), done AS MATERIALIZED (
                SELECT *,
                       CASE WHEN state IN ('in_progress', 'resolved', 'closed')
                            THEN LEAST(dispatched_at + interval '2 hours', now()) END AS started_at,
                       CASE WHEN state IN ('resolved', 'closed')
                            THEN LEAST(dispatched_at + (r2 %% 48 + 3) * interval '1 hour', now()) END AS resolved_at
                FROM handled
            )
            INSERT INTO {table} (
                category_id, category_key, cell_id, area_path, place, text, channel, reporter_id, reporter_name,
                reporter_phone, external_id, state, unit_id, referred_to, referral_reason, state_reason,
                resolution_note, submitted_at, response_due, accepted_at, dispatched_at, handling_due, started_at,
                resolved_at, rating_due, closed_at, response_overdue_at, handling_overdue_at, escalation_level,
                reopen_count, return_count, rating_level, follower_count, photo_count, is_hidden
            )
            SELECT category_id, key, cellz.cell_id, cellz.path,
                   (ARRAY['柳岸小区', '望湖苑', '东风里', '和平新村', '西桥社区', '南门巷'])[1 + n %% 6]
                       || (1 + n %% 30) || ' 栋' || (ARRAY['北侧', '门口', '楼道', '东侧路边'])[1 + n %% 4],
                   (ARRAY['从前天起一直没人处理，', '晚上经过很不安全，', '影响老人孩子出行，'])[1 + n %% 3]
                       || '请尽快处理。编号 ' || n || '。',
                   CASE WHEN r2 < 850 THEN 'online' ELSE 'phone' END,
                   %(first)s + (n * 31) %% %(people)s, '', '',
                   CASE WHEN state = 'merged' THEN 'scale-merge' ELSE '' END,
                   CASE WHEN state = 'merged' THEN 'withdrawn' ELSE state END,
                   CASE WHEN dispatched_at IS NOT NULL
                        THEN unitz.unit_id END,
                   CASE WHEN state = 'referred' THEN '区住房和城乡建设局' ELSE '' END,
                   CASE WHEN state = 'referred' THEN '属于小区公共维修基金事项。' ELSE '' END,
                   CASE WHEN state = 'rejected' THEN '经核实不属于本平台受理范围。' ELSE '' END,
                   CASE WHEN resolved_at IS NOT NULL THEN '已到现场处理完毕。' ELSE '' END,
                   t, response_due, accepted_at, dispatched_at, handling_due, started_at, resolved_at,
                   CASE WHEN state = 'resolved' THEN now() + (1 + r2 %% 7) * interval '1 day' END,
                   CASE WHEN state IN ('closed', 'rejected', 'withdrawn', 'merged', 'referred')
                        THEN LEAST(GREATEST(t, COALESCE(resolved_at, accepted_at, t) + interval '1 day'), now()) END,
                   CASE WHEN state = 'submitted' AND response_due < now() THEN response_due
                        WHEN accepted_at - t > hours * interval '1 hour' THEN response_due END,
                   CASE WHEN state IN ('accepted', 'dispatched', 'in_progress') AND handling_due < now()
                        THEN handling_due
                        WHEN resolved_at > handling_due THEN handling_due END,
                   0,
                   0,
                   0,
                   CASE WHEN state = 'closed' AND resolved_at IS NOT NULL AND n %% 4 <> 0 THEN 3 + n %% 3 END,
                   CASE WHEN n %% 8 = 0 AND state <> 'merged' THEN 1 + n %% 4 ELSE 0 END,
                   0, n %% 173 = 0
            FROM done JOIN cellz ON cellz.i = done.ci JOIN unitz ON unitz.i = (done.ci - 1) * %(cats)s + done.ki
            """,
            {
                "count": count,
                "cells": len(cells),
                "cats": len(categories),
                "hours": [c.response_hours for c in categories],
                "days": [c.handling_days for c in categories],
                "category_ids": [c.pk for c in categories],
                "keys": [c.key for c in categories],
                "cell_ids": [cell for cell, _path, _d in cells],
                "paths": [path for _cell, path, _d in cells],
                "unit_of": unit_of,
                "first": first,
                "people": people,
            },
        )
        # Merged into the report filed just before (the pair is made in one statement: the constraint holds).
        cursor.execute(
            f"UPDATE {table} r SET state = 'merged', external_id = '', merged_into_id = p.id "
            f"FROM {table} p WHERE r.external_id = 'scale-merge' AND p.id = r.id - 1"
        )
        cursor.execute(f"UPDATE {table} SET state = 'withdrawn', external_id = '' WHERE external_id = 'scale-merge'")
        # The rows behind the counters the reports were inserted with (no second pass over the reports): the
        # rating of three closed reports in four (satisfied: they stay closed), and the people also affected
        # (我也遇到) of one report in eight, one to four each, distinct people.
        cursor.execute(
            f"""
            INSERT INTO {ReportRating._meta.db_table}
                (report_id, round, level, comment, channel, rated_by_id, unit_id, created_at)
            SELECT id, 0, rating_level, CASE WHEN id % 3 = 0 THEN '还可以，希望下次更快。' ELSE '' END, 'self',
                   reporter_id, unit_id, resolved_at + interval '1 day'
            FROM {table} WHERE rating_level IS NOT NULL
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {ReportFollower._meta.db_table} (report_id, user_id, source, created_at)
            SELECT r.id, %s + ((r.id * 7 + g) %% %s), 'me_too', r.submitted_at + g * interval '1 hour'
            FROM {table} r, generate_series(1, r.follower_count) AS g
            WHERE r.follower_count > 0
            """,
            [first, people],
        )
        # The timeline: the report, and the step that brought it to its state.
        events = ReportEvent._meta.db_table
        cursor.execute(
            f"""
            INSERT INTO {events} (report_id, kind, from_state, to_state, actor_id, actor_public, note, params,
                                  created_at)
            SELECT id, 'submitted', '', 'submitted', reporter_id, false, '', jsonb_build_object('channel', channel),
                   submitted_at
            FROM {table}
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {events} (report_id, kind, from_state, to_state, actor_id, actor_public, note, params,
                                  created_at)
            SELECT id, CASE WHEN state = 'in_progress' THEN 'started'
                            WHEN state = 'closed' AND rating_level IS NOT NULL THEN 'rated'
                            WHEN state = 'closed' THEN 'closed_unrated' ELSE state END,
                   '', state, NULL, false, '',
                   CASE WHEN rating_level IS NOT NULL THEN jsonb_build_object('level', rating_level)
                        ELSE '{{}}'::jsonb END,
                   COALESCE(closed_at, resolved_at, started_at, dispatched_at, accepted_at, submitted_at)
            FROM {table} WHERE state <> 'submitted'
            """
        )
