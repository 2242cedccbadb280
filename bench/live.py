"""Live session fan-out: N watching screens, a chair issuing commands; prints the delivery latency of
events (command sent → event received on every screen) and what connecting cost. Prints; asserts nothing.

Run: .venv/bin/python bench/live.py [--clients 1000] [--commands 20] [--workers 2] [--nice N] [--listeners-nice N]

With DATABASE_URL and REDIS_URL set it runs the production layout of docs/deploy.md: `uvicorn --workers N`
(one per core), the Redis channel layer and PostgreSQL, DJANGO_ENV=production; the session is created in
that database under its city `S` (bench/http.py's seeded database). Without them it uses its own SQLite
database in a temporary folder and the in-memory channel layer in one process.
`--stop-file F` keeps the chair issuing commands until F exists (bench/http.py --live, to measure while
the HTTP benchmark runs). `--nice N` starts uvicorn under `nice -n N` (below 0 needs root), to measure the
live processes at another CPU priority than the page workers. `--listeners-nice N` runs this process (the
1,000 listeners and the chair) under `nice -n N` once uvicorn has started: the listeners stand for phones
elsewhere, and on a machine whose cores the HTTP benchmark saturates, a listener left waiting for CPU
measures its own wait, not the server's (bench/http.py --live gives it -10 when it may).

Where the time goes: "command answered" is the chair's command sent → its "ok" (the transaction, then
the publish to Redis); "after the answer" is each screen's delivery minus that answer (the fan-out; it
can be negative: a screen may get the event before the chair gets its "ok"); "loop lag" is a ping → pong
on one more socket every 0.1 s, which touches no database: how long an event loop of uvicorn takes to
get to a message.
"""

import argparse
import asyncio
import json
import os
import re
import resource
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEQ = re.compile(r'"seq": (\d+)')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of process `pid` and its descendants (uvicorn and its workers), from
    /proc; None where there is none."""
    total, pending = 0.0, [pid]
    try:
        tick = os.sysconf("SC_CLK_TCK")
        while pending:
            current = pending.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
    except (OSError, ValueError):
        return None
    return total


def production() -> bool:
    return bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def environment(var_dir: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civic.settings", "DJANGO_VAR_DIR": var_dir}
    if production():
        env.update(
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY="bench-" + "x" * 60,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SITE_URL="http://127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            # the pub/sub channels are shared by every database number of a Redis: set another prefix to
            # run beside another benchmark on the same Redis
            DJANGO_CACHE_PREFIX=os.environ.get("DJANGO_CACHE_PREFIX", "bench"),
            DJANGO_LOG_LEVEL="ERROR",
        )
    else:
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
    return env


def prepare(env: dict):
    """A council session to watch and its chair's cookie: (session id, chair cookie). In a fresh SQLite
    database (migrated here), or in the production database under its city `S`."""
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    # this folder holds bench/http.py, which must not stand in for the standard library's `http`
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from civic.models import Area, AreaLevel, AreaRole
    from civic.services import area_create
    from deliberation import services

    user_model = get_user_model()
    if production():
        city = Area.objects.get(code="S")
    else:
        call_command("migrate", verbosity=0)
        city = area_create(code="B1", name="基准市", level=AreaLevel.CITY)
    chair = user_model.objects.filter(email="chair@bench.example").first()
    if chair is None:
        chair = user_model.objects.create_user(email="chair@bench.example", password="x", display_name="主持人")
    AreaRole.objects.get_or_create(user=chair, area=city, role="organiser")
    council = services.council_create(actor=chair, area=city, name=f"基准议事会 {timezone.now():%m-%d %H:%M:%S}")
    session = services.session_schedule(
        actor=chair,
        council=council,
        title="基准会议",
        starts_at=timezone.now() + timedelta(hours=1),
        items=[("议题", None, 10)],
    )
    store = SessionStore()
    store["_auth_user_id"] = str(chair.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = chair.get_session_auth_hash()
    store.create()
    from django.db import connections

    connections.close_all()
    return session.pk, f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


async def run(url, session_id, cookie, clients, commands, stop_file=None, server_pid=None):
    import websockets

    ws_url = url.replace("http://", "ws://") + f"/ws/sessions/{session_id}/"
    received: dict[int, list[float]] = {}

    async def watcher(ready):
        async with websockets.connect(
            ws_url, additional_headers={"Origin": url}, open_timeout=60, max_queue=None
        ) as ws:
            await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
            await ws.recv()
            ready.set_result(True)
            while True:
                # the numbers only, not the JSON: this one process stands for a thousand phones, and decoding
                # every message (events and the session's view) took it more CPU than the server's fan-out
                text = await ws.recv()
                now = time.perf_counter()
                for seq in set(SEQ.findall(text)):  # the events' numbers (and the view's: the last of them)
                    received.setdefault(int(seq), []).append(now)

    loop = asyncio.get_running_loop()
    connecting = time.perf_counter()
    readies, tasks = [], []
    for i in range(clients):
        ready = loop.create_future()
        readies.append(ready)
        tasks.append(asyncio.create_task(watcher(ready)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*readies), timeout=120)
    connected = time.perf_counter() - connecting
    sent: dict[int, float] = {}
    answered_at: dict[int, float] = {}
    lags: list[float] = []
    done = asyncio.Event()

    async def probe():  # the event loop's lag: a ping answered without the database
        async with websockets.connect(ws_url, additional_headers={"Origin": url}, max_queue=None) as ws:
            await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
            await ws.recv()
            while not done.is_set():
                started = time.perf_counter()
                await ws.send(json.dumps({"type": "ping"}))
                while json.loads(await ws.recv())["type"] != "pong":
                    pass
                lags.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.1)

    probing = asyncio.create_task(probe())
    cpu_before = cpu_seconds(server_pid) if server_pid else None
    answered: list[float] = []  # command sent → the chair's "ok": the command itself, before any fan-out
    async with websockets.connect(ws_url, additional_headers={"Origin": url, "Cookie": cookie}) as chair:
        await chair.send(json.dumps({"type": "hello", "last_seq": 0}))
        await chair.recv()
        n = 0
        while n < commands or (stop_file and not os.path.exists(stop_file)):
            command = {"type": "check_in"} if n % 2 == 0 else {"type": "check_out"}
            started = time.perf_counter()
            await chair.send(json.dumps({"type": "command", "command": command}))
            while True:
                reply = json.loads(await chair.recv())
                if reply["type"] in ("ok", "error"):
                    break
            if reply["type"] == "ok":
                sent[reply["seq"]] = started
                answered_at[reply["seq"]] = time.perf_counter()
                answered.append((time.perf_counter() - started) * 1000)
            n += 1
            await asyncio.sleep(0.25)
    await asyncio.sleep(2)
    cpu_after = cpu_seconds(server_pid) if server_pid else None
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    done.set()
    for task in [*tasks, probing]:
        task.cancel()
    latencies = [(t - sent[seq]) * 1000 for seq, times in received.items() if seq in sent for t in times]
    fanout = [(t - answered_at[seq]) * 1000 for seq, times in received.items() if seq in sent for t in times]
    delivered = sum(len(received.get(seq, [])) for seq in sent)
    return latencies, delivered, len(sent) * clients, connected, sorted(answered), sorted(fanout), sorted(lags), cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--commands", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn processes (production layout only)")
    parser.add_argument("--nice", type=int, default=0, help="run uvicorn under `nice -n N`")
    parser.add_argument("--uvicorn", default="", help="more arguments for uvicorn (e.g. --ws websockets-sansio)")
    parser.add_argument(
        "--listeners-nice", type=int, default=0, help="run the listeners (this process) under `nice -n N`"
    )
    parser.add_argument("--stop-file", default=None, help="keep issuing commands until this file exists")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard := resource.getrlimit(resource.RLIMIT_NOFILE)[1], hard))
    var_dir = tempfile.mkdtemp(prefix="civic-bench-")
    env = environment(var_dir)
    session_id, cookie = prepare(env)
    port = free_port()
    workers = args.workers if production() else 1  # the in-memory layer reaches one process only
    server = subprocess.Popen(
        [
            *(("nice", "-n", str(args.nice)) if args.nice else ()),
            *(str(ROOT / ".venv" / "bin" / "uvicorn"), "civic.asgi:application"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--lifespan", "off", "--log-level", "warning"),
            *shlex.split(args.uvicorn),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1 if workers > 1 else 0)  # every worker listening, not only the first
        if args.listeners_nice:
            os.nice(args.listeners_nice)  # after uvicorn started: only the listeners, not the server
        latencies, delivered, expected, connected, answered, fanout, lags, cpu = asyncio.run(
            run(f"http://127.0.0.1:{port}", session_id, cookie, args.clients, args.commands, args.stop_file, server.pid)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    layout = f"uvicorn --workers {workers}, Redis channel layer" if production() else "one process, in-memory layer"
    if args.uvicorn:
        layout += f" ({args.uvicorn})"
    if args.nice:
        layout += f", nice {args.nice}"
    if args.listeners_nice:
        layout += f"; listeners at nice {args.listeners_nice}"
    print(f"live: {layout}; {args.clients} listeners connected in {connected:.1f} s")
    print(f"live: {expected // max(1, args.clients)} commands, events delivered {delivered}/{expected}")
    worst = latencies[-1] if latencies else float("nan")
    mean = statistics.mean(latencies) if latencies else float("nan")
    for label, values in (("command answered", answered), ("after the answer", fanout), ("loop lag", lags)):
        if values:
            q = lambda f, v=values: v[min(len(v) - 1, int(f * len(v)))]  # noqa: E731
            print(f"live: {label} ms  p50 {q(0.5):.0f}  p90 {q(0.9):.0f}  p99 {q(0.99):.0f}  max {values[-1]:.0f}")
    if cpu is not None and delivered:
        print(
            f"live: uvicorn CPU {cpu:.2f} s while commanding, "
            f"{cpu * 1000 / delivered * 1000:.0f} ms per 1,000 deliveries (one event to 1,000 screens)"
        )
    print(
        f"live: delivery ms  p50 {p(0.50):.0f}  p90 {p(0.90):.0f}  p99 {p(0.99):.0f}  max {worst:.0f}  mean {mean:.0f}"
    )


if __name__ == "__main__":
    main()
