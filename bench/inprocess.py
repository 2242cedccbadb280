"""What each page costs inside one process: SQL queries, Redis round trips and this process's CPU time per
request (the median), next to a bare view's. A companion to bench/http.py for a busy machine: CPU time
leaves out the waits for the database and Redis (which other work on the machine stretches), so pages
compare fairly; the round trips say what the waits would be (the median wall time, printed too, includes
them). Visitors' rows are a new visitor on every request (no cookie kept), as in bench/http.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your seeded db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
    DJANGO_ENV=production DJANGO_SECRET_KEY=<60 characters> DJANGO_ALLOWED_HOSTS=127.0.0.1 \\
    DJANGO_SITE_URL=http://127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 CIVIC_BENCH_BARE_VIEW=1 \\
    .venv/bin/python bench/inprocess.py [--rounds 300] [--only list,detail-signed-in] [--sql]
    .venv/bin/python bench/inprocess.py --ballots 500 [--sql] [--profile any]

`--ballots N` casts N ballots through the API (`POST /api/ballots/ID/vote/` with a token) in a fresh box,
each by a voter who has not voted in it, and prints CPU ms, queries and Redis round trips per ballot;
`--profile any` prints the 30 costliest functions of those ballots (cProfile).

Needs `collectstatic` once for the production settings. Prints; asserts nothing. Writes only a session and
the page cache's kept parts (and, with --ballots, a box, its ballots and API tokens for the voters).
"""

import argparse
import os
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the project, not bench/ (whose http.py would hide http)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")

import django  # noqa: E402

django.setup()

import redis.connection  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from civic.models import User  # noqa: E402
from consultations.models import Consultation  # noqa: E402
from proposals.models import Proposal  # noqa: E402

_round_trips = {"redis": 0}
_read_response = redis.connection.AbstractConnection.read_response


def _counting(self, *args, **kwargs):
    _round_trips["redis"] += 1
    return _read_response(self, *args, **kwargs)


redis.connection.AbstractConnection.read_response = _counting  # type: ignore[method-assign]


def _signed_in_client(person=None) -> Client:
    person = person or User.objects.filter(email__endswith="@scale.example").order_by("pk").first()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(person.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = person.get_session_auth_hash()
    store.create()
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client


class _Visitor(Client):
    """A new visitor on every request: no cookie kept (as bench/http.py's wrk keeps none)."""

    def request(self, **request):
        self.cookies.clear()
        return super().request(**request)


def _facts() -> dict:
    """The pages' objects, picked as bench/http.py's preparation picks them."""
    from django.utils import timezone

    from civic.models import Area
    from deliberation.models import BallotBox, BoxState
    from funding.models import MicroProject

    now = timezone.now()
    proposal = (
        Proposal.objects.filter(is_hidden=False, state="published", comment_count__gte=5)
        .order_by("-endorsement_count")
        .values_list("pk", flat=True)[:1]
        or Proposal.objects.filter(is_hidden=False, state="published").values_list("pk", flat=True)[:1]
    )[0]
    ballot = (
        BallotBox.objects.filter(state=BoxState.SCHEDULED, imported=False, opens_at__lte=now, closes_at__gt=now)
        .exclude(area__code="S")
        .order_by("-turnout", "pk")
        .values_list("pk", flat=True)[:1][0]
    )
    district = Area.objects.filter(level="district").order_by("code").values_list("code", flat=True)[:1][0]
    project = (
        MicroProject.objects.filter(state="closed").order_by("-budget", "pk").values_list("pk", flat=True)[:1]
        or MicroProject.objects.values_list("pk", flat=True)[:1]
        or [0]
    )[0]
    funded = (MicroProject.objects.values_list("area_path", flat=True)[:1] or ["/S/S01/"])[0].split("/")[2]
    # the open consultation with the most opinions (5,000 seeded), as bench/http.py measures it
    consultation = (
        Consultation.objects.filter(state="open").order_by("-opinion_count", "pk").values_list("pk", flat=True)[0]
    )
    return {
        "proposal": proposal,
        "ballot": ballot,
        "district": district,
        "project": project,
        "funded": funded,
        "consultation": consultation,
    }


def pages() -> list[tuple[str, str, Client]]:
    """bench/http.py's pages for a new visitor each request, and the signed-in rows."""
    visitor, signed_in = _Visitor(HTTP_HOST="127.0.0.1"), _signed_in_client()
    f = _facts()
    p = f["proposal"]
    rows = [
        ("bare", "/_bench/bare/"),
        ("list", "/proposals/"),
        ("list-page-200", "/proposals/?page=200"),
        ("detail", f"/proposals/{p}/"),
        ("area", "/areas/S01/"),
        ("home", "/"),
        ("areas", "/areas/"),
        ("ballots", "/ballots/"),
        ("ballot", f"/ballots/{f['ballot']}/"),
        ("sessions", "/sessions/"),
        ("notices", f"/areas/{f['district']}/notices/"),
        ("api-list", "/api/proposals/?page=200"),
        ("projects", "/projects/"),
        ("project", f"/projects/{f['project']}/"),
        ("ledger", f"/areas/{f['funded']}/ledger/"),
        ("board", "/areas/S01/casework/"),
        ("consultations", "/consultations/"),
        ("consultation", f"/consultations/{f['consultation']}/"),
        ("opinions", f"/consultations/{f['consultation']}/opinions/"),
        ("scorecard", "/scorecard/"),
        ("scorecard-area", f"/areas/{f['funded']}/scorecard/"),
    ]
    signed = ("list", "detail", "area", "home", "board", "consultations", "consultation", "opinions")
    both = [(name, path, visitor) for name, path in rows]
    both += [(f"{name}-signed-in", path, signed_in) for name, path in rows if name in signed]
    more = ("ballots", "ballot", "notices", "projects", "project")
    both += [(f"{name}-signed-in", path, signed_in) for name, path in rows if name in more]
    if (member := _unit_member()) is not None:  # as bench/http.py: a member of the busiest unit, its queue
        both.append(("queue", "/casework/queue/lists/", _signed_in_client(member)))
    return both


def _unit_member():
    from django.db.models import Count

    from casework.models import Report
    from civic.models import Membership

    busiest = (
        Report.objects.filter(state__in=["dispatched", "in_progress"])
        .values("unit__organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        return None
    member = Membership.objects.filter(organisation=busiest["unit__organisation"]).order_by("pk").first()
    return member.user if member else None


def recompute(rounds: int, show_sql: bool) -> None:
    """What a scorecard page costs when its figures must be computed: afresh (a write, a first participation
    in the year, midnight) and when a small-matter deadline passed (the day's numbers kept, the small
    matters' rates computed): the context of the city's and a district's page, this year, in wall-clock
    and CPU ms, with its queries and their time."""
    from django.test import RequestFactory
    from django.utils import translation

    from civic.models import Area, PagePart
    from scorecard.period import parse_period
    from scorecard.views.dashboard import _dashboard_context

    request = RequestFactory().get("/scorecard/")
    translation.activate(settings.LANGUAGE_CODE)
    print(f"{'recompute':<28} {'wall ms':>8} {'cpu ms':>8} {'queries':>8} {'sql ms':>8}")
    district = Area.objects.get(code="S01")
    cases = [(name, area) for name, area in (("scorecard", None), ("scorecard-area", district))]
    for name, area, fresh in [(n + how, a, how == "") for n, a in cases for how in ("", " (deadline)")]:
        for _round in range(rounds):
            if fresh:
                PagePart.objects.filter(sub="value").delete()  # the day's numbers too
            queries: list[tuple[float, str]] = []

            def log(execute, sql, params, many, context, queries=queries):
                began = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    queries.append(((time.perf_counter() - began) * 1000, sql))

            period = parse_period({}, today=None)
            started, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(log):
                _dashboard_context(request, area, period, None)
            wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
            sql_ms = sum(ms for ms, _sql in queries)
            print(f"{name:<28} {wall:8.0f} {cpu:8.0f} {len(queries):8} {sql_ms:8.0f}")
            if show_sql:
                for ms, sql in sorted(queries, reverse=True)[:15]:
                    print(f"    {ms:7.1f} ms  {sql[:160]}")


def ballots(n: int, sql: bool, profile: int) -> None:
    """Cast `n` ballots through the API in a fresh box (as bench/http.py does), one voter after another."""
    from datetime import timedelta

    from django.utils import timezone

    from civic.models import Area
    from deliberation.models import BallotBox, BallotOption, BoxKind, BoxState

    first = User.objects.filter(email__endswith="@scale.example").order_by("pk").values_list("pk", flat=True)[0]
    with connection.cursor() as cursor:  # an API token for each voter (idempotent), as bench/http.py makes them
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id, created) SELECT md5('bench' || id), id, now() "
            "FROM civic_user WHERE id BETWEEN %s AND %s ON CONFLICT DO NOTHING",
            [first, first + n],
        )
        cursor.execute(
            "SELECT key FROM authtoken_token WHERE user_id BETWEEN %s AND %s ORDER BY user_id", [first, first + n]
        )
        tokens = [row[0] for row in cursor.fetchall()]
    city, now = Area.objects.get(code="S"), timezone.now()
    box = BallotBox.objects.create(
        area=city,
        area_path=city.path,
        kind=BoxKind.QUESTION,
        title=f"基准表决 {now:%H:%M:%S}",
        state=BoxState.SCHEDULED,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    BallotOption.objects.bulk_create(
        BallotOption(box=box, title=p, project_id=p, position=i) for i, p in enumerate(["yes", "no", "abstain"])
    )
    client, url = Client(HTTP_HOST="127.0.0.1"), f"/api/ballots/{box.pk}/vote/"

    def cast(token: str) -> None:
        response = client.post(
            url, b'{"choices": ["yes"]}', content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
        assert response.status_code == 201, (response.status_code, response.content[:300])

    cast(tokens.pop())  # the first ballot of the process reads the options
    queries: list[str] = []

    def log(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    _round_trips["redis"] = 0
    with connection.execute_wrapper(log):
        cast(tokens.pop())
    if sql:
        print("ballot", *(f"    {q[:200]}" for q in queries), sep="\n")
    n_redis = _round_trips["redis"]
    voters = tokens[: max(0, n - 2)]
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU time, not the waits
        profiler.enable()
    started, wall = time.process_time(), time.perf_counter()
    for token in voters:
        cast(token)
    cpu, elapsed = time.process_time() - started, time.perf_counter() - wall
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)
    print(f"{'row':<20} {'cpu ms':>7} {'wall ms':>8} {'queries':>8} {'redis':>6}")
    print(
        f"{'ballot':<20} {cpu * 1000 / len(voters):7.2f} {elapsed * 1000 / len(voters):8.2f} "
        f"{len(queries):8} {n_redis:6}   ({len(voters)} ballots)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--only", default="")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument("--recompute", action="store_true", help="time the scorecards' figures computed afresh")
    parser.add_argument("--ballots", type=int, default=0, help="cast this many ballots instead of reading pages")
    parser.add_argument(
        "--profile",
        default="",
        help="a page's name (with --ballots: any): its cProfile",
    )
    args = parser.parse_args()
    if args.recompute:
        recompute(args.rounds if args.rounds != 300 else 3, args.sql)
        return
    if args.ballots:
        ballots(args.ballots, args.sql, 30 if args.profile else 0)
        return
    only = set(filter(None, args.only.split(",")))
    measured = [row for row in pages() if not only or row[0] in only or row[0] == "bare"]
    facts = {}
    for name, path, client in measured:
        client.get(path)  # fill the caches
        queries: list[str] = []

        def log(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        _round_trips["redis"] = 0
        with connection.execute_wrapper(log):
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        facts[name] = (len(queries), _round_trips["redis"], len(response.content))
        if args.sql:
            print(name, *(f"    {sql[:200]}" for sql in queries), sep="\n")
    cpu: dict[str, list[float]] = {name: [] for name, _path, _client in measured}
    wall: dict[str, list[float]] = {name: [] for name, _path, _client in measured}
    for _round in range(args.rounds):  # every page once per round: the machine's load falls alike on all
        for name, path, client in measured:
            started, clock = time.process_time(), time.perf_counter()
            client.get(path)
            cpu[name].append((time.process_time() - started) * 1000)
            wall[name].append((time.perf_counter() - clock) * 1000)
    if args.profile:
        _profile([row for row in measured if row[0] in ("bare", args.profile)], args.rounds)
    bare = statistics.median(cpu["bare"])
    print(f"{'page':<20} {'cpu ms':>7} {'share':>6} {'wall ms':>8} {'queries':>8} {'redis':>6} {'bytes':>7}")
    for name, times in cpu.items():
        n_queries, n_redis, size = facts[name]
        # the median: a request the machine preempted, or one a garbage collection fell in, is not the page
        mean = statistics.median(times)
        middle = statistics.median(wall[name])
        print(f"{name:<20} {mean:7.2f} {bare / mean:6.0%} {middle:8.2f} {n_queries:8} {n_redis:6} {size:7}")


def _profile(rows, rounds: int) -> None:
    import cProfile
    import pstats

    for name, path, client in rows:
        profiler = cProfile.Profile(time.process_time)  # CPU: the waits for the database left out
        profiler.enable()
        for _round in range(rounds):
            client.get(path)
        profiler.disable()
        print(f"--- {name}: {rounds} requests")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
