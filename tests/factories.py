from datetime import timedelta

import factory
from django.utils import timezone

from tracker.models import Episode


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    duration_seconds = 90
    site = "calf"
    side = "left"
    intensity = 5
    activity = "sleeping"
    hydration = "normal"
