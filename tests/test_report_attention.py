"""What needs attention in a report's period (tracker/reports/attention.py): found by the
alert rules' own functions, over the period only, and worded about the patient."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import EpisodeFactory
from tracker.alerts import patterns
from tracker.models import Medication
from tracker.periods import Period
from tracker.reports.attention import about_the_patient, find

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def found(user, period=NOVEMBER):
    return find(user=user, period=period, zone=BERLIN, now=NOW)


def test_a_cramp_can_meet_several_rules_and_each_is_named(alice):
    Medication.objects.create(
        user=alice, name="Simvastatin", kind="statin", started_on=date(2026, 10, 1)
    )
    cramp = EpisodeFactory(
        user=alice, started_at=datetime(2026, 11, 10, 8, tzinfo=UTC), symptoms=["weakness"]
    )
    (flagged,) = found(alice).flagged
    assert flagged.id == cramp.id and set(flagged.rules) == {"red_flag", "medication"}
    assert flagged.when == "Tue 10 Nov 2026 09:00"
    assert flagged.what == "Calf, left, 1 min 30 s, pain 5/10"
    noted = {r.rule: r.noted for r in flagged.reasons}
    assert noted["medication"] == "weakness while taking Simvastatin, a statin"
    assert all(r.level == "urgent" and r.level_words == "urgent" for r in flagged.reasons)


def test_only_the_periods_cramps_are_looked_at(alice):
    for day in (date(2026, 10, 31), date(2026, 12, 1)):
        EpisodeFactory(
            user=alice,
            started_at=datetime.combine(day, datetime.min.time(), BERLIN) + timedelta(hours=12),
            duration_seconds=20 * 60,
        )
    assert found(alice).flagged == []
    assert [e.rules for e in found(alice, OCTOBER).flagged] == [["prolonged"]]


def test_a_medicine_stopped_before_the_period_flags_nothing_in_it(alice):
    Medication.objects.create(
        user=alice,
        name="Furosemide",
        kind="diuretic",
        started_on=date(2026, 9, 1),
        stopped_on=date(2026, 10, 15),
    )
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 10, 8, tzinfo=UTC))
    EpisodeFactory(user=alice, started_at=datetime(2026, 10, 10, 8, tzinfo=UTC))
    assert found(alice).flagged == []
    assert [e.rules for e in found(alice, OCTOBER).flagged] == [["fluid_loss"]]


def test_patterns_are_as_they_stood_at_the_end_of_the_period(alice):
    for day in range(25, 31):  # six cramps in the last week of October: frequent then
        EpisodeFactory(
            user=alice, started_at=datetime(2026, 10, day, 8, tzinfo=UTC), activity="sitting"
        )
    october = found(alice, OCTOBER)
    assert october.as_of == date(2026, 10, 31)
    assert [p.rule for p in october.patterns] == ["frequent"]
    assert october.patterns[0].message == "6 cramps in the last 7 days, 6 in the last 30."
    november = found(alice)
    assert november.as_of == date(2026, 11, 25)  # today: the period has not ended yet
    assert november.patterns == []


def test_the_persons_own_thresholds_are_used_and_marked_as_app_settings(alice):
    alice.profile.alert_thresholds = {"prolonged_minutes": 5}
    alice.profile.save()
    EpisodeFactory(
        user=alice, started_at=datetime(2026, 11, 10, 8, tzinfo=UTC), duration_seconds=6 * 60
    )
    result = found(alice)
    ((reason,),) = [e.reasons for e in result.flagged]
    assert reason.guidance.endswith("This app flags from 5 minutes¹.")
    assert "A long cramp is one over 5 minutes (NHS: 10)." in result.footnote


@pytest.mark.parametrize(
    ("said", "about"),
    [
        (patterns.app_setting("This app flags 3 in 7 days."), "This app flags 3 in 7 days.¹"),
        ("You logged 3 cramp(s)", "The patient logged 3 cramp(s)"),
        ("More cramps since you started X.", "More cramps since starting X."),
        (
            "2 cramps while walking (you did not say what helped)",
            "2 cramps while walking (the patient did not say what helped)",
        ),
        (
            "Your cramps are getting more frequent.",
            "The patient's cramps are getting more frequent.",
        ),
        ("What you tried did not help", "What the patient tried did not help"),
        ("when cramps disturb your sleep.", "when cramps disturb sleep."),
    ],
)
def test_the_rules_words_are_turned_about_the_patient(said, about):
    assert about_the_patient(said) == about
