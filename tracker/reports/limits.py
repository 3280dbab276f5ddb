"""How many exports one owner or one share link may ask for: a fixed window per minute and
per hour, counted in the database (`ExportCount`) so every worker shares the count."""

import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import ExportCount


def _windows() -> list[tuple[int, int]]:
    return [(60, settings.EXPORT_LIMIT_PER_MINUTE), (3600, settings.EXPORT_LIMIT_PER_HOUR)]


def _count_one(who: str, seconds: int, start: datetime) -> int:
    """Adds one to the window's count and returns the new count; atomic across workers."""
    window = ExportCount.objects.filter(who=who, window_seconds=seconds, window_start=start)
    if not window.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                ExportCount.objects.create(
                    who=who, window_seconds=seconds, window_start=start, count=1
                )
        except IntegrityError:  # another worker opened the window first
            window.update(count=F("count") + 1)
        # A new window: the ones no limit looks at any more go.
        longest = max(s for s, _ in _windows())
        ExportCount.objects.filter(window_start__lt=start - timedelta(seconds=longest)).delete()
    return window.values_list("count", flat=True).get()


def take(*, who: str, now: datetime, windows: list[tuple[int, int]] | None = None) -> int | None:
    """Counts one export; None if it is allowed, else the seconds until it would be.

    `windows`, (seconds, limit) pairs, count other tries (sign-up per address) in the same
    table; none may be longer than an hour, which is as long as the clean-up keeps a count.

    A refused request is taken off again, so asking too often does not use up the hour."""
    epoch = now.timestamp()
    counted, wait = [], None
    for seconds, limit in windows or _windows():
        start = datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)
        counted.append((seconds, start))
        if _count_one(who, seconds, start) > limit:
            wait = max(wait or 1, math.ceil(start.timestamp() + seconds - epoch))
    if wait is not None:
        for seconds, start in counted:
            ExportCount.objects.filter(who=who, window_seconds=seconds, window_start=start).update(
                count=F("count") - 1
            )
    return wait
