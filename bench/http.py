"""Pages at city scale, measured from outside in the production layout (docs/deploy.md) without nginx.

Each page's throughput is printed as a share of a bare view's (a two-byte answer through the same
middleware), measured with wrk in alternating bursts in the same run, so the ratio does not depend on how
busy the machine is; then p50/p99. Then casting a ballot: closed loop (N voters, each sending as soon as the
last answer came) and open loop (a steady rate). Prints; asserts nothing.

    createdb civic_perf_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civic_perf_scale python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civic_perf_scale python manage.py seed_scale
    .venv/bin/python bench/http.py [--seconds 10] [--only list,detail] [--skip-ballots] [--ballots-only]
        [--live [--live-nice N] [--listeners-nice N]] [--gunicorn "--workers 5 --preload --max-requests 0"]

`--live` runs bench/live.py at the same time (1,000 listeners on `uvicorn --workers 2` with the Redis
channel layer, a chair issuing a command every quarter second) and prints its delivery latency at the end.
`--live-nice N` runs the uvicorn processes at that priority relative to gunicorn (`nice -n N`; below 0
needs root): -5 by default, as docs/deploy.md runs them ("CPU priority"); `--live-nice 0` measures them
at gunicorn's priority.
`--listeners-nice N` (default -10 as root, else 0) runs the 1,000 listening sockets' process at that
priority: they stand for phones elsewhere, and a listener waiting behind the page workers for CPU would
measure its own wait instead of the server's. The open loop's voters (this process, in Python) run at the
same priority while they send, for the same reason: a voter's request is due at a fixed moment, and a
sender waiting for CPU behind the workers it measures would count its own delay as the server's.

Needs wrk (Debian's package), the seeded database (DATABASE_URL, default civic_perf_scale) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/9; its keys are prefixed `bench`).
"""

import argparse
import asyncio
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LIVE_NICE = -5 if os.geteuid() == 0 else 0  # uvicorn ahead of gunicorn for CPU, as docs/deploy.md runs it
LISTENERS_NICE = -10 if os.geteuid() == 0 else 0  # the measuring listeners ahead of the server (see above)
DEPLOY_ARGS = "--workers 5 --preload --max-requests 0"  # what docs/deploy.md says, measured here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var_dir: str) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civic_perf_scale")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    # wrk calls from one address: the API's per-address limit (still checked on every call) must not refuse it
    env.setdefault("DJANGO_API_ANON_RATE", "10000000/minute")
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SITE_URL="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_VAR_DIR=var_dir,
        DJANGO_CACHE_PREFIX="bench",
        CIVIC_BENCH_BARE_VIEW="1",
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="civic.settings",
    )
    return env


PREPARE = r"""
import json, django
django.setup()
from datetime import timedelta
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from civic.models import Area, User
from deliberation.models import BallotBox, BallotOption, BoxKind, BoxState
from proposals.models import Proposal

call_command("collectstatic", "--noinput", verbosity=0)
cache.clear()
from civic import pagecache
pagecache.compact_backlog(seconds=600)  # earlier runs' ballots' change rows folded, as `manage.py tick` keeps them
first = User.objects.filter(email__endswith="@scale.example").order_by("pk").values_list("pk", flat=True)[:1][0]
voters = int(__import__("os").environ["BENCH_VOTERS"])
with connection.cursor() as cursor:  # an API token for each voter (idempotent)
    cursor.execute(
        "INSERT INTO authtoken_token (key, user_id, created) SELECT md5('bench' || id), id, now() FROM civic_user "
        "WHERE id BETWEEN %s AND %s ON CONFLICT DO NOTHING",
        [first, first + voters - 1],
    )
    cursor.execute(
        "SELECT key FROM authtoken_token WHERE user_id BETWEEN %s AND %s ORDER BY user_id", [first, first + voters - 1]
    )
    tokens = [row[0] for row in cursor.fetchall()]
city = Area.objects.get(code="S")
now = timezone.now()
box = BallotBox.objects.create(  # a fresh box per run, so every voter votes for the first time
    area=city, area_path=city.path, kind=BoxKind.QUESTION, title=f"基准表决 {now:%H:%M:%S}",
    state=BoxState.SCHEDULED, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1),
)
BallotOption.objects.bulk_create(
    BallotOption(box=box, title=p, project_id=p, position=i) for i, p in enumerate(["yes", "no", "abstain"])
)
def session_of(user):
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key
session = session_of(User.objects.get(pk=first))
# the CSRF cookie a browser holds from its first page on (without it every page would make and set a new one)
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.utils.crypto import get_random_string
csrf = get_random_string(32, CSRF_ALLOWED_CHARS)
# A member of the unit with the most reports in its queue (casework's scale seeder makes units and members).
from django.db.models import Count
from casework.models import Report
from civic.models import Membership
busiest = (Report.objects.filter(state__in=["dispatched", "in_progress"]).values("unit__organisation")
           .annotate(n=Count("id")).order_by("-n").first())
member = (Membership.objects.filter(organisation=busiest["unit__organisation"]).order_by("pk").first()
          if busiest else None)
unit_session = session_of(member.user) if member else None
proposal = (Proposal.objects.filter(is_hidden=False, state="published", comment_count__gte=5)
            .order_by("-endorsement_count").values_list("pk", flat=True)[:1]
            or Proposal.objects.filter(is_hidden=False, state="published").values_list("pk", flat=True)[:1])[0]
from consultations.models import Consultation  # the open consultation with the most opinions (5,000 seeded)
consultation = (Consultation.objects.filter(state="open").order_by("-opinion_count", "pk")
                .values_list("pk", flat=True)[:1][0])
# a seeded community vote that is open now (not the box the benchmark votes in), and a district
ballot = (BallotBox.objects.filter(state=BoxState.SCHEDULED, imported=False, opens_at__lte=now, closes_at__gt=now)
          .exclude(pk=box.pk).exclude(area=city).order_by("-turnout", "pk").values_list("pk", flat=True)[:1][0])
district = Area.objects.filter(level="district").order_by("code").values_list("code", flat=True)[:1][0]
from funding.models import MicroProject
# the project with the most ledger entries (its page shows them all), and a district with projects
project = (MicroProject.objects.filter(state="closed").order_by("-budget", "pk").values_list("pk", flat=True)[:1]
           or MicroProject.objects.values_list("pk", flat=True)[:1] or [0])[0]
funded = (MicroProject.objects.values_list("area_path", flat=True)[:1] or ["/S/S01/"])[0].split("/")[2]
# The scorecards take seconds to compute at this scale, once per version of what they count: render the
# funding and scorecard pages once here, so the runs measure them kept (the steady state), not a crowd of
# first readers computing the same figures at once.
from django.test import Client
for path in ("/projects/", f"/projects/{project}/", f"/areas/{funded}/ledger/", "/scorecard/",
             f"/areas/{funded}/scorecard/"):
    Client().get(path, HTTP_HOST="127.0.0.1")
print(json.dumps({"tokens": tokens, "box": box.pk, "session": session, "csrf": csrf, "proposal": proposal,
                  "unit_session": unit_session, "consultation": consultation, "ballot": ballot,
                  "district": district, "project": project, "funded": funded}))
"""


def prepare(env: dict, voters: int) -> dict:
    import json

    out = subprocess.run(
        [PY, "-c", PREPARE], env={**env, "BENCH_VOTERS": str(voters)}, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_for(port: int, path: str = "/_bench/bare/", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                if s.recv(64).split(b" ")[1:2] == [b"200"]:
                    return
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(url: str, seconds: int, connections: int = 32, headers=(), script: str | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout

    def latency(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        return float(m.group(1)) * UNIT[m.group(2)] if m else float("nan")

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": int(bad.group(1)) if bad else 0,
        "timeouts": int(errors.group(1)) if errors else 0,
    }


def drain(port: int, seconds: float = 90) -> None:
    """Wait until the requests a burst left queued are served (a bare request answers quickly again)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        wait_for(port)
        if time.monotonic() - started < 0.2:
            return


def pages(base: str, facts: dict) -> list[tuple[str, str, tuple, float]]:
    """(name, path, headers, goal as a share of the bare view)."""
    cookie = f"csrftoken={facts['csrf']}; sessionid="  # a signed-in browser's two cookies
    signed = (f"Cookie: {cookie}{facts['session']}",)
    p = facts["proposal"]
    c = facts["consultation"]
    return [
        ("list", "/proposals/", (), 0.50),
        ("list-page-200", "/proposals/?page=200", (), 0.50),
        ("list-signed-in", "/proposals/", signed, 0.25),
        ("detail", f"/proposals/{p}/", (), 0.50),
        ("detail-signed-in", f"/proposals/{p}/", signed, 0.25),
        ("area", "/areas/S01/", (), 0.50),
        ("home", "/", (), 0.50),
        ("areas", "/areas/", (), 0.50),
        ("ballots", "/ballots/", (), 0.50),
        ("ballot", f"/ballots/{facts['ballot']}/", (), 0.50),
        ("sessions", "/sessions/", (), 0.50),
        ("notices", f"/areas/{facts['district']}/notices/", (), 0.50),
        ("api-list", "/api/proposals/?page=200", (), 0.0),
        ("consultations", "/consultations/", (), 0.50),
        ("consultation", f"/consultations/{c}/", (), 0.50),
        ("consultation-signed-in", f"/consultations/{c}/", signed, 0.25),
        ("opinions", f"/consultations/{c}/opinions/", (), 0.50),
        ("projects", "/projects/", (), 0.50),
        ("project", f"/projects/{facts['project']}/", (), 0.50),
        ("ledger", f"/areas/{facts['funded']}/ledger/", (), 0.50),
        ("scorecard", "/scorecard/", (), 0.50),
        ("scorecard-area", f"/areas/{facts['funded']}/scorecard/", (), 0.50),
        ("board", "/areas/S01/casework/", (), 0.50),
        ("board-signed-in", "/areas/S01/casework/", signed, 0.25),
        *(
            [("queue", "/casework/queue/lists/", (f"Cookie: {cookie}{facts['unit_session']}",), 0.25)]
            if facts.get("unit_session")
            else []
        ),
    ]


VOTE_LUA = """
local tokens = {}
local next_index = 0
thread_no = 0  -- a global: setup() sets it in each thread's own state (a local would hide it)
local threads = {}
function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines(args[1]) do table.insert(tokens, line) end
  next_index = thread_no
end
function request()
  local token = tokens[(next_index % #tokens) + 1]
  next_index = next_index + 2
  return wrk.format("POST", nil, {["Authorization"] = "Token " .. token, ["Content-Type"] = "application/json"},
                    '{"choices": ["yes"]}')
end
"""


async def open_loop(port: int, path: str, tokens: list[str], rate: float, seconds: float, clients: int) -> dict:
    """`rate` requests a second at fixed times, sent by `clients` voters, each on a connection of its own
    (gunicorn's sync workers answer with `Connection: close`, as they do for wrk); latency counts from the
    moment a request was due, so a slow server cannot slow the arrivals down: a request that finds every
    voter busy waits in the queue, and that wait is part of its latency."""
    queue: asyncio.Queue = asyncio.Queue()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    total = int(rate * seconds)
    body = b'{"choices": ["yes"]}'

    async def client():
        while True:
            item = await queue.get()
            if item is None:
                return
            due, token = item
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                    "Connection: close\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                answer = await reader.read()  # to the end: the server closes after the answer
                writer.close()
            except OSError:  # refused or reset: counted as status 0, with the time it took to fail
                answer = b""
            latencies.append(time.monotonic() - due)
            parts = answer.split(b" ", 2)
            code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            statuses[code] = statuses.get(code, 0) + 1

    workers = [asyncio.create_task(client()) for _ in range(clients)]
    start = time.monotonic() + 0.5
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        queue.put_nowait((due, tokens[i % len(tokens)]))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "sent": total,
        "rps": len(latencies) / (time.monotonic() - start),
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "statuses": statuses,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--gunicorn", default=DEPLOY_ARGS, help="gunicorn's arguments besides the bind")
    parser.add_argument("--skip-ballots", action="store_true")
    parser.add_argument("--ballots-only", action="store_true", help="only the ballot rows (no pages)")
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument(
        "--live",
        action="store_true",
        help="also run bench/live.py (1,000 listeners, uvicorn workers as docs/deploy.md) while the HTTP rows run",
    )
    parser.add_argument(
        "--live-nice",
        type=int,
        default=LIVE_NICE,
        help="the uvicorn processes' niceness relative to gunicorn (default -5, as docs/deploy.md; 0: the same)",
    )
    parser.add_argument(
        "--listeners-nice",
        type=int,
        default=LISTENERS_NICE,
        help="the live listeners' and the open loop's voters' niceness (they stand for phones elsewhere; "
        "default -10 as root, else 0)",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    var_dir = tempfile.mkdtemp(prefix="civic-bench-")
    env = environment(var_dir)
    need = args.rate * args.seconds * 2 + args.voters * 200 if not args.skip_ballots else 1
    facts = prepare(env, min(45_000, int(need)))
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "civic.wsgi:application", "--bind", f"127.0.0.1:{port}", *shlex.split(args.gunicorn)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(var_dir) / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    base = f"http://127.0.0.1:{port}"
    live = None
    stop_live = Path(var_dir) / "live.stop"
    try:
        wait_for(port)
        if args.live:  # the live layer on the same machine, measured while the HTTP rows run
            live = subprocess.Popen(
                [
                    *(PY, str(ROOT / "bench" / "live.py"), "--clients", "1000"),
                    *("--stop-file", str(stop_live), "--nice", str(args.live_nice)),
                    *("--listeners-nice", str(args.listeners_nice)),
                ],
                cwd=ROOT,
                env={k: v for k, v in env.items() if k != "CIVIC_BENCH_BARE_VIEW"},
                stdout=subprocess.PIPE,
                text=True,
            )
            print("live: 1,000 listeners connecting; the HTTP rows run while their session's events fan out")
            time.sleep(30)  # connected before the measured bursts start
        chosen = [p for p in pages(base, facts) if not args.only or p[0] in args.only.split(",")]
        if args.ballots_only:
            chosen = []
        for _name, path, headers, _goal in chosen:  # warm every worker
            wrk(base + path, 2, connections=5, headers=headers)
        drain(port)
        wrk(base + "/_bench/bare/", 3)
        print(f"gunicorn {args.gunicorn}; wrk -t2 -c32, alternating {args.seconds} s bursts; load {os.getloadavg()}")
        print(f"{'page':<22} {'req/s':>8} {'bare req/s':>10} {'share':>7} {'goal':>5} {'p50 ms':>8} {'p99 ms':>8}")
        bare = wrk(base + "/_bench/bare/", args.seconds)
        print(f"{'bare':<22} {bare['rps']:8.0f} {'':>10} {'':>7} {'':>5} {bare['p50']:8.1f} {bare['p99']:8.1f}")
        for name, path, headers, goal in chosen:
            page = wrk(base + path, args.seconds, headers=headers)
            drain(port)
            after = wrk(base + "/_bench/bare/", args.seconds)
            yardstick = max(1.0, (bare["rps"] + after["rps"]) / 2)
            bare = after
            share = page["rps"] / yardstick
            flag = "" if share >= goal else "  below goal"
            if page["non2xx"] or page["timeouts"]:
                flag += f"  ({page['non2xx']} non-2xx, {page['timeouts']} timeouts)"
            print(
                f"{name:<22} {page['rps']:8.0f} {yardstick:10.0f} {share:7.1%} {goal:5.0%} "
                f"{page['p50']:8.1f} {page['p99']:8.1f}{flag}"
            )
        if not args.skip_ballots:
            vote = f"/api/ballots/{facts['box']}/vote/"
            tokens = facts["tokens"]
            half = len(tokens) // 2
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                f.write("\n".join(tokens[:half]))
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as s:
                s.write(VOTE_LUA.replace("io.lines(args[1])", f'io.lines("{f.name}")'))
            closed = wrk(base + vote, args.seconds, connections=args.voters, script=s.name)
            print(
                f"ballot, closed loop, {args.voters} voters: {closed['rps']:.0f} ballots/s, "
                f"p50 {closed['p50']:.0f} ms, p99 {closed['p99']:.0f} ms, {closed['non2xx']} refused"
            )
            drain(port)  # the ballots wrk left queued when it stopped are served before the open loop starts
            os.setpriority(os.PRIO_PROCESS, 0, args.listeners_nice)  # the voters stand for phones elsewhere
            try:
                opened = asyncio.run(open_loop(port, vote, tokens[half:], args.rate, args.seconds, args.voters))
            finally:
                os.setpriority(os.PRIO_PROCESS, 0, 0)
            print(
                f"ballot, open loop, {args.rate:.0f}/s from {args.voters} voters: {opened['rps']:.0f} answered/s, "
                f"p50 {opened['p50']:.0f} ms, p95 {opened['p95']:.0f} ms, p99 {opened['p99']:.0f} ms, "
                f"statuses {opened['statuses']}"
            )
    finally:
        stop_live.touch()
        if live is not None:
            print(live.communicate(timeout=300)[0], end="")
        server.terminate()
        server.wait(timeout=30)
        log = (Path(var_dir) / "gunicorn.log").read_text()
        errors = [line for line in log.splitlines() if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line]
        print(f"server log: {len(errors)} errors" + (f"; first: {errors[0]}" if errors else ""))


if __name__ == "__main__":
    main()
    sys.exit(0)
