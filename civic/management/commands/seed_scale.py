"""The city-sized data set the benchmarks run against (bench/http.py): bulk SQL on PostgreSQL, minutes.

    DATABASE_URL=postgres://…/civic_perf_scale python manage.py seed_scale
        [--residents 50000] [--proposals 10000] [--cosignatures 1000000] [--comments 50000]
        [--ballots 2000] [--sessions 500] [--notices 5000]

The core makes the area tree (a city, 10 districts, 50 subdistricts, 200 communities, 1,000 grid cells) and
the residents, each verified in a grid cell; every later stage adds its part through
`civic.registry.scale_seeder` (proposals with their co-signatures and comments, an open ballot box, …).
Refuses a database that already has people: it is meant for an empty, migrated database of its own.
"""

import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from civic.models import Area, AreaLevel, ResidencyVerification, User
from civic.registry import SCALE_SEEDERS

# (level, children per parent)
TREE = [(AreaLevel.DISTRICT, 10), (AreaLevel.SUBDISTRICT, 5), (AreaLevel.COMMUNITY, 4), (AreaLevel.GRID, 5)]
PASSWORD = "bench-password"  # every seeded resident's password (bench/http.py signs in with it)


def _areas() -> dict[str, list[int]]:
    city = Area.objects.create(code="S", name="规模市", level=AreaLevel.CITY, path="/S/", depth=0)
    levels: dict[str, list[int]] = {AreaLevel.CITY: [city.pk]}
    parents = [city]
    for level, per_parent in TREE:
        made = [
            Area(
                code=f"{parent.code}{i:02d}",
                name=f"{parent.name[:40]}{i}",
                level=level,
                parent=parent,
                path=f"{parent.path}{parent.code}{i:02d}/",
                depth=parent.depth + 1,
            )
            for parent in parents
            for i in range(1, per_parent + 1)
        ]
        parents = Area.objects.bulk_create(made, batch_size=1000)
        levels[level] = [a.pk for a in parents]
    return levels


def _residents(count: int, cells: list[int]) -> tuple[int, int]:
    """`count` active residents (bench{n}@scale.example), each with an approved verification; their id range."""
    password = make_password(PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {User._meta.db_table}
                (password, is_superuser, email, display_name, phone, preferred_language, bio, is_hidden,
                 is_active, is_staff, date_joined)
            SELECT %s, false, 'bench' || n || '@scale.example', '居民' || n, '', 'zh-hans', '', false,
                   true, false, now() - (n || ' minutes')::interval
            FROM generate_series(1, %s) AS n
            RETURNING id
            """,
            [password, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
        first, last = min(ids), max(ids)
        cursor.execute(
            f"""
            INSERT INTO {ResidencyVerification._meta.db_table}
                (user_id, cell_id, address, proof, status, created_at, decided_at, reason, expires_at)
            SELECT u.id, (%s::bigint[])[1 + (u.id %% %s)], '规模路' || u.id || '号', '', 'approved',
                   now() - interval '30 days', now() - interval '29 days', '', now() + interval '700 days'
            FROM {User._meta.db_table} u WHERE u.id BETWEEN %s AND %s
            """,
            [cells, len(cells), first, last],
        )
        cursor.execute(
            """
            INSERT INTO account_emailaddress (user_id, email, verified, "primary")
            SELECT id, email, true, true FROM civic_user WHERE id BETWEEN %s AND %s
            """,
            [first, last],
        )
    return first, last


class Command(BaseCommand):
    help = "Fill an empty PostgreSQL database with a city-sized data set for the benchmarks (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=50_000)
        parser.add_argument("--proposals", type=int, default=10_000)
        parser.add_argument("--cosignatures", type=int, default=1_000_000)
        parser.add_argument("--comments", type=int, default=50_000)
        parser.add_argument(
            "--reports", type=int, default=100_000, help="small-matter reports (if that stage is installed)"
        )
        parser.add_argument("--opinions", type=int, default=5_000, help="opinions on one consultation (likewise)")
        parser.add_argument("--ballots", type=int, default=2_000, help="ballot boxes over the areas, in every phase")
        parser.add_argument("--sessions", type=int, default=500, help="council sessions (most with minutes)")
        parser.add_argument("--notices", type=int, default=5_000, help="outcome notices on the areas' boards")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale fills a PostgreSQL database (set DATABASE_URL).")
        if User.objects.exists():
            raise CommandError("This database already has people; seed_scale needs an empty, migrated database.")
        started = time.monotonic()
        with transaction.atomic():
            levels = _areas()
            first, last = _residents(options["residents"], levels[AreaLevel.GRID])
            self.stdout.write(f"areas and {options['residents']} residents: {time.monotonic() - started:.0f} s")
            world = {**options, "areas": levels, "residents": (first, last)}
            for seeder in SCALE_SEEDERS:
                step = time.monotonic()
                seeder(world)
                self.stdout.write(f"{seeder.__module__}: {time.monotonic() - step:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"seeded in {time.monotonic() - started:.0f} s"))
