"""POST /api/v1/episodes/ against the floor of a bare durable insert, on gunicorn (2 workers).

Run: .venv/bin/python bench/api_throughput.py [--seconds 5] [--runs 3] [--concurrency 8]
                                             [--db sqlite|postgres|both]

In the same run, with the same client and concurrency, one after the other:
(a) the floor: a bare Django view with no middleware that parses the JSON body and durably
    inserts one episode row (bench/floor.py), with the app's database settings;
(b) the API create for people with no history (200 of them, in turn);
(c) for people with 1,000 episodes spread over the last year;
(d) for people with 5,000 episodes in the last 30 days;
(e) POST /api/v1/episodes/batch/ with 50 episodes a request (a phone back online), for
    people with no history, counted in episodes per second.
Each is driven `--runs` times; the medians of requests per second and of the ratio to (a)
in the same run are reported, with the queries one create makes for each kind of person.
The ratio cancels out how fast or busy the machine is; the target is >= 0.6.
"""

import argparse
import http.client
import itertools
import json
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import bench_env, gunicorn, manage, postgres_database, sqlite_database  # noqa: E402

PORT = 8265
PEOPLE = {"none": 200, "year": 8, "month": 8, "batch": 8}  # how many people of each kind, in turn
CASES = [
    ("(a) floor: bare view, durable insert", "floor"),
    ("(b) create, no history", "none"),
    ("(c) create, 1,000 over a year", "year"),
    ("(d) create, 5,000 in 30 days", "month"),
    ("(e) batch of 50, episodes", "batch"),
]
BATCH = 50

SETUP = """
import json
from accounts.services import register
from accounts.tokens import issue
from bench.history import give_history
floor = register(username="floor", password="bench-password-123")
assert floor.pk == 1, "the floor view inserts for user 1"
people = {}
for kind, count in %(people)r.items():
    people[kind] = []
    for n in range(count):
        user = register(username=f"{kind}{n}", password="bench-password-123")
        if kind == "year":
            give_history(user, count=1000, days=365)
        if kind == "month":
            give_history(user, count=5000, days=30)
        people[kind].append(issue(user=user)[1])
print(json.dumps(people))
"""

# One create per kind of person through Django's test client, its queries counted.
COUNT_QUERIES = """
import json, uuid
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
people, template = json.loads(%(people)r), json.loads(%(body)r)
body = lambda: json.dumps({**template, "id": str(uuid.uuid4())})
counts = {}
for kind, tokens in people.items():
    if kind == "batch":
        continue
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {tokens[0]}")
    client.post("/api/v1/episodes/", body(), content_type="application/json")  # warm
    with CaptureQueriesContext(connection) as captured:
        answer = client.post("/api/v1/episodes/", body(), content_type="application/json")
    assert answer.status_code == 201, answer.content
    counts[kind] = len(captured.captured_queries)
print(json.dumps(counts))
"""


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


def batch_body() -> bytes:
    return json.dumps({"episodes": [json.loads(episode_body()) for _ in range(BATCH)]}).encode()


def drive(
    path: str, headers, seconds: float, concurrency: int, body=episode_body, per_request: int = 1
) -> tuple[float, int, int]:
    """(episodes per second answered 200/201, how many, how many failed) over `seconds`."""
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        ok = failed = 0
        while time.monotonic() < stop_at:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            try:
                conn.request("POST", path, body=body(), headers=headers())
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
    ok = counts["ok"] * per_request
    return ok / (time.monotonic() - started), ok, counts["failed"]


def headers_for(tokens: list[str] | None):
    rotation, lock = itertools.cycle(tokens or [""]), threading.Lock()

    def headers() -> dict:
        with lock:
            token = next(rotation)
        auth = {"Authorization": f"Bearer {token}"} if tokens else {}
        return {**auth, "Content-Type": "application/json"}

    return headers


def stored(env: dict) -> int:
    code = "from tracker.models import Episode; print(Episode.objects.count())"
    return int(manage(env, "shell", "--no-imports", "-c", code))


def run(database: str, database_url: str, args) -> dict:
    env = bench_env(database_url)
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor"}
    manage(env, "migrate", "--no-input")
    people = json.loads(manage(env, "shell", "--no-imports", "-c", SETUP % {"people": PEOPLE}))
    counting = COUNT_QUERIES % {"people": json.dumps(people), "body": episode_body().decode()}
    queries = json.loads(manage(env, "shell", "--no-imports", "-c", counting))
    before = stored(env)
    rps: dict[str, list[float]] = {kind: [] for _, kind in CASES}
    acknowledged = failed = 0
    for _ in range(args.runs):
        for _, kind in CASES:
            server_env = floor_env if kind == "floor" else env
            path = {"floor": "/bench/floor/", "batch": "/api/v1/episodes/batch/"}.get(
                kind, "/api/v1/episodes/"
            )
            how = {"body": batch_body, "per_request": BATCH} if kind == "batch" else {}
            with gunicorn(server_env, PORT):
                headers = headers_for(people.get(kind))
                _, warm, _ = drive(path, headers, 1, args.concurrency, **how)  # both workers
                speed, ok, bad = drive(path, headers, args.seconds, args.concurrency, **how)
                acknowledged += warm
            rps[kind].append(speed)
            acknowledged, failed = acknowledged + ok, failed + bad
    ratios = {
        kind: statistics.median(r / f for r, f in zip(rps[kind], rps["floor"], strict=True))
        for _, kind in CASES
    }
    return {
        "database": database,
        "rps": {kind: round(statistics.median(v), 1) for kind, v in rps.items()},
        "all_rps": rps,
        "ratio": {kind: round(r, 2) for kind, r in ratios.items()},
        "queries": queries,
        "failed": failed,
        "acknowledged": acknowledged,
        "stored": stored(env) - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    results = []
    if args.db in ("sqlite", "both"):
        with sqlite_database() as url:
            results.append(run("SQLite", url, args))
    if args.db in ("postgres", "both"):
        with postgres_database(port=54340) as url:
            results.append(run("PostgreSQL", url, args))
    print(
        f"gunicorn 2 workers, {args.concurrency} concurrent clients, {args.seconds:g} s per "
        f"case, median of {args.runs} runs"
    )
    print("| database | case | episodes/s | ratio to (a) | queries per create |")
    print("| --- | --- | --- | --- | --- |")
    for r in results:
        for label, kind in CASES:
            count = r["queries"].get(kind, "-")
            print(
                f"| {r['database']} | {label} | {r['rps'][kind]} | {r['ratio'][kind]} | {count} |"
            )
    for r in results:
        print(
            f"{r['database']}: {r['failed']} failed, {r['stored']} stored of "
            f"{r['acknowledged']} acknowledged; every run's episodes/s: {json.dumps(r['all_rps'])}"
        )


if __name__ == "__main__":
    main()
