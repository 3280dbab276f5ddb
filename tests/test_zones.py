"""tracker/zones.py: which zone a cramp keeps, and how zones are named."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tracker.zones import offset_name, validate_zone_name, zone_label, zone_name_for, zone_named

WINTER = datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


def at_offset(hours: float) -> datetime:
    return WINTER.astimezone(timezone(timedelta(hours=hours)))


def test_a_time_typed_in_a_zone_keeps_that_zone():
    moment = WINTER.astimezone(ZoneInfo("America/New_York"))
    assert zone_name_for(moment, "Europe/Berlin") == "America/New_York"


def test_an_offset_the_usual_zone_had_then_keeps_the_usual_zone():
    assert zone_name_for(at_offset(1), "Europe/Berlin") == "Europe/Berlin"


def test_the_same_offset_in_summer_time_is_not_the_usual_zone():
    summer = datetime(2026, 7, 1, 1, 15, tzinfo=timezone(timedelta(hours=1)))
    assert zone_name_for(summer, "Europe/Berlin") == "UTC+01:00"  # Berlin was at +02:00


def test_utc_keeps_the_usual_zone():
    assert zone_name_for(WINTER, "Asia/Tokyo") == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("hours", "name"), [(9, "UTC+09:00"), (5.5, "UTC+05:30"), (-3.5, "UTC-03:30")]
)
def test_another_offset_is_kept_as_it_was_sent(hours, name):
    assert zone_name_for(at_offset(hours), "Europe/Berlin") == name
    assert zone_named(name).utcoffset(None) == timedelta(hours=hours)


def test_an_offset_with_seconds_is_rounded_to_the_minute():
    assert offset_name(timedelta(hours=5, minutes=30, seconds=20)) == "UTC+05:30"


@pytest.mark.parametrize("name", ["Europe/Berlin", "UTC", "UTC+14:00", "UTC-09:30"])
def test_known_zones_and_offsets_are_valid(name):
    validate_zone_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Mars/Olympus_Mons", "Unknown time zone"),
        ("UTC+15:00", "No place on Earth"),
        ("UTC+01:75", "Unknown time zone"),
        ("+01:00", "Unknown time zone"),
        ("", "Unknown time zone"),
    ],
)
def test_unknown_zones_and_impossible_offsets_are_refused(name, message):
    with pytest.raises(ValidationError, match=message):
        validate_zone_name(name)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Europe/Berlin", "Berlin"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("UTC+09:00", "UTC+09:00"),
        ("UTC", "UTC"),
    ],
)
def test_a_zone_is_named_by_its_place(name, label):
    assert zone_label(name) == label
