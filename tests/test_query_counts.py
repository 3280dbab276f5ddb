"""What a save and the main pages cost in queries does not grow with the history."""

import random
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import register
from tests.conftest import _token_client
from tracker.models import Episode


def give_history(user, *, count: int, days: int) -> None:
    now, rng = timezone.now(), random.Random(count)
    step = timedelta(days=days) / count
    Episode.objects.bulk_create(
        Episode(
            user=user,
            started_at=now - timedelta(hours=1) - step * n,
            duration_seconds=rng.randint(20, 400),
            site=rng.choice(["calf", "foot", "inner_thigh"]),
            side="left",
            intensity=rng.randint(0, 10),
            activity=rng.choice(["sleeping", "walking", "resting"]),
            hydration="normal",
            relief=["rest"],
            relief_helped=rng.choice(["yes", "no", None]),
            time_zone="Europe/Berlin",
        )
        for n in range(count)
    )


def person(name: str, *, episodes: int, days: int):
    user = register(username=name, password=f"{name}-password-1", time_zone="Europe/Berlin")
    give_history(user, count=episodes, days=days)
    return user


def create_queries(user) -> int:
    api = _token_client(user)

    def body():
        return {
            "id": str(uuid.uuid4()),
            "started_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
            "duration_seconds": 75,
            "site": "calf",
            "side": "left",
            "intensity": 6,
            "activity": "sleeping",
            "hydration": "normal",
        }

    api.post("/api/v1/episodes/", body(), format="json")  # the key's first use is noted once
    with CaptureQueriesContext(connection) as captured:
        assert api.post("/api/v1/episodes/", body(), format="json").status_code == 201
    return len(captured.captured_queries)


def test_a_create_makes_the_same_queries_with_10_or_5000_episodes_in_one_month(db):
    few = person("few", episodes=10, days=30)
    many = person("many", episodes=5000, days=30)
    assert create_queries(few) == create_queries(many) == 5  # key, begin, insert, the
    # change counted reading the tombstone, commit: the rules wait for the next read of the
    # alerts


def page_queries(client, path: str) -> int:
    # One moment for both requests: the PDF's download count opens a new row each minute.
    with time_machine.travel(timezone.now(), tick=False):
        cache.clear()  # the report cache would hide the work
        client.get(path)  # the alerts catch up once, after the history was loaded
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path", ["/", "/history/", "/trends/?period=365", "/reports/physician.pdf", "/alerts/"]
)
def test_the_main_pages_make_the_same_queries_for_1_and_10_years(db, client, path):
    counts = []
    for name, years in (("one", 1), ("ten", 10)):
        user = person(name, episodes=1000 * years, days=365 * years)
        client.force_login(user)
        counts.append(page_queries(client, path))
    assert counts[0] == counts[1]
