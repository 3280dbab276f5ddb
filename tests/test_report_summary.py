"""summary() against numbers worked out by hand, for a user in New York (UTC-5 in November)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import EpisodeFactory
from tracker.reports import summary

NEW_YORK = ZoneInfo("America/New_York")


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def carol(db):
    from accounts.services import register

    return register(username="carol", password="carol-password-1", time_zone="America/New_York")


@pytest.fixture
def history(carol):
    log = lambda when, **f: EpisodeFactory(user=carol, started_at=when, **f)  # noqa: E731
    # The period: 1-14 November 2026 (14 days) in New York.
    log(
        at(11, 2, 23, 30),
        duration_seconds=60,
        intensity=4,
        site="calf",
        side="left",
        activity="resting",
        hydration="low",
        relief=["stretching"],
        relief_helped="yes",
    )
    log(
        at(11, 4, 3),
        duration_seconds=120,
        intensity=6,
        site="calf",
        side="right",
        activity="sleeping",
        hydration="normal",
        relief=["stretching", "massage"],
        relief_helped="no",
    )
    log(
        at(11, 9, 14),
        duration_seconds=30,
        intensity=2,
        site="inner_thigh",
        side="left",
        activity="exercise",
        hydration="low",
        relief=["massage"],
        relief_helped="partly",
    )
    log(
        at(11, 14, 23, 59),
        duration_seconds=900,
        intensity=9,
        site="back_of_thigh",
        side="both",
        activity="walking",
        hydration="high",
        relief=[],
        relief_helped=None,
    )
    # Outside: 15 Nov 00:30 New York is still 14 Nov... no: it is 15 Nov 05:30 UTC. Out.
    log(at(11, 15, 0, 30), duration_seconds=999, intensity=10)
    # 1 Nov 00:10 New York (04:10 UTC) is in; 31 Oct 23:50 New York (1 Nov 03:50 UTC) is not.
    log(
        at(11, 1, 0, 10),
        duration_seconds=45,
        intensity=5,
        site="foot",
        side="left",
        activity="sitting",
        hydration="normal",
    )
    log(at(10, 31, 23, 50), duration_seconds=70, intensity=3)  # the previous period
    log(at(10, 20, 12), duration_seconds=50, intensity=1)  # the previous period
    return carol


def test_the_key_numbers_match_a_hand_count(history):
    s = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))
    assert (s["from"], s["to"], s["days"], s["time_zone"]) == (
        "2026-11-01",
        "2026-11-14",
        14,
        "America/New_York",
    )
    assert s["count"] == 5
    assert s["per_week"] == 2.5
    assert s["median_duration_seconds"] == 60  # 30, 45, 60, 120, 900
    assert s["longest_duration_seconds"] == 900
    assert s["mean_intensity"] == 5.2  # (4 + 6 + 2 + 9 + 5) / 5
    assert s["highest_intensity"] == 9


def test_the_previous_period_is_the_same_length_just_before(history):
    previous = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))["previous"]
    assert (previous["from"], previous["to"]) == ("2026-10-18", "2026-10-31")
    assert previous["count"] == 2
    assert previous["median_duration_seconds"] == 60  # (50 + 70) / 2
    assert previous["mean_intensity"] == 2.0 and previous["highest_intensity"] == 3


def test_counts_by_site_side_activity_and_hydration(history):
    s = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))
    assert s["by_site"] == {
        "inner_thigh": 1,
        "back_of_thigh": 1,
        "front_of_thigh": 0,
        "calf": 2,
        "foot": 1,
        "other": 0,
    }
    assert s["by_side"] == {"left": 3, "right": 1, "both": 1}
    assert s["by_activity"]["sleeping"] == 1 and s["by_activity"]["walking"] == 1
    assert s["by_activity"]["standing_up"] == 0
    assert s["by_hydration"] == {"low": 2, "normal": 2, "high": 1}


def test_hours_and_weekdays_are_local(history):
    grid = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))["by_weekday_hour"]
    # Mon 2 Nov 23:30 local (Tue 04:30 UTC) counts on Monday at 23.
    assert grid[0][23] == 1 and grid[1][4] == 0
    assert grid[2][3] == 1  # Wed 4 Nov 03:00
    assert grid[0][14] == 1  # Mon 9 Nov 14:00
    assert grid[5][23] == 1  # Sat 14 Nov 23:59
    assert grid[6][0] == 1  # Sun 1 Nov 00:10
    assert sum(map(sum, grid)) == 5


def test_night_is_asleep_or_between_22_and_6_local(history):
    s = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))
    # 23:30 (resting), 03:00 (sleeping), 23:59 (walking), 00:10 (sitting) are night; 14:00 is not.
    assert s["night_count"] == 4 and s["night_share"] == 0.8


def test_relief_tried_and_helped_per_method(history):
    relief = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))["relief"]
    assert relief["stretching"] == {"tried": 2, "helped": 1, "partly": 0}
    assert relief["massage"] == {"tried": 2, "helped": 0, "partly": 1}
    assert relief["walking"] == {"tried": 0, "helped": 0, "partly": 0}


def test_weeks_start_on_local_mondays(history):
    weekly = summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))["weekly"]
    assert [(w["week_start"], w["count"]) for w in weekly] == [
        ("2026-10-26", 1),  # Sun 1 Nov belongs to the week of Mon 26 Oct
        ("2026-11-02", 2),
        ("2026-11-09", 2),
    ]
    assert weekly[1]["by_site"]["calf"] == 2
    assert weekly[1]["mean_intensity"] == 5.0 and weekly[1]["mean_duration_seconds"] == 90.0


def test_an_empty_period_has_zeros_not_errors(carol):
    s = summary(user=carol, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert s["count"] == 0 and s["median_duration_seconds"] is None and s["night_share"] is None
    assert s["weekly"] == []


def test_another_users_episodes_never_count(history, bob):
    EpisodeFactory(user=bob, started_at=at(11, 5, 12))
    assert summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))["count"] == 5


def test_the_number_of_queries_does_not_grow_with_the_history(
    history, django_assert_max_num_queries
):
    # 12: one is the list of zones the period's cramps happened in (for the heat map), one the
    # first day logged (for the rates).
    with django_assert_max_num_queries(12):
        summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))
    for n in range(60):
        zone = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"][n % 3]
        EpisodeFactory(user=history, started_at=at(11, 1 + n % 14, n % 24), time_zone=zone)
    with django_assert_max_num_queries(12):
        summary(user=history, start=date(2026, 11, 1), end=date(2026, 11, 14))
