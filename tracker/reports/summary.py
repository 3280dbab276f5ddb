"""The numbers behind the Trends page, the physician report and the exports.

Every figure is an SQL aggregate, so the number of queries is fixed however long the
history. Days and weeks are the user's own (their profile's time zone); the hour and weekday
of each cramp are those of the clock where it happened (its own zone).
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Avg, Case, Count, IntegerField, Max, Min, Q, Sum, When
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncWeek
from django.utils import timezone

from accounts.models import profile_for

from ..days import local_day
from ..models import Activity, Hydration, Relief, ReliefHelped, Side, Site
from ..periods import Period
from ..zones import zone_named

NIGHT_STARTS, NIGHT_ENDS = 22, 6  # 22:00-06:00 local, or asleep at any hour


def first_logged(user, zone: ZoneInfo) -> date:
    """The first day the person logged anything: their first cramp, or the day they joined
    if that is earlier (a day with the app and no cramp is a day without one)."""
    first = user.episodes.aggregate(first=Min("started_at"))["first"]
    return min(local_day(moment, zone) for moment in (user.date_joined, first) if moment)


def _key_numbers(episodes, period: Period, logged: Period | None) -> dict:
    """Count, rate, duration and intensity: the numbers compared with the previous period.

    The rate is per week over the days logged; with no day logged it is None, not 0."""
    totals = episodes.aggregate(
        count=Count("id"),
        longest=Max("duration_seconds"),
        mean_intensity=Avg("intensity"),
        highest_intensity=Max("intensity"),
    )
    count = totals["count"]
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "days": period.days,
        "logged_from": logged.start.isoformat() if logged else None,
        "logged_to": logged.end.isoformat() if logged else None,
        "days_logged": logged.days if logged else 0,
        "count": count,
        "per_week": round(count * 7 / logged.days, 2) if logged else None,
        "median_duration_seconds": _median_duration(episodes, count),
        "longest_duration_seconds": totals["longest"],
        "mean_intensity": round(totals["mean_intensity"], 1) if count else None,
        "highest_intensity": totals["highest_intensity"],
    }


def _median_duration(episodes, count: int) -> float | None:
    """The middle duration, read by the database's own ordering: one query, at most two rows."""
    if not count:
        return None
    middle = list(
        episodes.order_by("duration_seconds").values_list("duration_seconds", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return sum(middle) / len(middle)


def _relief_counts(episodes) -> dict:
    """Per method: how often it was tried, and how often it helped or partly helped.

    Sets are stored as JSON lists of known values, so a quoted value matches exactly one
    method, on SQLite and PostgreSQL alike.
    """
    aggregates = {}
    for method in Relief.values:
        tried = Q(relief__icontains=f'"{method}"')
        aggregates[f"{method}__tried"] = Count("id", filter=tried)
        aggregates[f"{method}__yes"] = Count("id", filter=tried & Q(relief_helped=ReliefHelped.YES))
        aggregates[f"{method}__partly"] = Count(
            "id", filter=tried & Q(relief_helped=ReliefHelped.PARTLY)
        )
    counts = episodes.aggregate(**aggregates)
    return {
        method: {
            "tried": counts[f"{method}__tried"],
            "helped": counts[f"{method}__yes"],
            "partly": counts[f"{method}__partly"],
        }
        for method in Relief.values
    }


def _counts(rows, field: str, choices) -> dict:
    totals = dict.fromkeys(choices, 0)
    for row in rows:
        totals[row[field]] += row["n"]
    return totals


def _weekly(episodes, zone: ZoneInfo) -> list[dict]:
    """Per local week (Monday first): episodes by site, mean intensity and duration."""
    rows = (
        episodes.annotate(week=TruncWeek("started_at", tzinfo=zone))
        .values("week", "site")
        .annotate(n=Count("id"), intensity=Sum("intensity"), duration=Sum("duration_seconds"))
        .order_by("week", "site")
    )
    weeks: dict[date, dict] = {}
    for row in rows:
        week = weeks.setdefault(
            row["week"].date() if hasattr(row["week"], "date") else row["week"],
            {"by_site": dict.fromkeys(Site.values, 0), "count": 0, "intensity": 0, "duration": 0},
        )
        week["by_site"][row["site"]] += row["n"]
        week["count"] += row["n"]
        week["intensity"] += row["intensity"]
        week["duration"] += row["duration"]
    return [
        {
            "week_start": start.isoformat(),
            "count": w["count"],
            "by_site": w["by_site"],
            "mean_intensity": round(w["intensity"] / w["count"], 1),
            "mean_duration_seconds": round(w["duration"] / w["count"], 1),
        }
        for start, w in sorted(weeks.items())
    ]


def _where_it_happened(episodes) -> tuple[Case, Case]:
    """Each episode's hour and weekday on the clock where it happened (03:15 in Berlin stays
    03:15 after a move): one CASE over the zones in the period, so one query more in all."""
    names = list(episodes.values_list("time_zone", flat=True).distinct())
    return tuple(
        Case(
            *[
                When(time_zone=name, then=part("started_at", tzinfo=zone_named(name)))
                for name in names
            ],
            output_field=IntegerField(),
        )
        for part in (ExtractHour, ExtractIsoWeekDay)
    )


def summary(*, user, start: date, end: date, today: date | None = None) -> dict:
    """The numbers for a period and, for comparison, the same key numbers for the one before.

    `today` (the user's, by default) ends the days logged: later days cannot hold a cramp yet.
    """
    zone = profile_for(user).zone
    today = today or local_day(timezone.now(), zone)
    period, began = Period(start, end), first_logged(user, zone)
    episodes = period.filter(user.episodes.all(), zone).order_by()
    local_hour, local_weekday = _where_it_happened(episodes)
    numbers = _key_numbers(episodes, period, period.logged(began, today))
    night = Q(activity=Activity.SLEEPING) | Q(hour__gte=NIGHT_STARTS) | Q(hour__lt=NIGHT_ENDS)
    night_count = episodes.annotate(hour=local_hour).aggregate(n=Count("id", filter=night))["n"]
    by_place = list(episodes.values("site", "side").annotate(n=Count("id")))
    by_circumstance = list(episodes.values("activity", "hydration").annotate(n=Count("id")))
    grid = [[0] * 24 for _ in range(7)]  # Monday first, hours 0-23, local time
    hour_rows = episodes.annotate(hour=local_hour, weekday=local_weekday)
    for row in hour_rows.values("weekday", "hour").annotate(n=Count("id")):
        if row["n"]:  # with no episode the CASE is a constant, and SQL still answers a row
            grid[row["weekday"] - 1][row["hour"]] += row["n"]
    before = period.previous
    previous = _key_numbers(
        before.filter(user.episodes.all(), zone).order_by(), before, before.logged(began, today)
    )
    if not previous["days_logged"]:
        previous["count"] = None  # not logged: unknown, never "0 cramps"
    return {
        **numbers,
        "time_zone": str(zone),
        "by_site": _counts(by_place, "site", Site.values),
        "by_side": _counts(by_place, "side", Side.values),
        "by_activity": _counts(by_circumstance, "activity", Activity.values),
        "by_hydration": _counts(by_circumstance, "hydration", Hydration.values),
        "by_weekday_hour": grid,
        "night_count": night_count,
        "night_share": round(night_count / numbers["count"], 3) if numbers["count"] else None,
        "relief": _relief_counts(episodes),
        "weekly": _weekly(episodes, zone),
        "previous": previous,
    }


def _length(seconds) -> str:
    if seconds is None:
        return "-"
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def _change(now, before) -> str:
    if now is None or before in (None, 0):
        return "-"
    return f"{(now - before) / before * 100:+.0f}%"


NOT_LOGGED = "not logged"


def _shown(value) -> str:
    return "-" if value is None else str(value)


def key_figures(s: dict) -> list[tuple[str, str, str, str]]:
    """(what, this period, the period before, change): the rows the page and the PDF show.

    A period before the person began logging shows "not logged", never 0, and no change."""
    p = s["previous"]
    rows = [
        ("Cramps", str(s["count"]), _shown(p["count"]), _change(s["count"], p["count"])),
        (
            "Per week (days logged)",
            _shown(s["per_week"]),
            _shown(p["per_week"]),
            _change(s["per_week"], p["per_week"]),
        ),
        (
            "Typical length (median)",
            _length(s["median_duration_seconds"]),
            _length(p["median_duration_seconds"]),
            _change(s["median_duration_seconds"], p["median_duration_seconds"]),
        ),
        (
            "Longest",
            _length(s["longest_duration_seconds"]),
            _length(p["longest_duration_seconds"]),
            "",
        ),
        (
            "Average pain (0-10)",
            _shown(s["mean_intensity"]),
            _shown(p["mean_intensity"]),
            _change(s["mean_intensity"], p["mean_intensity"]),
        ),
        ("Highest pain", _shown(s["highest_intensity"]), _shown(p["highest_intensity"]), ""),
    ]
    if not p["days_logged"]:
        rows = [(what, now, NOT_LOGGED, "") for what, now, _, _ in rows]
    night = f"{round(s['night_share'] * 100)}%" if s["night_share"] is not None else "-"
    logged = [("Days logged", f"{s['days_logged']} of {s['days']}", _days_logged(p), "")]
    return logged + rows + [("At night or in sleep", night, "", "")]


def _days_logged(p: dict) -> str:
    return f"{p['days_logged']} of {p['days']}" if p["days_logged"] else NOT_LOGGED
