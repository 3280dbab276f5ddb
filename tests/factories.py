from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import profile_for
from tracker.models import Episode


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    # Where the owner lives, as record_episode would keep it.
    time_zone = factory.LazyAttribute(
        lambda e: profile_for(e.user).time_zone if getattr(e, "user", None) else "UTC"
    )
    duration_seconds = 90
    site = "calf"
    side = "left"
    intensity = 5
    activity = "sleeping"
    hydration = "normal"
