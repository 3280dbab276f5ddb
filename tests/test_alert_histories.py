"""The histories a clinician reviewer tried, and what each should (and should not) raise.

Time is frozen at noon on Wed 25 Nov 2026, UTC; Alice lives in Berlin.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import EpisodeFactory
from tracker import alerts, logbook
from tracker.alerts import patterns, signs
from tracker.alerts.situation import Situation, Tally
from tracker.forms import AlertThresholdsForm
from tracker.models import Alert, AlertRule, Episode, Medication

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def ago(days: float, hour: int = 3) -> datetime:
    """A moment `days` ago, at `hour` o'clock in Berlin."""
    day = (NOW - timedelta(days=days)).astimezone(BERLIN).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def log(user, when, **fields):
    fields = {"activity": "resting", "relief": [], "relief_helped": None, **fields}
    return EpisodeFactory(user=user, started_at=when, **fields)


def joined(user, days_ago: int):
    type(user).objects.filter(pk=user.pk).update(date_joined=NOW - timedelta(days=days_ago))
    user.refresh_from_db()


def open_alerts(user) -> dict:
    alerts.evaluate(user=user, now=NOW)
    return {a.rule: a for a in user.alerts.filter(closed_at__isnull=True)}


def test_years_on_a_statin_with_brief_painful_night_cramps_raise_nothing_urgent(alice):
    joined(alice, 3 * 365)
    Medication.objects.create(
        user=alice, name="Atorvastatin", kind="statin", started_on=date(2023, 11, 1)
    )
    for n in range(8):
        log(
            alice,
            ago(3 * n + 1),
            duration_seconds=40,
            intensity=8,
            activity="sleeping",
            relief=["stretching"],
            relief_helped="yes",
        )
    found = open_alerts(alice)
    assert "urgent" not in {a.level for a in found.values()}
    assert found["medication"].level == "soon"
    assert found["medication"].episodes.count() == 8  # one alert, not eight
    assert "app setting" in found["medication"].reason


def test_four_cramps_with_weakness_make_one_alert_listing_all_four_newest_first(alice):
    cramps = [log(alice, ago(days), symptoms=["weakness"]) for days in (2, 9, 16, 23)]
    found = open_alerts(alice)
    assert set(found) == {"red_flag"}
    red_flag = found["red_flag"]
    assert red_flag.level == "urgent" and red_flag.message == "4 cramps came with warning signs."
    assert list(red_flag.episodes.order_by("-started_at")) == cramps
    assert red_flag.sources[0]["url"].startswith("https://www.msdmanuals.com/")


def test_an_urgent_alert_about_a_cramp_26_days_ago_does_not_say_today(alice):
    log(alice, ago(26), symptoms=["numbness_tingling"])
    alert = open_alerts(alice)["red_flag"]
    assert alert.level == "urgent"
    assert "today" not in alert.advice
    assert alert.advice == "If you have not had this checked, see a doctor soon"
    assert "On Fri 30 Oct" in alert.reason


def test_today_is_said_only_while_the_newest_cramp_is_under_48_hours_old(alice):
    log(alice, NOW - timedelta(hours=47), symptoms=["weakness"])
    alert = open_alerts(alice)["red_flag"]
    assert alert.advice == "Seek care promptly, today"
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert "today" not in alert.advice


def test_cramps_while_on_a_diuretic_for_a_year_raise_a_fluid_alert(alice):
    Medication.objects.create(
        user=alice, name="Furosemide", kind="diuretic", started_on=date(2025, 11, 1)
    )
    log(alice, ago(5))
    alert = open_alerts(alice)["fluid_loss"]
    assert alert.level == "soon" and "Furosemide, a diuretic" in alert.reason


@pytest.mark.parametrize(
    ("kinds", "words"),
    [(["vomiting_diarrhoea"], "vomiting or diarrhoea"), (["heavy_sweating"], "heavy sweating")],
)
def test_the_kind_of_fluid_loss_is_named(alice, kinds, words):
    log(alice, ago(1), fluid_loss=kinds, recent_fluid_loss=True)
    alert = open_alerts(alice)["fluid_loss"]
    assert alert.level == "soon" and f"after {words}" in alert.reason


def test_walking_cramps_with_the_relief_left_blank_raise_a_routine_alert(alice):
    log(alice, ago(3, 15), activity="walking")
    log(alice, ago(10, 15), activity="walking")
    alert = open_alerts(alice)["claudication_pattern"]
    assert alert.level == "routine" and alert.episodes.count() == 2


def test_walking_cramps_eased_with_rest_are_soon(alice):
    log(alice, ago(3, 15), activity="walking", relief=["rest"], relief_helped="yes")
    log(alice, ago(10, 15), activity="walking")
    assert open_alerts(alice)["claudication_pattern"].level == "soon"


def test_a_single_cramp_after_a_quiet_spell_does_not_escalate(alice):
    log(alice, ago(40), intensity=2)
    log(alice, ago(45), intensity=2)
    log(alice, ago(1), intensity=9)
    assert "escalating" not in open_alerts(alice)


def test_escalating_needs_two_cramps_in_each_period(alice):
    log(alice, ago(40), intensity=2)
    log(alice, ago(45), intensity=2)
    log(alice, ago(1), intensity=9)
    log(alice, ago(2), intensity=9)
    assert open_alerts(alice)["escalating"].level == "routine"


def test_self_care_that_did_not_help_200_days_ago_does_not_count(alice):
    for n in range(4):
        log(alice, ago(200 + n), relief=["stretching"], relief_helped="no")
    assert "not_helped_by_self_care" not in open_alerts(alice)
    for n in range(3):
        log(alice, ago(10 + n), relief=["stretching"], relief_helped="no")
    assert "not_helped_by_self_care" in open_alerts(alice)


def test_a_cramp_over_ten_minutes_is_urgent_unless_it_eased(alice):
    log(alice, ago(1), duration_seconds=25 * 60, intensity=9)  # nothing said about easing
    assert open_alerts(alice)["prolonged"].level == "urgent"
    Episode.objects.update(relief=["stretching"], relief_helped="yes")
    assert open_alerts(alice)["prolonged"].level == "soon"


def test_swelling_and_redness_says_when_to_call_the_emergency_number(alice):
    log(alice, ago(0.1), symptoms=["swelling", "redness_warmth"], side="left")
    alert = open_alerts(alice)["red_flag"]
    assert alert.level == "urgent"
    assert "chest pain, trouble breathing or are coughing up blood" in alert.reason
    assert "emergency number" in alert.reason
    assert alert.sources[0]["url"] == "https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/"


def test_one_leg_swelling_in_pregnancy_is_urgent(alice):
    log(alice, ago(1), symptoms=["swelling"], side="left")
    assert open_alerts(alice)["red_flag"].level == "soon"
    alice.profile.pregnant_or_recent_birth = True
    alice.profile.save()
    assert open_alerts(alice)["red_flag"].level == "urgent"
    Episode.objects.update(side="both")
    assert open_alerts(alice)["red_flag"].level == "soon"


def test_not_bearing_weight_after_a_fall_is_urgent_and_names_the_emergency_number(alice):
    log(alice, ago(0.2), symptoms=["cannot_walk", "after_fall_or_injury"])
    alert = open_alerts(alice)["red_flag"]
    assert alert.level == "urgent"
    assert "after a fall, call your local emergency number" in alert.reason


def test_a_new_cramp_joins_the_open_alert_and_makes_a_seen_one_new_again(alice):
    first = log(alice, ago(5), symptoms=["swelling"])
    alert = open_alerts(alice)["red_flag"]
    alerts.acknowledge(alert=alert, now=NOW)
    open_alerts(alice)
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None  # nothing new: still seen
    second = logbook.record_episode(
        user=alice,
        fields={
            "started_at": ago(1),
            "duration_seconds": 60,
            "site": "calf",
            "side": "left",
            "intensity": 4,
            "activity": "resting",
            "hydration": "normal",
            "symptoms": ["weakness"],
        },
    )[0]
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.level == "urgent"
    assert list(alert.episodes.order_by("-started_at")) == [second, first]
    assert alice.alerts.filter(closed_at__isnull=True).count() == 1


def test_an_alert_closes_when_no_episode_meets_its_rule_any_more(alice):
    episode = log(alice, ago(5), symptoms=["swelling"])
    open_alerts(alice)
    logbook.update_episode(episode=episode, fields={"symptoms": []})
    assert alice.alerts.get().closed_at is not None


# --- benign histories raise nothing -------------------------------------------------------


def test_occasional_short_calf_cramps_after_exercise_raise_nothing(alice):
    joined(alice, 365)
    for week in range(20):
        log(
            alice,
            ago(7 * week + 2, 18),
            site="calf",
            duration_seconds=30,
            intensity=4,
            activity="exercise",
            relief=["stretching"],
            relief_helped="yes",
        )
    assert open_alerts(alice) == {}


def test_a_weekly_night_cramp_in_late_pregnancy_eased_by_stretching_raises_nothing(alice):
    alice.profile.pregnant_or_recent_birth = True
    alice.profile.save()
    for week in range(8):
        log(
            alice,
            ago(7 * week + 1),
            activity="sleeping",
            duration_seconds=90,
            intensity=6,
            relief=["stretching"],
            relief_helped="yes",
        )
    assert open_alerts(alice) == {}


def test_a_person_of_74_with_two_night_cramps_a_week_raises_nothing(alice):
    alice.profile.birth_year = 1952
    alice.profile.save()
    for week in range(12):
        for day in (1, 4):
            log(
                alice,
                ago(7 * week + day),
                activity="sleeping",
                duration_seconds=120,
                intensity=5,
                relief=["stretching"],
                relief_helped="yes",
            )
    assert open_alerts(alice) == {}


# --- thresholds -----------------------------------------------------------------------------


def thresholds_form(**changes):
    from django.conf import settings

    data = {**settings.ALERT_THRESHOLDS, **changes}
    return AlertThresholdsForm(data, current=settings.ALERT_THRESHOLDS)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("prolonged_minutes", 11, "set it lower only"),
        ("prolonged_minutes", 365, "set it lower only"),
        ("statin_intensity", 11, "from 0 to 10"),
        ("statin_intensity", 365, "from 0 to 10"),
        ("escalating_min_earlier", 1, "not a trend"),
    ],
)
def test_a_threshold_cannot_be_loosened_past_its_source_or_scale(key, value, message):
    form = thresholds_form(**{key: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[key])


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("prolonged_minutes", 10),
        ("prolonged_minutes", 5),
        ("statin_intensity", 10),
        ("statin_intensity", 6),
    ],
)
def test_a_threshold_can_be_made_more_cautious(key, value):
    assert thresholds_form(**{key: value}).is_valid()


def test_not_helped_cannot_count_more_than_it_looks_at():
    form = thresholds_form(not_helped_count=6, not_helped_of_last=5)
    assert not form.is_valid() and "not_helped_count" in form.errors


# --- shape and cost -------------------------------------------------------------------------


def test_the_rules_run_on_plain_values_without_a_database():
    """No `db` fixture: a query here would fail the test."""
    from django.conf import settings

    episode = Episode(
        started_at=NOW - timedelta(hours=3),
        duration_seconds=900,
        site="calf",
        side="left",
        intensity=7,
        activity="walking",
        symptoms=["weakness"],
        relief=[],
        relief_helped=None,
    )
    s = Situation(
        NOW,
        BERLIN,
        dict(settings.ALERT_THRESHOLDS),
        [episode],
        [episode],
        [],
        [],
        {
            name: Tally()
            for name in [
                "week",
                "month",
                "escalating_recent",
                "escalating_earlier",
                "asleep",
                "walking_eased",
            ]
        }
        | {"walking_unsaid": Tally(2)},
    )
    assert {f.rule: f.level for f in signs.single_cramp_rules(s)} == {
        "red_flag": "urgent",
        "prolonged": "urgent",
    }
    assert [f.level for f in patterns.claudication_pattern(s)] == ["routine"]
    assert set(signs.flags_of(episode, s)) == {"red_flag", "prolonged"}


def save_one(user):
    logbook.record_episode(
        user=user,
        fields={
            "started_at": NOW - timedelta(minutes=5),
            "duration_seconds": 60,
            "site": "calf",
            "side": "left",
            "intensity": 5,
            "activity": "sleeping",
            "hydration": "normal",
            "symptoms": ["swelling"],
        },
    )


@pytest.mark.parametrize("history", [10, 5000])
def test_a_save_costs_the_same_queries_however_long_the_history(
    alice, history, django_assert_max_num_queries
):
    Episode.objects.bulk_create(
        Episode(
            user=alice,
            started_at=NOW - timedelta(minutes=10 * n + 20),
            duration_seconds=60,
            site="calf",
            side="left",
            intensity=5,
            activity="sleeping",
            hydration="normal",
            symptoms=["swelling"] if n % 2 else [],
        )
        for n in range(history)
    )
    alerts.evaluate(user=alice, now=NOW)  # the alerts as they stand before the save
    # The insert, a dozen reads, and at most three writes per rule: never one per episode.
    with django_assert_max_num_queries(12 + 3 * len(AlertRule)):
        save_one(alice)
    red_flag = alice.alerts.get(rule="red_flag", closed_at__isnull=True)
    assert red_flag.episodes.count() <= 50
    assert Alert.objects.filter(user=alice, closed_at__isnull=True).count() == len(
        {a.rule for a in alice.alerts.filter(closed_at__isnull=True)}
    )


def test_a_warning_sign_weeks_after_the_last_is_a_new_alert_not_the_old_one_carried_on(alice):
    log(alice, ago(40), symptoms=["weakness"])
    with time_machine.travel(NOW - timedelta(days=39), tick=False):
        alerts.evaluate(user=alice)
    old = alice.alerts.get()
    log(alice, ago(1), symptoms=["weakness"])
    new = open_alerts(alice)["red_flag"]
    old.refresh_from_db()
    assert old.closed_at is not None and new.id != old.id
    assert new.episodes.count() == 1
