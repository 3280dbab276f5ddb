from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.services import register
from tracker import alerts
from tracker.demo import build_history
from tracker.models import Episode, Medication

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "cramp-demo-2026"  # noqa: S105 - printed on purpose: it is a demo account


class Command(BaseCommand):
    help = "Creates (or refreshes) the user 'demo' with a year of realistic cramp episodes."

    @transaction.atomic
    def handle(self, *args, **options):
        get_user_model().objects.filter(username=DEMO_USERNAME).delete()
        user = register(username=DEMO_USERNAME, password=DEMO_PASSWORD, time_zone="Europe/London")
        now = timezone.now().astimezone(user.profile.zone)
        episodes = build_history(user=user, end=now, days=365)
        Episode.objects.bulk_create(episodes)
        Medication.objects.create(
            user=user,
            name="Atorvastatin",
            kind="statin",
            started_on=(now - timedelta(days=50)).date(),
        )
        alerts.evaluate(user=user)
        self.stdout.write(
            f"Demo user ready: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}, "
            f"{len(episodes)} episodes over the last year."
        )
