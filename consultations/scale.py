"""The consultations' part of `manage.py seed_scale`: about 200 consultations over the city's areas in every
state (a few drafts, open, closed and being answered, every opinion answered, result published with a final
text), each with a text of chapters and articles, and one open city-wide draft of about 100 articles with
`world["opinions"]` opinions (on its units and on the whole, some proposing wording, some entered by staff
from letters, the hotline and visits, a few hidden by moderation) and supports. Bulk SQL; the counters
(`opinion_count`, `support_count`) match their rows, as the services keep them."""

import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from .models import (
    Classification,
    Consultation,
    ConsultationKind,
    ConsultationState,
    Opinion,
    OpinionSupport,
    Participation,
    TextUnit,
    TextVersion,
    UnitKind,
    VersionKind,
)
from .textimport import chinese_numeral

S = ConsultationState
BIG_TITLE = "规模市城市更新条例（草案征求意见稿）"
TOPICS = ["物业管理", "垃圾分类", "文明养犬", "电动自行车停放充电", "老旧小区加装电梯", "社区公共收益", "停车管理"]
KINDS = [ConsultationKind.REGULATION, ConsultationKind.COMMUNITY_RULES, ConsultationKind.CONVENTION]
# state, share of the consultations
STATES = [(S.DRAFT, 3), (S.OPEN, 40), (S.CLOSED, 17), (S.ANSWERED, 10), (S.CONCLUDED, 30)]
ANSWERS = [
    (Classification.ADOPTED, "已采纳，相关条文已作修改。"),
    (Classification.PARTLY_ADOPTED, "部分采纳，在实施细则中予以明确。"),
    (Classification.NOT_ADOPTED, "未采纳：上位法已有规定，不宜重复。"),
    (Classification.ALREADY_PROVIDED, "草案第五条已有相应规定。"),
    (Classification.OUT_OF_SCOPE, "不属于本次征求意见的范围，已转交有关部门。"),
]


def _text(version: TextVersion, chapters: int, articles_per_chapter: int, rng: random.Random, topic: str) -> list:
    """Chapters, articles (numbered through the text) and their paragraphs, in document order; the units
    (with pks), parents written before their children."""
    units, position, article = [], 0, 0
    for c in range(1, chapters + 1):
        position += 1
        chapter = TextUnit(
            version=version,
            position=position,
            kind=UnitKind.CHAPTER,
            level=1,
            number=f"第{chinese_numeral(c)}章",
            ordinal=c,
            anchor=f"ch{c}",
            text=f"{topic}的第{chinese_numeral(c)}部分",
        )
        units.append((chapter, None))
        for _a in range(articles_per_chapter):
            article += 1
            position += 1
            art = TextUnit(
                version=version,
                position=position,
                kind=UnitKind.ARTICLE,
                level=2,
                number=f"第{chinese_numeral(article)}条",
                ordinal=article,
                anchor=f"art{article}",
                text=f"{topic}应当遵循公开、公平、便民的原则，第{article}条规定的事项由所在街道负责组织实施。",
            )
            units.append((art, chapter))
            for p in range(1, rng.randint(1, 3) + 1 if rng.random() < 0.4 else 1):
                position += 1
                units.append(
                    (
                        TextUnit(
                            version=version,
                            position=position,
                            kind=UnitKind.PARAGRAPH,
                            level=3,
                            ordinal=p,
                            anchor=f"art{article}-p{p}",
                            text=f"居民委员会、业主委员会和物业服务企业应当配合做好第{article}条第{p}款所列工作。",
                        ),
                        art,
                    )
                )
    return units


def _save_units(pairs: list) -> None:
    """Bulk-insert units level by level so each child knows its parent's id."""
    for level in (1, 2, 3):
        batch = [unit for unit, parent in pairs if unit.level == level]
        for unit, parent in pairs:
            if unit.level == level and parent is not None:
                unit.parent_id = parent.pk
        TextUnit.objects.bulk_create(batch, batch_size=2000)


def seed(world: dict) -> None:
    rng = random.Random(5000)
    now = timezone.now()
    first, last = world["residents"]
    people = last - first + 1
    staff = first  # the seeded staff member who enters and answers (any account serves the benchmark)
    areas = world["areas"]
    paths = dict(connection.cursor().execute("SELECT id, path FROM civic_area").fetchall())
    weighted = [state for state, share in STATES for _ in range(share)]
    # where: the city a few times, every district, subdistricts and communities for the rest
    places = [areas["city"][0]] * 4 + areas["district"] + rng.sample(areas["subdistrict"], 40)
    places += rng.sample(areas["community"], 199 - len(places))
    rows = []
    for n, area_id in enumerate(places):
        state = rng.choice(weighted)
        topic = rng.choice(TOPICS)
        opens = (
            now - timedelta(days=rng.randint(40, 400)) if state != S.OPEN else now - timedelta(days=rng.randint(1, 20))
        )
        closes = opens + timedelta(days=30) if state != S.OPEN else now + timedelta(days=rng.randint(3, 30))
        rows.append(
            Consultation(
                title=f"{topic}规定（征求意见稿·{n + 1}）",
                kind=rng.choice(KINDS),
                area_id=area_id,
                area_path=paths[area_id],
                background=f"为了做好{topic}工作，起草了本征求意见稿，现公开征求意见。",
                participation=Participation.SIGNED_IN if rng.random() < 0.5 else Participation.RESIDENTS,
                opens_at=opens,
                closes_at=closes,
                opinions_public=rng.random() < 0.8,
                state=state,
                created_by_id=staff,
                created_at=opens - timedelta(days=3),
                published_at=None if state == S.DRAFT else opens,
                closed_at=closes if state in (S.CLOSED, S.ANSWERED, S.CONCLUDED) else None,
                answer_due=(closes + timedelta(days=21)).date()
                if state in (S.CLOSED, S.ANSWERED, S.CONCLUDED)
                else None,
                answered_at=closes + timedelta(days=15) if state in (S.ANSWERED, S.CONCLUDED) else None,
                concluded_at=closes + timedelta(days=20) if state == S.CONCLUDED else None,
            )
        )
    city = areas["city"][0]
    rows.append(
        Consultation(
            title=BIG_TITLE,
            kind=ConsultationKind.REGULATION,
            area_id=city,
            area_path=paths[city],
            originator="规模市人民代表大会常务委员会",
            background="本条例草案共十章一百条，现向全市居民公开征求意见。",
            participation=Participation.SIGNED_IN,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=20),
            opinions_public=True,
            state=S.OPEN,
            created_by_id=staff,
            created_at=now - timedelta(days=12),
            published_at=now - timedelta(days=10),
        )
    )
    consultations = Consultation.objects.bulk_create(rows)
    big = consultations[-1]
    versions = TextVersion.objects.bulk_create(
        TextVersion(
            consultation=c,
            kind=VersionKind.DRAFT,
            created_by_id=staff,
            created_at=c.created_at,
            published_at=c.published_at,
        )
        for c in consultations
    )
    pairs = []
    for c, version in zip(consultations, versions, strict=True):
        if c is big:
            pairs += _text(version, 10, 10, rng, "城市更新")
        else:
            pairs += _text(version, rng.randint(2, 5), rng.randint(2, 5), rng, c.title[:6])
    _save_units(pairs)
    _opinions(consultations, big, world["opinions"], first, people, staff)
    _finals(consultations, staff)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Opinion._meta.db_table} o SET support_count = s.n
            FROM (SELECT opinion_id, count(*) AS n FROM {OpinionSupport._meta.db_table} GROUP BY opinion_id) s
            WHERE s.opinion_id = o.id
            """
        )
        cursor.execute(
            f"""
            UPDATE {Consultation._meta.db_table} c SET opinion_count =
                (SELECT count(*) FROM {Opinion._meta.db_table} o WHERE o.consultation_id = c.id)
            """
        )


def _opinions(consultations: list, big, total: int, first: int, people: int, staff: int) -> None:
    """The big consultation's `total` opinions, and up to 25 on each other published one; answered where the
    consultation's state says so (all of them once every opinion is answered, about half while answering)."""
    table, units, support = Opinion._meta.db_table, TextUnit._meta.db_table, OpinionSupport._meta.db_table
    sizes = {c.pk: (total if c is big else (c.pk * 7) % 26) for c in consultations if c.state != S.DRAFT}
    answered = {c.pk: {S.OPEN: 0.0, S.CLOSED: 0.5}.get(c.state, 1.0) for c in consultations}
    with connection.cursor() as cursor:
        for pk, size in sizes.items():
            if not size:
                continue
            # n -> the n-th opinion: every seventh on the whole text, one in five with wording, one in
            # twenty entered by staff, one in a hundred hidden; a unit picked from the draft's units
            cursor.execute(
                f"""
                WITH u AS (
                    SELECT array_agg(t.id ORDER BY t.position) AS ids
                    FROM {units} t JOIN {TextVersion._meta.db_table} v ON v.id = t.version_id
                    WHERE v.consultation_id = %(c)s AND v.kind = 'draft' AND t.kind IN ('article', 'paragraph')
                ), c AS (SELECT opens_at, closes_at FROM {Consultation._meta.db_table} WHERE id = %(c)s),
                g AS (
                    SELECT n, (n %% 7 = 0) AS whole, (n %% 20 = 3) AS offline,
                           LEAST(c.closes_at, now()) - ((n * 53) %% 100000 || ' seconds')::interval AS at
                    FROM generate_series(1, %(size)s) AS n, c
                )
                INSERT INTO {table}
                    (consultation_id, unit_id, author_id, as_resident, text, wording, source, submitter, received_on,
                     entered_by_id, created_at, is_hidden, support_count, classification, reason, answered_by_id,
                     answered_at)
                SELECT %(c)s,
                       CASE WHEN g.whole THEN NULL ELSE u.ids[1 + (g.n * 31) %% cardinality(u.ids)] END,
                       CASE WHEN g.offline THEN NULL ELSE %(first)s + (g.n * 7919) %% %(people)s END,
                       g.n %% 11 = 0,
                       '第' || g.n || '条意见：建议进一步明确责任主体和办理时限，便于居民监督。',
                       CASE WHEN NOT g.whole AND g.n %% 5 = 1 THEN '建议修改为：有关部门应当在十五个工作日内答复。'
                            ELSE '' END,
                       CASE WHEN g.offline THEN (ARRAY['letter', 'hotline', 'visit'])[1 + g.n %% 3] ELSE 'online' END,
                       CASE WHEN g.offline THEN '市民' || g.n ELSE '' END,
                       CASE WHEN g.offline THEN g.at::date END,
                       CASE WHEN g.offline THEN %(staff)s END,
                       g.at, g.n %% 100 = 42, 0,
                       '', '', NULL, NULL
                FROM g, u
                """,
                {"c": pk, "size": size, "first": first, "people": people, "staff": staff},
            )
            share = answered[pk]
            if share:
                for i, (classification, reason) in enumerate(ANSWERS):
                    cursor.execute(
                        f"""
                        UPDATE {table} SET classification = %s, reason = %s, answered_by_id = %s,
                            answered_at = (SELECT closes_at FROM {Consultation._meta.db_table} WHERE id = %s)
                                          + interval '10 days'
                        WHERE consultation_id = %s AND id %% 5 = %s AND (id * 13) %% 100 < %s
                        """,
                        [classification, reason, staff, pk, pk, i, int(share * 100)],
                    )
        # supports: each online, visible opinion of the big consultation gets a few (skewed), from distinct people
        cursor.execute(
            f"""
            INSERT INTO {support} (opinion_id, user_id, created_at)
            SELECT o.id, %s + ((o.id * 104729 + g) %% %s), o.created_at + (g || ' minutes')::interval
            FROM {table} o, generate_series(1, LEAST(%s, (o.id * 37) %% 13)) AS g
            WHERE o.consultation_id = %s AND o.source = 'online' AND NOT o.is_hidden
            """,
            [first, people, max(1, people - 1), big.pk],
        )


def _finals(consultations: list, staff: int) -> None:
    """The final text of every consultation whose result is published: a copy of the draft, each unit
    replacing its draft unit, every third article reworded because of the adopted opinions on it."""
    concluded = [c.pk for c in consultations if c.state == S.CONCLUDED]
    if not concluded:
        return
    versions, units = TextVersion._meta.db_table, TextUnit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {versions} (consultation_id, kind, source, source_format, note, created_by_id, created_at,
                                    published_at)
            SELECT c.id, 'final', '', 'plain', '', %s, c.concluded_at, c.concluded_at
            FROM {Consultation._meta.db_table} c WHERE c.id = ANY(%s)
            """,
            [staff, concluded],
        )
        cursor.execute(
            f"""
            INSERT INTO {units} (version_id, parent_id, position, kind, level, number, ordinal, anchor, text,
                                 replaces_id)
            SELECT f.id, NULL, t.position, t.kind, t.level, t.number, t.ordinal, t.anchor,
                   CASE WHEN t.kind = 'article' AND t.ordinal %% 3 = 0 THEN t.text || '具体办法由市人民政府另行制定。'
                        ELSE t.text END,
                   t.id
            FROM {units} t JOIN {versions} d ON d.id = t.version_id AND d.kind = 'draft'
            JOIN {versions} f ON f.consultation_id = d.consultation_id AND f.kind = 'final'
            WHERE d.consultation_id = ANY(%s)
            """,
            [concluded],
        )
        # the parents: the final unit that replaces the draft unit's parent
        cursor.execute(
            f"""
            UPDATE {units} f SET parent_id = fp.id
            FROM {units} d, {units} fp
            WHERE f.replaces_id = d.id AND d.parent_id IS NOT NULL AND fp.replaces_id = d.parent_id
              AND fp.version_id = f.version_id AND f.version_id IN (
                  SELECT id FROM {versions} WHERE kind = 'final' AND consultation_id = ANY(%s))
            """,
            [concluded],
        )
        cursor.execute(
            f"""
            INSERT INTO {TextUnit.changed_by.through._meta.db_table} (textunit_id, opinion_id)
            SELECT f.id, o.id
            FROM {units} f JOIN {versions} v ON v.id = f.version_id AND v.kind = 'final'
            JOIN {Opinion._meta.db_table} o
                ON o.unit_id = f.replaces_id AND o.classification IN ('adopted', 'partly_adopted')
            WHERE v.consultation_id = ANY(%s) AND f.kind = 'article' AND f.ordinal %% 3 = 0
            """,
            [concluded],
        )
