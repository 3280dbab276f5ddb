"""POST /api/v1/episodes/ against a bare Django JSON view, on one gunicorn (2 workers).

Run: .venv/bin/python bench/api_throughput.py [--seconds 10] [--concurrency 8]
                                             [--db sqlite|postgres|both]

Both endpoints are driven in the same run, on the same server, with the same concurrency;
the figure that matters is the ratio of their requests per second (target >= 0.6), which
cancels out how fast or busy the machine is.
"""

import argparse
import http.client
import itertools
import json
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import bench_env, gunicorn, manage, postgres_database, sqlite_database  # noqa: E402

PORT = 8765
USERS = 200


def episode_body() -> bytes:
    started = datetime.now(UTC) - timedelta(hours=2)
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "started_at": started.isoformat(),
            "duration_seconds": 75,
            "site": "calf",
            "side": "left",
            "intensity": 6,
            "activity": "sleeping",
            "hydration": "normal",
            "symptoms": ["knot"],
            "relief": ["stretching"],
            "relief_helped": "yes",
        }
    ).encode()


def drive(method: str, path: str, headers, body_maker, seconds: float, concurrency: int):
    """Requests per second over `seconds` with `concurrency` client threads; counts failures."""
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        ok = failed = 0
        while time.monotonic() < stop_at:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            try:
                conn.request(method, path, body=body_maker(), headers=headers())
                response = conn.getresponse()
                response.read()
                ok += response.status in (200, 201)
                failed += response.status not in (200, 201)
            except OSError:
                failed += 1
            finally:
                conn.close()
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return counts["ok"] / elapsed, counts


def run(database: str, database_url: str, seconds: float, concurrency: int) -> dict:
    env = bench_env(database_url)
    manage(env, "migrate", "--no-input")
    # Many people log a few cramps each, as on a real server: a single user posting
    # thousands of cramps a minute would only measure the alert rules on an absurd history.
    tokens = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from accounts.services import register; "
        "from accounts.tokens import issue; "
        "users = [register(username=f'bench{n}', password='bench-password-123') "
        f"for n in range({USERS})]; "
        "print('\\n'.join(issue(user=u)[1] for u in users))",
    ).split()
    rotation = itertools.cycle(tokens)
    lock = threading.Lock()

    def auth() -> dict:
        with lock:
            token = next(rotation)
        return {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    with gunicorn(env, PORT):
        drive("GET", "/bench/bare/", dict, lambda: None, 2, concurrency)  # warm both workers
        bare, bare_counts = drive("GET", "/bench/bare/", dict, lambda: None, seconds, concurrency)
        post, post_counts = drive(
            "POST", "/api/v1/episodes/", auth, episode_body, seconds, concurrency
        )
    stored = int(
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from tracker.models import Episode; print(Episode.objects.count())",
        )
    )
    return {
        "database": database,
        "bare_rps": round(bare, 1),
        "post_rps": round(post, 1),
        "ratio": round(post / bare, 2),
        "failed": bare_counts["failed"] + post_counts["failed"],
        "posted_ok": post_counts["ok"],
        "stored": stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    results = []
    if args.db in ("sqlite", "both"):
        with sqlite_database() as url:
            results.append(run("SQLite", url, args.seconds, args.concurrency))
    if args.db in ("postgres", "both"):
        with postgres_database() as url:
            results.append(run("PostgreSQL", url, args.seconds, args.concurrency))
    print(f"gunicorn 2 workers, {args.concurrency} concurrent clients, {args.seconds:g} s each")
    print(
        "| database | bare JSON view req/s | POST /api/v1/episodes/ req/s | ratio | failed "
        "| stored / acknowledged |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['database']} | {r['bare_rps']} | {r['post_rps']} | {r['ratio']} | {r['failed']} "
            f"| {r['stored']} / {r['posted_ok']} |"
        )


if __name__ == "__main__":
    main()
