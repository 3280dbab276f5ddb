"""tracker/migrations/0007_episode_time_zone.py: cramps logged before episodes kept their
zone were shown in their owner's zone, so that is where they happened."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tracker", "0006_export_rate_limit_counts"), ("accounts", "0007_health_context")]
AFTER = [("tracker", "0007_episode_time_zone")]


@pytest.mark.django_db(transaction=True)
def test_existing_cramps_take_their_owners_current_zone():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    for name, zone in [("ana", "Europe/Berlin"), ("ben", "America/New_York"), ("cy", None)]:
        user = old.get_model("auth", "User").objects.create(username=name)
        if zone:  # cy was made in the shell and never got a profile
            old.get_model("accounts", "Profile").objects.create(user=user, time_zone=zone)
        old.get_model("tracker", "Episode").objects.create(
            user=user,
            started_at=datetime(2026, 11, 20, 2, 15, tzinfo=UTC),
            duration_seconds=60,
            site="calf",
            side="left",
            intensity=5,
            activity="sleeping",
            hydration="normal",
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    zones = dict(
        new.get_model("tracker", "Episode").objects.values_list("user__username", "time_zone")
    )
    assert zones == {"ana": "Europe/Berlin", "ben": "America/New_York", "cy": "UTC"}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
