"""Live session fan-out: N watching screens on one server, a chair issuing commands; prints the delivery
latency of events (command sent → event received on every screen). Prints; asserts nothing.

Run: .venv/bin/python bench/live.py [--clients 1000] [--commands 20]
Uses its own SQLite database in a temporary folder and the in-memory channel layer (one process).
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(var_dir: str):
    """Migrate a fresh database, create a council session, and return (session id, chair cookie)."""
    os.environ.update(DJANGO_SETTINGS_MODULE="civic.settings", DJANGO_VAR_DIR=var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
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

    from civic.models import AreaLevel, AreaRole
    from civic.services import area_create
    from deliberation import services

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    city = area_create(code="B1", name="基准市", level=AreaLevel.CITY)
    chair = user_model.objects.create_user(email="chair@bench.example", password="x", display_name="主持人")
    AreaRole.objects.create(user=chair, area=city, role="organiser")
    council = services.council_create(actor=chair, area=city, name="基准议事会")
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
    return session.pk, f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


async def run(url, session_id, cookie, clients, commands):
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
                message = json.loads(await ws.recv())
                now = time.perf_counter()
                for event in message.get("events", []):
                    received.setdefault(event["seq"], []).append(now)

    loop = asyncio.get_running_loop()
    readies, tasks = [], []
    for i in range(clients):
        ready = loop.create_future()
        readies.append(ready)
        tasks.append(asyncio.create_task(watcher(ready)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*readies), timeout=120)
    sent: dict[int, float] = {}
    async with websockets.connect(ws_url, additional_headers={"Origin": url, "Cookie": cookie}) as chair:
        await chair.send(json.dumps({"type": "hello", "last_seq": 0}))
        await chair.recv()
        for n in range(commands):
            command = {"type": "check_in"} if n % 2 == 0 else {"type": "check_out"}
            started = time.perf_counter()
            await chair.send(json.dumps({"type": "command", "command": command}))
            while True:
                reply = json.loads(await chair.recv())
                if reply["type"] in ("ok", "error"):
                    break
            if reply["type"] == "ok":
                sent[reply["seq"]] = started
            await asyncio.sleep(0.25)
    await asyncio.sleep(2)
    for task in tasks:
        task.cancel()
    latencies = [(t - sent[seq]) * 1000 for seq, times in received.items() if seq in sent for t in times]
    delivered = sum(len(received.get(seq, [])) for seq in sent)
    return latencies, delivered, len(sent) * clients


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--commands", type=int, default=20)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="civic-bench-")
    session_id, cookie = prepare(var_dir)
    port = free_port()
    env = {**os.environ, "DJANGO_VAR_DIR": var_dir}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "civic.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--ws-max-queue",
            "1000",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        latencies, delivered, expected = asyncio.run(
            run(f"http://127.0.0.1:{port}", session_id, cookie, args.clients, args.commands)
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    print(f"clients {args.clients}  commands {args.commands}  delivered {delivered}/{expected}")
    worst = latencies[-1] if latencies else float("nan")
    mean = statistics.mean(latencies) if latencies else float("nan")
    print(f"latency ms  p50 {p(0.50):.0f}  p90 {p(0.90):.0f}  p99 {p(0.99):.0f}  max {worst:.0f}  mean {mean:.0f}")


if __name__ == "__main__":
    main()
