"""Pages and reports against history length: 1 year (about 1,000 episodes) and 10 years.

Run: .venv/bin/python bench/report_bench.py [--repeat 5] [--db sqlite|postgres]

For each user it times, with the report cache emptied before every run, the home page and
the first page of History, the summary of the
last 90 and 365 days, the Trends page for 365 days with its four charts, and the 90-day
physician PDF, and counts their queries. Every report only reads its own period, so a
longer history should cost (almost) nothing: the figures are ratios of 10 years to 1 year.
Targets: the same query counts; PDF ratio <= 1.2; Trends ratio <= 2.

`--exports` instead times every export (PDF, CSV, FHIR, the summary JSON, the Trends page
with its charts) of a 20,000-episode, 10-year account for 365 days and for the longest
allowed period (3660 days), against the same export of a 1-year account of the same
density for 365 days. Target: each within 2x the 1-year time.
"""

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    from bench.servers import bench_env

    os.environ.update(bench_env(database_url))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    # The bench asks for far more exports than a person would.
    os.environ["DJANGO_EXPORT_LIMIT_PER_MINUTE"] = os.environ["DJANGO_EXPORT_LIMIT_PER_HOUR"] = (
        "9999"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_user(name: str, years: int, per_day: float):
    from django.utils import timezone

    from accounts.services import register
    from tracker.demo import make_episode
    from tracker.models import Episode

    user = register(username=name, password="bench-password-123", time_zone="Europe/Berlin")
    rng = random.Random(years)
    now = timezone.now().astimezone(user.profile.zone)
    batch = []
    for back in range(365 * years, 0, -1):
        day = now - timedelta(days=back)
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            batch.append(make_episode(user=user, rng=rng, day=day))
    Episode.objects.bulk_create([e for e in batch if e.started_at < now], batch_size=2000)
    return user


def measure(fn, repeat: int) -> tuple[float, int]:
    """Median seconds and the query count of one run, with an empty report cache each time."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def bench_user(user, repeat: int) -> dict:
    from django.test import Client
    from django.utils import timezone

    from tracker.reports import last_days, summary

    today = timezone.now().astimezone(user.profile.zone).date()
    client = Client()
    client.force_login(user)

    def trends():
        assert client.get("/trends/?days=365").status_code == 200
        for name in ("weekly", "intensity", "heatmap", "relief"):
            period = last_days(today, 365)
            url = f"/trends/charts/{name}.svg?from={period.start}&to={period.end}"
            assert client.get(url).status_code == 200

    def pdf():
        assert client.get("/reports/physician.pdf").status_code == 200

    def page(path):
        return lambda: client.get(path).status_code == 200 or _fail(path)

    page("/")()  # the alerts catch up once with the history just loaded, as after an import
    p90, p365 = last_days(today, 90), last_days(today, 365)
    return {
        "episodes": user.episodes.count(),
        "home (quick log with the alert banner)": measure(page("/"), repeat),
        "History, first page": measure(page("/history/"), repeat),
        "summary 90 days": measure(
            lambda: summary(user=user, start=p90.start, end=p90.end), repeat
        ),
        "summary 365 days": measure(
            lambda: summary(user=user, start=p365.start, end=p365.end), repeat
        ),
        "Trends page, 365 days, with its 4 charts": measure(trends, repeat),
        "physician PDF, 90 days": measure(pdf, repeat),
    }


def _fail(path):
    raise AssertionError(f"{path} did not answer 200")


def bench_exports(user, days: int, repeat: int) -> dict:
    from django.test import Client
    from django.utils import timezone

    from tracker.reports import last_days

    period = last_days(timezone.now().astimezone(user.profile.zone).date(), days)
    query = f"from={period.start}&to={period.end}"
    client = Client()
    client.force_login(user)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.getvalue()  # the whole body, streamed or not

    def trends():
        get(f"/trends/?{query}")
        for name in ("weekly", "intensity", "heatmap", "relief"):
            get(f"/trends/charts/{name}.svg?{query}")

    return {
        "physician PDF": measure(lambda: get(f"/reports/physician.pdf?{query}"), repeat),
        "CSV": measure(lambda: get(f"/reports/episodes.csv?{query}"), repeat),
        "FHIR": measure(lambda: get(f"/reports/fhir.json?{query}"), repeat),
        "summary JSON": measure(lambda: get(f"/api/v1/reports/summary/?{query}"), repeat),
        "Trends page with its 4 charts": measure(trends, repeat),
    }


def main_exports(args) -> None:
    one_user, ten_user = make_user("exports1", 1, 5.5), make_user("exports10", 10, 5.5)
    one = bench_exports(one_user, 365, args.repeat)
    ten_365 = bench_exports(ten_user, 365, args.repeat)
    ten_max = bench_exports(ten_user, 3660, args.repeat)
    print(
        f"{args.db}: 1 year = {one_user.episodes.count()} episodes, "
        f"10 years = {ten_user.episodes.count()} episodes; median of {args.repeat} runs"
    )
    print(
        "| export | 1 year, 365 days: ms | 10 years, 365 days: ms | ratio "
        "| 10 years, 3660 days: ms | ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for what, (t1, _) in one.items():
        t365, tmax = ten_365[what][0], ten_max[what][0]
        print(
            f"| {what} | {t1 * 1000:.1f} | {t365 * 1000:.1f} | {t365 / t1:.2f} "
            f"| {tmax * 1000:.1f} | {tmax / t1:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--exports", action="store_true", help="the 20,000-episode exports")
    args = parser.parse_args()
    from bench.servers import postgres_database, sqlite_database

    with sqlite_database() if args.db == "sqlite" else postgres_database(port=54340) as url:
        setup(url)
        if args.exports:
            return main_exports(args)
        with nullcontext():
            one = bench_user(make_user("year1", 1, 2.75), args.repeat)
            ten = bench_user(make_user("year10", 10, 2.75), args.repeat)
    print(
        f"{args.db}: 1 year = {one['episodes']} episodes, 10 years = {ten['episodes']} episodes; "
        f"median of {args.repeat} runs, report cache emptied before each"
    )
    print("| what | 1 year: ms | queries | 10 years: ms | queries | ratio 10y/1y |")
    print("| --- | --- | --- | --- | --- | --- |")
    for what in list(one)[1:]:
        (t1, q1), (t10, q10) = one[what], ten[what]
        print(f"| {what} | {t1 * 1000:.1f} | {q1} | {t10 * 1000:.1f} | {q10} | {t10 / t1:.2f} |")


if __name__ == "__main__":
    main()
