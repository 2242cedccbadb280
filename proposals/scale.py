"""The proposals' part of `manage.py seed_scale`: proposals in every state, co-signatures and comments, in
bulk SQL (the counters on each proposal match its rows, as the services keep them)."""

import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from .demo import CATEGORIES
from .models import Category, Comment, Endorsement, Proposal, ProposalState
from .search import tokens
from .text import render_markdown

SUBJECTS = ["楼道灯", "电梯", "停车位", "垃圾分类点", "口袋公园", "路面", "扶手", "充电桩", "排水管", "围墙"]
PLACES = ["柳岸小区", "望湖苑", "东风里", "和平新村", "西桥社区", "南门巷", "北苑", "新华路"]
ACTIONS = ["维修", "加装", "改造", "整治", "增设", "更换"]
# state, share of the proposals
STATES = [
    (ProposalState.PUBLISHED, 50),
    (ProposalState.QUALIFIED, 12),
    (ProposalState.ADOPTED, 8),
    (ProposalState.EXPIRED, 15),
    (ProposalState.DONE, 5),
    (ProposalState.DECLINED, 3),
    (ProposalState.DRAFT, 5),
    (ProposalState.WITHDRAWN, 2),
]


def seed(world: dict) -> None:
    rng = random.Random(18)
    now = timezone.now()
    categories = [
        Category.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "description": description, "position": position}
        )[0]
        for position, (name, name_en, description) in enumerate(CATEGORIES)
    ]
    cells = world["areas"]["grid"]
    paths = dict(connection.cursor().execute("SELECT id, path FROM civic_area WHERE level = 'grid'").fetchall())
    first, last = world["residents"]
    weighted = [state for state, share in STATES for _ in range(share)]
    rows = []
    for n in range(world["proposals"]):
        title = f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}（{n + 1}）"
        body = f"{title}。" + "居民反映多年，希望尽快解决，具体情况如下：\n\n" + "- 现状说明。" * rng.randint(20, 60)
        state = rng.choice(weighted)
        published = now - timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
        collecting = state == ProposalState.PUBLISHED
        cell = rng.choice(cells)
        rows.append(
            Proposal(
                title=title,
                body=body,
                body_html=render_markdown(body),
                category=rng.choice(categories),
                area_id=cell,
                area_path=paths[cell],
                location=rng.choice(PLACES),
                author_id=rng.randint(first, last),
                state=state,
                created_at=published - timedelta(hours=1),
                published_at=None if state == ProposalState.DRAFT else published,
                collection_deadline=(now + timedelta(days=rng.randint(1, 60)))
                if collecting
                else published + timedelta(days=60),
                threshold=30,
                is_hidden=rng.random() < 0.01,
                search_tokens=" ".join(tokens(f"{title} {body}")),
            )
        )
    Proposal.objects.bulk_create(rows, batch_size=2000)
    people = last - first + 1
    with connection.cursor() as cursor:
        # Co-signatures: each visible, non-draft proposal gets a share (skewed) of the total, from distinct people.
        cursor.execute(
            "SELECT id FROM proposals_proposal WHERE state NOT IN ('draft') ORDER BY id",
        )
        ids = [row[0] for row in cursor.fetchall()]
        average = world["cosignatures"] / max(1, len(ids))
        cursor.execute(
            f"""
            WITH counts AS (
                SELECT id, LEAST(%s, GREATEST(1, round(%s * (0.2 + 1.6 * ((id * 7919) %% 1000) / 1000.0))))::int AS c
                FROM proposals_proposal WHERE state <> 'draft'
            )
            INSERT INTO {Endorsement._meta.db_table} (proposal_id, user_id, created_at, channel)
            SELECT counts.id, %s + ((counts.id * 104729 + g) %% %s), now() - (g || ' seconds')::interval, 'online'
            FROM counts, generate_series(1, counts.c) AS g
            """,
            [people, average, first, people],
        )
        cursor.execute(
            f"""
            INSERT INTO {Comment._meta.db_table}
                (proposal_id, author_id, stance, body, created_at, is_hidden, channel)
            SELECT (%s::bigint[])[1 + (n %% %s)], %s + ((n * 31) %% %s),
                   (ARRAY['for', 'against', 'neutral'])[1 + n %% 3],
                   '我同意这个建议，' || n || ' 号意见：希望尽快落实。', now() - (n || ' seconds')::interval, false,
                   'online'
            FROM generate_series(1, %s) AS n
            """,
            [ids, len(ids), first, people, world["comments"]],
        )
        cursor.execute(
            """
            UPDATE proposals_proposal p SET
                endorsement_count = (SELECT count(*) FROM proposals_endorsement e WHERE e.proposal_id = p.id),
                comment_count = (SELECT count(*) FROM proposals_comment c WHERE c.proposal_id = p.id)
            """
        )
