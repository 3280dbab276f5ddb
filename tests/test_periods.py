"""Calendar periods (tracker/periods.py): the one place for a period's days and rules."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.periods import MAX_DAYS, Period, fill_in, last_days, problems

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))


def test_a_period_counts_both_ends_and_the_one_before_is_as_long():
    assert NOV.days == 30
    assert NOV.previous == Period(date(2026, 10, 2), date(2026, 10, 31))
    assert last_days(date(2026, 11, 25), 90) == Period(date(2026, 8, 28), date(2026, 11, 25))


def test_its_bounds_are_local_midnights():
    berlin = ZoneInfo("Europe/Berlin")
    assert NOV.starts_at(berlin) == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert NOV.ends_before(berlin) == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first_logged", "today", "logged"),
    [
        (date(2025, 1, 1), date(2026, 12, 25), NOV),  # logging long before, the period is past
        (date(2026, 11, 23), date(2026, 12, 25), Period(date(2026, 11, 23), NOV.end)),
        (date(2026, 10, 1), date(2026, 11, 25), Period(NOV.start, date(2026, 11, 25))),
        (date(2026, 11, 23), date(2026, 11, 25), Period(date(2026, 11, 23), date(2026, 11, 25))),
        (date(2026, 12, 2), date(2026, 12, 25), None),  # began after it: not logged
        (None, date(2026, 12, 25), None),
    ],
)
def test_the_days_logged_run_from_the_first_day_logged_to_today(first_logged, today, logged):
    assert NOV.logged(first_logged, today) == logged


@pytest.mark.parametrize(
    ("first", "last", "meets"),
    [
        (date(2026, 10, 1), date(2026, 11, 1), True),
        (date(2026, 10, 1), date(2026, 10, 31), False),
        (date(2026, 11, 30), None, True),
        (date(2026, 12, 1), None, False),
        (date(2020, 1, 1), None, True),
    ],
)
def test_a_span_of_days_meets_the_period_when_they_share_a_day(first, last, meets):
    assert NOV.meets(first, last) is meets


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        (date(2026, 1, 1), date(2026, 1, 31), {}),
        (None, None, {}),
        (date(1899, 12, 31), date(2026, 1, 1), {"start": "Choose a date between 1900 and 9000."}),
        (date(2026, 1, 1), None, {"end": "Give both dates, or neither."}),
        (None, date(2026, 1, 1), {"start": "Give both dates, or neither."}),
        (date(2026, 1, 2), date(2026, 1, 1), {"end": "The end cannot be before the start."}),
        (date(2000, 1, 1), date(2026, 1, 1), {"end": f"At most {MAX_DAYS} days at a time."}),
    ],
)
def test_the_rules_every_period_follows_name_the_end_that_breaks_them(start, end, found):
    assert problems(start, end) == found


def test_the_longest_period_allowed_is_max_days():
    start = date(2010, 1, 1)
    longest = Period(start, start + timedelta(days=MAX_DAYS - 1))
    assert longest.days == MAX_DAYS and problems(longest.start, longest.end) == {}
    assert "end" in problems(start, longest.end + timedelta(days=1))


@pytest.mark.parametrize(
    ("start", "end", "filled"),
    [
        (date(2026, 11, 1), None, (date(2026, 11, 1), date(2026, 11, 25))),
        (date(2026, 1, 1), None, (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2027, 1, 1), None, (date(2027, 1, 1), date(2027, 1, 1))),
        (None, date(2026, 11, 25), (date(2026, 8, 28), date(2026, 11, 25))),
        (None, date(1900, 2, 1), (date(1900, 1, 1), date(1900, 2, 1))),
        (None, None, (None, None)),
    ],
)
def test_the_api_fills_in_the_missing_end(start, end, filled):
    assert fill_in(start, end, today=date(2026, 11, 25)) == filled
