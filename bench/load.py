"""Load and crash test: 50 users post episodes to gunicorn for 60 s (locust, headless).

Run: make bench-deps && .venv/bin/python bench/load.py [--seconds 60] [--users 50]
                                                      [--db sqlite|postgres|both]

One in ten posts resends an id already sent (a client retrying). After each run the script
checks the database: every acknowledged episode is there, none is there twice, no answer
was a 5xx and gunicorn never logged "database is locked". The second run of each database
kills gunicorn (master and workers, SIGKILL) a third of the way in, starts it again, and
checks that every episode acknowledged before the kill survived.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, constant, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402
    bench_env,
    manage,
    postgres_database,
    sqlite_database,
    wait_until_up,
)

PORT = 8266
RETRY_SHARE = 0.10


class Ledger:
    """What the server said: ids acknowledged (with when), 5xx answers, and ids sent."""

    def __init__(self):
        self.sent: list[str] = []
        self.acknowledged: dict[str, float] = {}
        self.server_errors = 0
        self.retries = 0
        self.retry_mismatches = 0


ledger = Ledger()
tokens: list[str] = []
next_token = itertools.count()


def episode(episode_id: str) -> dict:
    return {
        "id": episode_id,
        "started_at": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
        "duration_seconds": random.randint(5, 300),  # noqa: S311
        "site": random.choice(["calf", "inner_thigh", "back_of_thigh", "foot"]),  # noqa: S311
        "side": random.choice(["left", "right", "both"]),  # noqa: S311
        "intensity": random.randint(0, 10),  # noqa: S311
        "activity": random.choice(["sleeping", "exercise", "resting"]),  # noqa: S311
        "hydration": "normal",
    }


class EpisodeUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.token = tokens[next(next_token) % len(tokens)]  # one person per simulated phone
        self.mine: dict[str, dict] = {}

    @task
    def post_episode(self):
        retry = self.mine and random.random() < RETRY_SHARE  # noqa: S311
        episode_id = random.choice(list(self.mine)) if retry else str(uuid.uuid4())  # noqa: S311
        body = self.mine.get(episode_id) or episode(episode_id)
        self.mine[episode_id] = body
        ledger.sent.append(episode_id)
        ledger.retries += bool(retry)
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        with self.client.post(
            "/api/v1/episodes/",
            data=json.dumps(body),
            headers=headers,
            name="POST episode",
            catch_response=True,
        ) as response:
            if response.status_code >= 500:
                ledger.server_errors += 1
                response.failure(f"{response.status_code}")
            elif response.status_code in (200, 201):
                if response.json()["id"] != episode_id:
                    ledger.retry_mismatches += 1
                ledger.acknowledged.setdefault(episode_id, gevent.get_hub().loop.now())
                response.success()
            elif response.status_code:
                response.failure(f"{response.status_code}: {response.text[:200]}")


def start_gunicorn(env: dict, log) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
            "--graceful-timeout=1",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    wait_until_up(PORT, "/bench/bare/")
    return process


def kill_all(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # master and workers at once, no clean-up
    process.wait()


def run(database: str, url: str, seconds: float, users: int, crash: bool) -> dict:
    global ledger
    ledger = Ledger()
    env = bench_env(url)
    manage(env, "migrate", "--no-input")
    tokens[:] = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from accounts.services import register; "
        "from accounts.tokens import issue; import uuid; "
        f"users = [register(username='load' + uuid.uuid4().hex[:8], password='load-password-123') "
        f"for _ in range({users})]; "
        "print(' '.join(issue(user=u)[1] for u in users))",
    ).split()
    log = tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log", delete=False)
    server = start_gunicorn(env, log)
    locust_env = Environment(
        user_classes=[EpisodeUser], events=events, host=f"http://127.0.0.1:{PORT}"
    )
    runner = locust_env.create_local_runner()
    runner.start(users, spawn_rate=users)
    acknowledged_before_kill: set[str] = set()
    if crash:
        gevent.sleep(seconds / 3)
        acknowledged_before_kill = set(ledger.acknowledged)
        kill_all(server)
        gevent.sleep(1)
        server = start_gunicorn(env, log)
        gevent.sleep(seconds * 2 / 3)
    else:
        gevent.sleep(seconds)
    runner.quit()
    server.terminate()
    server.wait(timeout=30)
    log.seek(0)
    server_log = log.read()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as sent_file:
        json.dump(sorted(set(ledger.sent)), sent_file)
    stored = json.loads(
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "import json; from tracker.models import Episode; "
            f"ids = json.load(open({sent_file.name!r})); "
            "rows = list(Episode.objects.filter(id__in=ids).values_list('id', flat=True)); "
            "print(json.dumps({'rows': [str(r) for r in rows], 'total': Episode.objects.count()}))",
        )
    )
    rows = stored["rows"]
    acknowledged = set(ledger.acknowledged)
    return {
        "database": database + (" (killed mid-run)" if crash else ""),
        "requests": locust_env.stats.total.num_requests,
        "req/s": round(locust_env.stats.total.total_rps, 1),
        "acknowledged": len(acknowledged),
        "retries": ledger.retries,
        "lost": len(acknowledged - set(rows)),
        "lost from before the kill": len(acknowledged_before_kill - set(rows)) if crash else "-",
        "duplicated": len(rows) - len(set(rows)) + (stored["total"] - len(set(rows))),
        "5xx": ledger.server_errors,
        "wrong id answered": ledger.retry_mismatches,
        "database is locked": server_log.count("database is locked"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    results = []
    for choice, name, database in [
        ("sqlite", "SQLite", sqlite_database),
        ("postgres", "PostgreSQL", lambda: postgres_database(port=54340)),
    ]:
        if args.db not in (choice, "both"):
            continue
        for crash in (False, True):
            with database() as url:
                results.append(run(name, url, args.seconds, args.users, crash))
    keys = list(results[0])
    print(
        f"{args.users} users, {args.seconds:g} s each, "
        f"{RETRY_SHARE:.0%} retries of an id already sent"
    )
    print("| " + " | ".join(keys) + " |")
    print("|" + " --- |" * len(keys))
    for result in results:
        print("| " + " | ".join(str(result[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
