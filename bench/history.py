"""Episodes of history for a bench person, inserted in bulk (no rules run)."""

import random
from datetime import timedelta

from django.utils import timezone


def give_history(user, *, count: int, days: int) -> None:
    """`count` plain episodes spread over the last `days` days."""
    from tracker.models import Episode

    if not count:
        return
    now = timezone.now()
    rng = random.Random(user.pk)  # noqa: S311 - test data
    step = timedelta(days=days) / count
    Episode.objects.bulk_create(
        [
            Episode(
                user=user,
                started_at=now - timedelta(hours=3) - step * n,
                duration_seconds=rng.randint(20, 400),
                site=rng.choice(["calf", "inner_thigh", "foot"]),
                side="left",
                intensity=rng.randint(2, 7),
                activity=rng.choice(["sleeping", "resting", "exercise"]),
                hydration="normal",
                time_zone="UTC",
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
