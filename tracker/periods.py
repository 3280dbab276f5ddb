"""Calendar periods: the days a report, a filter or a share link covers, both ends included.

One place for the rules every period follows (the sensible range of dates, the longest
period, the default) and for turning days into instants in the user's time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Q

from .days import local_midnight

# Beyond these a local midnight cannot be turned into UTC; nobody logs cramps there anyway.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 12, 31)
MAX_DAYS = 3660  # ten years and a little: what one report may cover
DEFAULT_DAYS = 90  # a report's period when none is asked for, today included


@dataclass(frozen=True)
class Period:
    """Calendar days in the user's time zone, both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Period":
        """The period of equal length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def starts_at(self, zone: tzinfo) -> datetime:
        return local_midnight(self.start, zone)

    def ends_before(self, zone: tzinfo) -> datetime:
        """The first instant after the period: the midnight that ends its last day."""
        return local_midnight(self.end + timedelta(days=1), zone)

    def filter(self, episodes, zone: tzinfo):
        return episodes.filter(
            started_at__gte=self.starts_at(zone), started_at__lt=self.ends_before(zone)
        )

    def meets(self, first: date, last: date | None) -> bool:
        """Whether the days from `first` to `last` (None: still going) share one with it."""
        return first <= self.end and (last is None or last >= self.start)

    def taken_in(self, medications):
        """The medicines taken on at least one day of the period (a report shows no others):
        `meets`, in SQL."""
        return medications.filter(started_on__lte=self.end).filter(
            Q(stopped_on__isnull=True) | Q(stopped_on__gte=self.start)
        )

    def logged(self, first_logged: date | None, today: date) -> "Period | None":
        """The days of the period the person was logging: from the later of its start and
        their first day (first cramp or account), to the earlier of its end and today.
        None when there is no such day: nothing was recorded then, not "no cramps"."""
        if first_logged is None:
            return None
        start, end = max(self.start, first_logged), min(self.end, today)
        return Period(start, end) if start <= end else None


def last_days(today: date, days: int) -> Period:
    return Period(today - timedelta(days=days - 1), today)


def problems(start: date | None, end: date | None) -> dict[str, str]:
    """What is wrong with a period a person asked for, by "start" and "end"; empty if fine."""
    found = {
        name: "Choose a date between 1900 and 9000."
        for name, day in (("start", start), ("end", end))
        if day and not EARLIEST_DAY <= day <= LATEST_DAY
    }
    if found:
        return found
    if (start is None) != (end is None):
        return {"end" if start else "start": "Give both dates, or neither."}
    if start and end and end < start:
        return {"end": "The end cannot be before the start."}
    if start and end and Period(start, end).days > MAX_DAYS:
        return {"end": f"At most {MAX_DAYS} days at a time."}
    return {}


def fill_in(start: date | None, end: date | None, today: date) -> tuple[date | None, date | None]:
    """The API's defaults for a period given by one end: `to` is today (at most DEFAULT_DAYS
    days on from `from`), `from` is DEFAULT_DAYS days back from `to` (not before 1900)."""
    span = timedelta(days=DEFAULT_DAYS - 1)
    if start and not end:
        return start, max(start, min(today, start + span))
    if end and not start and end - date.min > span:
        return max(end - span, EARLIEST_DAY), end
    return start, end
