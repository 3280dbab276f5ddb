"""The floor the API create is measured against: a bare Django view, no middleware, that
parses the JSON body and durably inserts one episode row (same table, same database
settings, committed as the app commits). Served by gunicorn with
DJANGO_SETTINGS_MODULE=bench.floor, as the app is with bench.settings."""

import json

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.utils.dateparse import parse_datetime

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
MIDDLEWARE = []
FLOOR_USER_ID = 1  # the first bench user: the floor has no authentication to find one


def durable_insert(request):
    """json.loads, one INSERT in its own transaction, the id back: nothing else."""
    from tracker.models import Episode

    data = json.loads(request.body)
    with transaction.atomic():
        episode = Episode.objects.create(
            id=data["id"],
            user_id=FLOOR_USER_ID,
            started_at=parse_datetime(data["started_at"]),
            duration_seconds=data["duration_seconds"],
            site=data["site"],
            side=data["side"],
            intensity=data["intensity"],
            activity=data["activity"],
            hydration=data["hydration"],
            symptoms=data["symptoms"],
            relief=data["relief"],
            relief_helped=data["relief_helped"],
            time_zone="UTC",
        )
    return JsonResponse({"id": str(episode.id)}, status=201)


def up(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/floor/", durable_insert), path("bench/bare/", up)]
