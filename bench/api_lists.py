"""What each API list costs inside one process, at the seeded scale: the queries of a warm read, their
time, this process's CPU time per request, and whether a table was counted (a kept count reads one small
query instead). A companion to bench/inprocess.py for the API.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your seeded db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
    DJANGO_API_ANON_RATE=100000/minute .venv/bin/python bench/api_lists.py [--rounds 15] [--only ledger] [--sql]

Prints; asserts nothing. Writes only the page cache's kept counts.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the project, not bench/ (whose http.py would hide http)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from consultations.models import Opinion  # noqa: E402
from proposals.models import Comment  # noqa: E402


def lists() -> list[tuple[str, str]]:
    consultation = Opinion.objects.values_list("consultation_id", flat=True).order_by("-consultation_id").first()
    proposal = Comment.objects.values_list("proposal_id", flat=True).order_by("proposal_id").first()
    return [
        ("proposals", "/api/proposals/"),
        ("proposals-p400", "/api/proposals/?page=400"),
        ("comments", f"/api/proposals/{proposal}/comments/"),
        ("cosponsors", f"/api/proposals/{proposal}/cosponsors/"),
        ("consultations", "/api/consultations/"),
        ("opinions", f"/api/consultations/{consultation}/opinions/"),
        ("opinions-p200", f"/api/consultations/{consultation}/opinions/?page=200"),
        ("ballots", "/api/ballots/"),
        ("ballots-p90", "/api/ballots/?page=90"),
        ("councils", "/api/councils/"),
        ("sessions", "/api/sessions/"),
        ("projects", "/api/projects/"),
        ("projects-p150", "/api/projects/?page=150"),
        ("ledger", "/api/areas/S/ledger/"),
        ("ledger-p4000", "/api/areas/S/ledger/?page=4000"),
        ("notices", "/api/areas/S/notices/"),
        ("notices-p200", "/api/areas/S/notices/?page=200"),
        ("areas", "/api/areas/"),
        ("organisations", "/api/organisations/"),
        ("casework-board", "/api/casework/reports/?area=S"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--only", default="")
    parser.add_argument("--sql", action="store_true", help="print each list's queries")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'list':<16} {'count':>7} {'queries':>8} {'sql ms':>7} {'cpu ms':>7} {'counted':>8}")
    for name, path in lists():
        if only and name not in only:
            continue
        client.get(path)  # counted and kept once
        queries: list[tuple[str, float]] = []

        def log(execute, sql, params, many, context, queries=queries):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((sql, (time.perf_counter() - start) * 1000))

        with connection.execute_wrapper(log):
            response = client.get(path)
        cpu = []
        for _ in range(args.rounds):
            start = time.process_time()
            client.get(path)
            cpu.append(time.process_time() - start)
        body = response.json()
        count = body.get("count", "-") if isinstance(body, dict) else len(body)
        counted = sum(1 for sql, _ in queries if sql.startswith('SELECT COUNT(*) AS "__count"'))
        sql_ms = sum(ms for _, ms in queries)
        print(
            f"{name:<16} {count!s:>7} {len(queries):>8} {sql_ms:>7.1f} "
            f"{sorted(cpu)[len(cpu) // 2] * 1000:>7.1f} {counted:>8}"
        )
        if args.sql:
            for sql, ms in queries:
                print(f"    {ms:6.1f}  {sql[:300]}")


if __name__ == "__main__":
    main()
