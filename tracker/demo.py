"""A realistic, repeatable history of cramps, for the demo account and the benchmarks."""

import random
from datetime import datetime, timedelta

from accounts.models import profile_for

from .models import Activity, Episode, Hydration, Relief, ReliefHelped, Side, Site, Symptom

# Calf and thigh cramps dominate, as they do for the people this app is for.
SITE_WEIGHTS = {
    Site.CALF: 40,
    Site.BACK_OF_THIGH: 18,
    Site.INNER_THIGH: 16,
    Site.FRONT_OF_THIGH: 12,
    Site.FOOT: 10,
    Site.OTHER: 4,
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_episode(*, user, rng: random.Random, day: datetime) -> Episode:
    kind = _pick(rng, {"night": 45, "exercise": 30, "day": 25})
    if kind == "night":
        start = day.replace(hour=rng.choice([23, 0, 1, 2, 3, 4, 5]), minute=rng.randrange(60))
        activity, relief = Activity.SLEEPING, [Relief.STRETCHING]
    elif kind == "exercise":
        start = day.replace(hour=rng.choice([7, 8, 17, 18, 19]), minute=rng.randrange(60))
        activity, relief = (
            Activity.EXERCISE,
            rng.sample([Relief.STRETCHING, Relief.MASSAGE, Relief.DRINK_ELECTROLYTES], 2),
        )
    else:
        start = day.replace(hour=rng.randrange(9, 22), minute=rng.randrange(60))
        activity = rng.choice(
            [Activity.SITTING, Activity.STANDING_UP, Activity.WALKING, Activity.RESTING]
        )
        relief = [rng.choice([Relief.WALKING, Relief.MASSAGE, Relief.HEAT])]
    long_one = rng.random() < 0.03
    duration = rng.randrange(660, 1200) if long_one else int(rng.lognormvariate(4.0, 0.8)) + 5
    hydration = _pick(rng, {Hydration.LOW: 30, Hydration.NORMAL: 55, Hydration.HIGH: 15})
    return Episode(
        user=user,
        started_at=start,
        time_zone=profile_for(user).time_zone,
        duration_seconds=min(duration, 3600),
        site=_pick(rng, SITE_WEIGHTS),
        side=_pick(rng, {Side.LEFT: 45, Side.RIGHT: 45, Side.BOTH: 10}),
        intensity=min(10, max(1, round(rng.gauss(7 if long_one else 5, 1.6)))),
        activity=activity,
        hydration=hydration,
        fluid_ml=rng.randrange(500, 3000, 50) if rng.random() < 0.5 else None,
        symptoms=[Symptom.KNOT] if rng.random() < 0.3 else [],
        recent_fluid_loss=kind == "exercise" and rng.random() < 0.1,
        relief=relief,
        relief_helped=_pick(
            rng, {ReliefHelped.YES: 60, ReliefHelped.PARTLY: 30, ReliefHelped.NO: 10}
        ),
        notes="Woke me up" if kind == "night" and rng.random() < 0.2 else "",
    )


def build_history(
    *, user, end: datetime, days: int, per_week: float = 3.0, seed: int = 7
) -> list[Episode]:
    """Episodes for the `days` before `end`: about `per_week` a week, more in the last months."""
    rng = random.Random(seed)  # noqa: S311 - a demo's dice, not a secret
    episodes = []
    for back in range(days, 0, -1):
        day = end - timedelta(days=back)
        recent_boost = 1.5 if back < 60 else 1.0
        for _ in range(
            rng.choices(
                [0, 1, 2],
                weights=[
                    7 - per_week * recent_boost,
                    per_week * recent_boost * 0.85,
                    per_week * recent_boost * 0.075,
                ],
            )[0]
        ):
            episodes.append(make_episode(user=user, rng=rng, day=day))
    return [e for e in episodes if e.started_at < end]
