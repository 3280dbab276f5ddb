"""Calendar days in the user's time zone: a cramp at 23:30 belongs to that evening."""

from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone


def local_midnight(day: date, zone: tzinfo | None = None) -> datetime:
    """The instant the day starts where the user lives (the active time zone by default)."""
    return datetime.combine(day, time.min, tzinfo=zone or timezone.get_current_timezone())


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def last_days_start(today: date, days: int, zone: tzinfo) -> datetime:
    """Start of a window of `days` calendar days ending with (and including) today."""
    return local_midnight(today - timedelta(days=days - 1), zone)
