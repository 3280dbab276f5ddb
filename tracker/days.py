"""Calendar days in the user's time zone: a cramp at 23:30 belongs to that evening."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.utils import timezone


def local_midnight(day: date, zone: tzinfo | None = None) -> datetime:
    """The instant the day starts where the user lives (the active time zone by default)."""
    return datetime.combine(day, time.min, tzinfo=zone or timezone.get_current_timezone())


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def last_days_start(today: date, days: int, zone: tzinfo) -> datetime:
    """Start of a window of `days` calendar days ending with (and including) today."""
    return local_midnight(today - timedelta(days=days - 1), zone)


def wall_clock_to_instant(value: datetime, zone: tzinfo) -> datetime | None:
    """A time as read off a clock where the user lives; None if that clock never showed it.

    In the hour clocks skip in spring there is no such instant. In the hour they repeat in
    autumn the first of the two is meant: people log the cramp the first time 02:30 comes.
    """
    moment = value.replace(tzinfo=zone, fold=0)
    back = moment.astimezone(UTC).astimezone(zone)
    return moment if back.replace(tzinfo=None) == value.replace(tzinfo=None) else None
