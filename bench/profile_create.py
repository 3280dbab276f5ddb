"""Where the time of one API create goes: cProfile over a few hundred creates, in-process.

Run: .venv/bin/python bench/profile_create.py [--creates 300] [--history 0] [--db URL]

A WSGI request is built by hand for each create and handed to Django's WSGI handler, so
the figures hold everything gunicorn would run apart from the socket. Each create is put
into one bucket by the outermost project or library function it is inside.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_throughput import episode_body  # noqa: E402 (the same cramp as the load)

ALERT_ENTRIES = ("evaluate_safely", "catch_up", "note_new_episodes")
# Buckets: the first (function name, file part) matched in a call's stack decides.
BUCKETS = [
    ("authentication", ("authenticate", "accounts/authentication.py")),
    ("alert rules", ("", "tracker/alerts/")),
    ("insert and commit", ("record_episode", "tracker/logbook.py")),
    ("batch", ("record_batch", "tracker/logbook.py")),
    ("parse and validate", ("is_valid", "rest_framework/serializers.py")),
    ("parse and validate", ("parse", "tracker/parsers.py")),
    ("serialization", ("data", "rest_framework/serializers.py")),
    ("rendering", ("render", "rest_framework/renderers.py")),
]


def environ(token: str, payload: bytes, path: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(payload),
        "CONTENT_LENGTH": str(len(payload)),
        "CONTENT_TYPE": "application/json",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--history", type=int, default=0, help="episodes in the last 30 days")
    parser.add_argument("--db", default="")
    parser.add_argument("--floor", action="store_true", help="the bare durable insert instead")
    parser.add_argument("--top", type=int, default=0, help="also print the top N functions")
    parser.add_argument("--dump", default="", help="write the raw profile to this file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cramp-profile-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.floor" if args.floor else "bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=args.db or f"sqlite:///{folder}/profile.sqlite3",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.services import register
    from accounts.tokens import issue
    from bench.history import give_history

    if os.environ.get("BENCH_MIDDLEWARE") is not None:  # an experiment: another stack
        from django.conf import settings

        settings.MIDDLEWARE = [m for m in os.environ["BENCH_MIDDLEWARE"].split(",") if m]
    call_command("migrate", verbosity=0)
    user = register(username=f"p{uuid.uuid4().hex[:8]}", password="bench-password-123")
    give_history(user, count=args.history, days=30)
    token = issue(user=user)[1]
    from config.wsgi import application as app  # as gunicorn serves it

    path = "/bench/floor/" if args.floor else "/api/v1/episodes/"

    def create():
        app(environ(token, episode_body(), path), lambda status, headers: None)

    for _ in range(20):
        create()  # warm: imports, connection
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.creates):
        create()
    wall = (time.perf_counter() - started) / args.creates * 1000
    cpu = (time.process_time() - cpu) / args.creates * 1000
    print(f"without the profiler: {wall:.2f} ms a create, of which {cpu:.2f} ms CPU")
    # CPU time: what the machine's other jobs and the disk's fsync do not change.
    profile = cProfile.Profile(time.process_time)
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.creates):
        create()
    profile.disable()
    per_create = (time.perf_counter() - started) / args.creates * 1000
    stats = pstats.Stats(profile)
    if args.dump:
        stats.dump_stats(args.dump)
    print(f"{args.creates} creates, {args.history} episodes of history: {per_create:.2f} ms each")
    print(breakdown(stats, args.creates))
    if args.top:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


def breakdown(stats: pstats.Stats, creates: int) -> str:
    """Cumulative ms per create of each bucket's outermost function (profiled times)."""

    def outermost(func: str, part: str) -> float:
        return max(
            (
                v[3]
                for (path, _, name), v in stats.stats.items()
                if part in path and (name == func or (not func and name in ALERT_ENTRIES))
            ),
            default=0.0,
        )

    total = max(v[3] for v in stats.stats.values())
    found: dict[str, float] = {}
    for name, (func, part) in BUCKETS:
        found[name] = found.get(name, 0.0) + outermost(func, part)
    # The rules run inside the write: the insert's own share is what is left.
    found["insert and commit"] -= found["alert rules"]
    found["other (Django, DRF, middleware)"] = total - sum(found.values())
    rows = "\n".join(f"  {n:<32} {t / creates * 1000:6.2f} ms" for n, t in found.items())
    return f"  {'whole request':<32} {total / creates * 1000:6.2f} ms (profiled)\n{rows}"


if __name__ == "__main__":
    main()
