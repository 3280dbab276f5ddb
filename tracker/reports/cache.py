"""Summaries, what needs attention and rendered charts are reused until the data changes.

The cache key carries a fingerprint of the data (how many episodes and medicines, and when
one last changed), so any save or delete makes a new key and old entries simply age out.
"""

import hashlib
import json
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from accounts.models import profile_for

from ..days import local_day
from ..periods import Period
from . import attention, charts
from .summary import summary

TIMEOUT = 60 * 60 * 24


def data_version(user) -> str:
    episodes = user.episodes.aggregate(n=Count("id"), last=Max("updated_at"))
    medicines = user.medications.aggregate(n=Count("id"), last=Max("updated_at"))
    return "{}-{}-{}-{}".format(
        episodes["n"],
        episodes["last"] and episodes["last"].timestamp(),
        medicines["n"],
        medicines["last"] and medicines["last"].timestamp(),
    )


def _key(user, version: str, *parts) -> str:
    return ":".join(["report", str(user.pk), version, *map(str, parts)])


def summary_for(
    user, period: Period, version: str | None = None, today: date | None = None
) -> dict:
    """The summary, kept per day as well: the days logged end with today."""
    version = version or data_version(user)
    today = today or local_day(timezone.now(), profile_for(user).zone)
    key = _key(user, version, "summary", period.start, period.end, today)
    found = cache.get(key)
    if found is None:
        found = summary(user=user, start=period.start, end=period.end, today=today)
        cache.set(key, found, TIMEOUT)
    return found


def attention_for(
    user, period: Period, now: datetime, version: str, profile
) -> attention.Attention:
    """attention.find, reused until the data, the day, or the person's zone or thresholds
    change (the rules read those from the profile)."""
    zone = profile.zone
    settings = json.dumps(
        [profile.time_zone, profile.alert_thresholds, profile.pregnant_or_recent_birth],
        sort_keys=True,
    )
    fingerprint = hashlib.sha256(settings.encode()).hexdigest()[:16]
    day = local_day(now, zone)
    key = _key(user, version, "attention", period.start, period.end, day, fingerprint)
    found = cache.get(key)
    if found is None:
        found = attention.find(user=user, period=period, zone=zone, now=now)
        cache.set(key, found, TIMEOUT)
    return found


def chart_for(
    user, name: str, period: Period, fmt: str = "svg", version: str | None = None
) -> dict:
    """{title, alt, header, rows, image}: the image drawn once per data version and format."""
    version = version or data_version(user)
    key = _key(user, version, "chart", name, fmt, period.start, period.end)
    found = cache.get(key)
    if found is None:
        s = summary_for(user, period, version)
        medications = period.taken_in(user.medications.all()) if name == "weekly" else ()
        chart = charts.draw(name, s, list(medications))
        found = {
            "name": name,
            "title": chart.title,
            "alt": chart.alt,
            "header": chart.header,
            "rows": chart.rows,
            "image": charts.to_bytes(chart.figure, fmt),
        }
        cache.set(key, found, TIMEOUT)
    return found
