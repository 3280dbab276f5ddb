"""The alert rules at their thresholds, with time frozen, for a user in Berlin (UTC+1 in
November): "7 days" are the 7 calendar days of Berlin ending today, whatever UTC says."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Alert, Medication

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 13:00 in Berlin, Wednesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    """A moment in Berlin time, in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def log(user, when: datetime, **fields):
    fields = {"activity": "resting", "relief": [], "relief_helped": None, **fields}
    return EpisodeFactory(user=user, started_at=when, **fields)


def fired(user, rule: str) -> list[alerts.Finding]:
    return [f for f in alerts.findings(user=user, now=NOW) if f.rule == rule]


# --- red_flag -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signs", "level"),
    [
        (["swelling", "redness_warmth"], "urgent"),
        (["skin_color_change"], "urgent"),
        (["dark_urine"], "urgent"),
        (["weakness"], "urgent"),
        (["numbness_tingling"], "urgent"),
        (["cannot_walk"], "urgent"),
        (["swelling"], "soon"),
        (["redness_warmth"], "soon"),
    ],
)
def test_red_flag_levels_follow_the_sources_for_each_warning_sign(alice, signs, level):
    episode = log(alice, at(24), symptoms=signs)
    (finding,) = fired(alice, "red_flag")
    assert finding.level == level and finding.episodes == [episode]
    assert "Tue 24 Nov 12:00" in finding.reason


def test_red_flag_ignores_symptoms_that_are_not_warning_signs(alice):
    log(alice, at(24), symptoms=["knot", "visible_twitching", "limited_motion"])
    assert fired(alice, "red_flag") == []


def test_red_flag_looks_back_30_local_days_across_midnight(alice):
    # The window starts at 00:00 Berlin on 27 Oct (23:00 UTC on the 26th).
    log(alice, at(26, 23, 30, month=10), symptoms=["swelling"])  # 22:30 UTC 26 Oct: outside
    assert fired(alice, "red_flag") == []
    log(alice, at(27, 0, 30, month=10), symptoms=["swelling"])  # 23:30 UTC 26 Oct: inside
    assert len(fired(alice, "red_flag")) == 1


# --- prolonged ----------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "level"), [(599, None), (600, None), (601, "soon")])
def test_prolonged_starts_just_above_ten_minutes(alice, seconds, level):
    log(alice, at(24), duration_seconds=seconds, relief=["stretching"], relief_helped="partly")
    assert [f.level for f in fired(alice, "prolonged")] == ([level] if level else [])


def test_prolonged_is_urgent_when_relief_did_not_help(alice):
    log(alice, at(24), duration_seconds=601, relief=["stretching"], relief_helped="no")
    (finding,) = fired(alice, "prolonged")
    assert finding.level == "urgent"
    assert "lasted longer than 10 minutes" in finding.message


def test_a_users_own_threshold_replaces_the_default(alice):
    alice.profile.alert_thresholds = {"prolonged_minutes": 5}
    alice.profile.save()
    log(alice, at(24), duration_seconds=301)
    assert len(fired(alice, "prolonged")) == 1


# --- medication ---------------------------------------------------------------------------


def statin(user, started_on=date(2026, 1, 1), stopped_on=None):
    return Medication.objects.create(
        user=user, name="Atorvastatin", kind="statin", started_on=started_on, stopped_on=stopped_on
    )


@pytest.mark.parametrize(("intensity", "fires"), [(7, False), (8, True), (9, True)])
def test_on_a_statin_severe_pain_alone_is_soon_from_eight_an_app_setting(alice, intensity, fires):
    statin(alice)
    log(alice, at(24), intensity=intensity)
    found = fired(alice, "medication")
    assert [f.level for f in found] == (["soon"] if fires else [])
    assert not fires or "is an app setting" in found[0].reason


@pytest.mark.parametrize("sign", ["weakness", "dark_urine"])
def test_on_a_statin_weakness_or_dark_urine_is_urgent(alice, sign):
    statin(alice)
    log(alice, at(24), intensity=2, symptoms=[sign])
    assert [f.level for f in fired(alice, "medication")] == ["urgent"]


def test_a_statin_stopped_before_the_cramp_does_not_count(alice):
    statin(alice, stopped_on=date(2026, 11, 23))
    log(alice, at(24), intensity=9)
    assert fired(alice, "medication") == []
    Medication.objects.update(stopped_on=date(2026, 11, 24))  # still taken that day
    assert len(fired(alice, "medication")) == 1


def test_a_severe_cramp_without_a_statin_is_not_a_medication_alert(alice):
    Medication.objects.create(
        user=alice, name="Ibuprofen", kind="other", started_on=date(2026, 1, 1)
    )
    log(alice, at(24), intensity=10)
    assert fired(alice, "medication") == []


def logging_since(user, day: date):
    """The person has used the app since `day`: the days before a medicine are known."""
    type(user).objects.filter(pk=user.pk).update(
        date_joined=datetime.combine(day, datetime.min.time(), tzinfo=BERLIN)
    )
    user.refresh_from_db()


def test_more_cramps_after_starting_a_medicine_is_soon(alice):
    logging_since(alice, date(2026, 1, 1))
    Medication.objects.create(
        user=alice, name="Furosemide", kind="diuretic", started_on=date(2026, 11, 1)
    )
    log(alice, at(15, month=10))  # before
    log(alice, at(5))  # after: one each, not more
    assert fired(alice, "medication") == []
    log(alice, at(20))
    (finding,) = fired(alice, "medication")
    assert finding.level == "soon"
    assert "2 cramp(s) in the 30 days from starting Furosemide" in finding.reason


def test_the_first_cramps_after_a_new_medicine_count_as_began(alice):
    logging_since(alice, date(2026, 1, 1))
    Medication.objects.create(
        user=alice, name="Prednisolone", kind="steroid", started_on=date(2026, 11, 20)
    )
    log(alice, at(21))
    assert [f.level for f in fired(alice, "medication")] == ["soon"]


def test_a_new_medicine_is_not_compared_with_days_before_the_person_logged(alice):
    # Alice joined today; the 30 days before the start are unknown, not cramp-free.
    Medication.objects.create(
        user=alice, name="Prednisolone", kind="steroid", started_on=date(2026, 11, 20)
    )
    log(alice, at(21))
    log(alice, at(22))
    assert fired(alice, "medication") == []
    log(alice, at(10, month=10))  # a cramp logged from before: now the days before are known
    assert [f.level for f in fired(alice, "medication")] == ["soon"]


@pytest.mark.parametrize(("days_ago", "checked"), [(89, True), (90, True), (91, False)])
def test_only_medicines_started_in_the_last_90_days_are_compared(alice, days_ago, checked):
    logging_since(alice, date(2026, 1, 1))
    started = date(2026, 11, 25) - timedelta(days=days_ago)
    Medication.objects.create(user=alice, name="Newpill", kind="other", started_on=started)
    log(alice, datetime.combine(started + timedelta(days=1), datetime.min.time(), tzinfo=BERLIN))
    assert bool(fired(alice, "medication")) is checked


# --- fluid_loss ---------------------------------------------------------------------------


def test_a_cramp_after_fluid_loss_is_soon(alice):
    log(alice, at(24), recent_fluid_loss=False)
    assert fired(alice, "fluid_loss") == []
    log(alice, at(25, 8), recent_fluid_loss=True)
    assert [f.level for f in fired(alice, "fluid_loss")] == ["soon"]


# --- claudication_pattern -----------------------------------------------------------------


def walking_eased(user, when, helped="yes"):
    return log(user, when, activity="walking", relief=["rest"], relief_helped=helped)


def test_walking_pain_eased_by_rest_twice_in_30_days_is_soon(alice):
    walking_eased(alice, at(20))
    walking_eased(alice, at(21), helped="no")  # rest did not help: not this pattern
    log(alice, at(22), activity="walking", relief=["stretching"], relief_helped="yes")
    assert fired(alice, "claudication_pattern") == []
    walking_eased(alice, at(23), helped="partly")
    (finding,) = fired(alice, "claudication_pattern")
    assert finding.level == "soon" and len(finding.episodes) == 2


def test_walking_pattern_window_ends_at_local_midnight(alice):
    walking_eased(alice, at(20))
    walking_eased(alice, at(26, 23, 30, month=10))  # a day before the window
    assert fired(alice, "claudication_pattern") == []
    walking_eased(alice, at(27, 0, 30, month=10))
    assert len(fired(alice, "claudication_pattern")) == 1


# --- frequent -----------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "fires"), [(3, False), (4, True), (5, True)])
def test_frequent_from_four_in_seven_days(alice, count, fires):
    for n in range(count):
        log(alice, at(20 + n))
    assert bool(fired(alice, "frequent")) is fires


def test_the_seven_days_begin_at_midnight_in_berlin_not_in_utc(alice):
    for day in (22, 23, 24):
        log(alice, at(day))
    late = log(alice, at(18, 23, 30))  # 22:30 UTC on the 18th: the day before the window
    assert fired(alice, "frequent") == []
    late.started_at = at(19, 0, 30)  # 23:30 UTC on the 18th, but the 19th in Berlin
    late.save()
    assert len(fired(alice, "frequent")) == 1


@pytest.mark.parametrize(("count", "fires"), [(9, False), (10, True), (11, True)])
def test_frequent_from_ten_in_thirty_days(alice, count, fires):
    for n in range(count):
        log(alice, at(27, month=10) + timedelta(days=3 * n))  # never 4 in a week
    assert bool(fired(alice, "frequent")) is fires


# --- escalating ---------------------------------------------------------------------------


def test_a_new_user_with_no_earlier_history_is_not_escalating(alice):
    for day in range(15, 25, 2):
        log(alice, at(day))
    assert fired(alice, "escalating") == []


@pytest.mark.parametrize(("recent", "fires"), [(3, False), (4, True), (5, True)])
def test_escalating_at_twice_as_many_as_the_28_days_before(alice, recent, fires):
    log(alice, at(5, month=10), intensity=5)
    log(alice, at(20, month=10), intensity=5)
    for n in range(recent):
        log(alice, at(1 + 5 * n), intensity=5)
    assert bool(fired(alice, "escalating")) is fires


@pytest.mark.parametrize(("rise", "fires"), [(1.9, False), (2.0, True), (2.1, True)])
def test_escalating_when_mean_pain_rises_two_points(alice, rise, fires):
    log(alice, at(5, month=10), intensity=4)
    log(alice, at(20, month=10), intensity=4)
    # Ten recent cramps whose mean is 4 + rise; fewer than twice as many would not be enough.
    total = round((4 + rise) * 10)
    for n in range(10):
        log(alice, at(1 + 2 * n), intensity=total // 10 + (1 if n < total % 10 else 0))
    alice.profile.alert_thresholds = {"escalating_ratio": 20}  # only the pain counts here
    alice.profile.save()
    assert bool(fired(alice, "escalating")) is fires


def test_escalating_windows_split_at_local_midnight(alice):
    # Recent window: 29 Oct 00:00 Berlin onwards. Earlier: 1 Oct to 28 Oct.
    log(alice, at(28, 23, 30, month=10))
    log(alice, at(10, month=10))
    for day in (2, 9, 16):
        log(alice, at(day))
    assert fired(alice, "escalating") == []  # 3 recent against 2 earlier
    alice.episodes.filter(started_at=at(28, 23, 30, month=10)).update(
        started_at=at(29, 0, 30, month=10)
    )
    assert fired(alice, "escalating") == []  # 4 recent against 1 earlier: too little history
    log(alice, at(3, month=10))
    assert len(fired(alice, "escalating")) == 1  # 4 against 2


# --- sleep_disruption ---------------------------------------------------------------------


@pytest.mark.parametrize(("count", "fires"), [(2, False), (3, True), (4, True)])
def test_sleep_disruption_from_three_nights_in_seven_days(alice, count, fires):
    for n in range(count):
        log(alice, at(20 + n, 3), activity="sleeping")
    log(alice, at(24, 15), activity="sitting")
    assert bool(fired(alice, "sleep_disruption")) is fires


def test_sleep_window_crosses_midnight_in_berlin(alice):
    log(alice, at(23, 2), activity="sleeping")
    log(alice, at(24, 2), activity="sleeping")
    early = log(alice, at(18, 23, 30), activity="sleeping")
    assert fired(alice, "sleep_disruption") == []
    early.started_at = at(19, 0, 30)
    early.save()
    assert len(fired(alice, "sleep_disruption")) == 1


# --- not_helped_by_self_care --------------------------------------------------------------


@pytest.mark.parametrize(("not_helped", "fires"), [(2, False), (3, True), (4, True)])
def test_self_care_not_helping_three_of_the_last_five(alice, not_helped, fires):
    for n in range(5):
        helped = "no" if n < not_helped else "yes"
        log(alice, at(10 + n), relief=["stretching"], relief_helped=helped)
    assert bool(fired(alice, "not_helped_by_self_care")) is fires


def test_only_the_last_five_tries_count_and_nothing_tried_is_skipped(alice):
    log(alice, at(1), relief=["stretching"], relief_helped="no")  # the sixth-last try
    log(alice, at(2), relief=["stretching"], relief_helped="no")
    for day in (3, 4, 5, 6):
        log(alice, at(day), relief=["massage"], relief_helped="yes")
    log(alice, at(7), relief=["stretching"], relief_helped="no")
    log(alice, at(8), relief=["none"], relief_helped="no")  # nothing tried: not counted
    assert fired(alice, "not_helped_by_self_care") == []


# --- benign histories ---------------------------------------------------------------------


def test_two_short_calf_cramps_a_month_after_running_raise_nothing(alice):
    for month in range(6, 12):
        for day in (5, 19):
            when = at(day, 18, month=month)
            if when < NOW:
                log(
                    alice,
                    when,
                    site="calf",
                    duration_seconds=30,
                    intensity=4,
                    activity="exercise",
                    relief=["stretching"],
                    relief_helped="yes",
                )
    assert alerts.findings(user=alice, now=NOW) == []


def test_one_three_minute_night_cramp_a_week_helped_by_stretching_raises_nothing(alice):
    for week in range(16):
        log(
            alice,
            at(24, 3) - timedelta(weeks=week),
            site="calf",
            duration_seconds=180,
            intensity=6,
            activity="sleeping",
            relief=["stretching"],
            relief_helped="yes",
        )
    assert alerts.findings(user=alice, now=NOW) == []


# --- evaluate: storing alerts -------------------------------------------------------------


def test_evaluate_opens_one_alert_per_rule_and_rerunning_adds_no_copy(alice):
    swollen = log(alice, at(24), symptoms=["swelling"])
    red = log(alice, at(23), symptoms=["redness_warmth"])
    new = alerts.evaluate(user=alice, now=NOW)
    assert [a.rule for a in new] == ["red_flag"]
    assert alerts.evaluate(user=alice, now=NOW) == []
    assert alerts.evaluate(user=alice, now=NOW + timedelta(hours=1)) == []
    alert = Alert.objects.get(closed_at__isnull=True)
    assert list(alert.episodes.order_by("-started_at")) == [swollen, red]


def test_a_pattern_alert_stays_one_alert_as_more_episodes_come(alice):
    for day in (20, 21, 22, 23):
        log(alice, at(day))
    alerts.evaluate(user=alice, now=NOW)
    log(alice, at(24))
    alerts.evaluate(user=alice, now=NOW)
    alert = Alert.objects.get(rule="frequent")
    assert alert.episodes.count() == 5
    assert alert.message.startswith("5 cramps in the last 7 days")


def test_deleting_the_episode_behind_an_alert_closes_it(alice_api, alice):
    episode = log(alice, at(24), symptoms=["swelling"])
    alerts.evaluate(user=alice, now=NOW)
    assert alice_api.delete(f"/api/v1/episodes/{episode.id}/").status_code == 204
    alert = Alert.objects.get()
    assert alert.closed_at is not None
    assert alice_api.get("/api/v1/alerts/").json()["count"] == 0


def test_editing_away_the_sign_closes_the_alert_and_a_new_sign_opens_a_new_one(alice_client, alice):
    episode = log(alice, at(24), symptoms=["swelling"])
    alerts.evaluate(user=alice, now=NOW)
    episode.symptoms = []
    from tracker import logbook

    logbook.update_episode(episode=episode, fields={"symptoms": []})
    assert Alert.objects.get().closed_at is not None
    logbook.update_episode(episode=episode, fields={"symptoms": ["weakness"]})
    assert Alert.objects.count() == 2 and Alert.objects.filter(closed_at__isnull=True).count() == 1
    assert Alert.objects.get(closed_at__isnull=True).level == "urgent"


def test_a_level_change_updates_the_open_alert_in_place(alice):
    episode = log(alice, at(24), duration_seconds=700, relief=["heat"], relief_helped="yes")
    alerts.evaluate(user=alice, now=NOW)
    alice.episodes.filter(id=episode.id).update(relief_helped="no")
    alerts.evaluate(user=alice, now=NOW)
    alert = Alert.objects.get()
    assert alert.level == "urgent"


def test_saving_an_episode_through_the_api_raises_the_alert_in_the_same_request(alice_api):
    body = {
        "started_at": "2026-11-25T09:00:00+01:00",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "resting",
        "hydration": "normal",
        "symptoms": ["swelling", "redness_warmth"],
    }
    created = alice_api.post("/api/v1/episodes/", body, format="json").json()
    (alert,) = alice_api.get("/api/v1/alerts/").json()["results"]
    assert (alert["rule"], alert["level"], alert["episodes"]) == (
        "red_flag",
        "urgent",
        [created["id"]],
    )


def test_adding_a_statin_raises_the_alert_for_an_earlier_severe_cramp(alice_api, alice):
    log(alice, at(24), intensity=9)
    response = alice_api.post(
        "/api/v1/medications/",
        {"name": "Simvastatin", "kind": "statin", "started_on": "2026-06-01"},
        format="json",
    )
    assert response.status_code == 201
    assert [a["rule"] for a in alice_api.get("/api/v1/alerts/").json()["results"]] == ["medication"]


def test_a_fault_in_the_rules_never_loses_the_saved_episode(alice_api, alice, monkeypatch):
    def broken(situation):
        raise RuntimeError("bug in a rule")
        yield  # pragma: no cover

    monkeypatch.setattr(alerts, "RULES", [broken])
    body = {
        "started_at": "2026-11-25T09:00:00+01:00",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "resting",
        "hydration": "normal",
    }
    assert alice_api.post("/api/v1/episodes/", body, format="json").status_code == 201
    assert alice.episodes.count() == 1


# --- e-mail -------------------------------------------------------------------------------


def test_a_new_urgent_alert_is_mailed_only_when_asked_and_only_once(
    alice, django_capture_on_commit_callbacks
):
    alice.email = "alice@example.org"
    alice.save()
    log(alice, at(24), symptoms=["swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        alerts.evaluate(user=alice, now=NOW)
    assert mail.outbox == []  # off by default
    alice.profile.email_alerts = True
    alice.profile.save()
    log(alice, at(25, 8), symptoms=["weakness"])
    with django_capture_on_commit_callbacks(execute=True):  # sent once the save commits
        alerts.evaluate(user=alice, now=NOW)
        alerts.evaluate(user=alice, now=NOW)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "Seek care promptly, today" in message.body
    assert "weakness" not in message.body  # no health details in a mail anyone may read


def test_routine_alerts_are_not_mailed(alice, django_capture_on_commit_callbacks):
    alice.email = "alice@example.org"
    alice.save()
    alice.profile.email_alerts = True
    alice.profile.save()
    for day in (20, 21, 22, 23):
        log(alice, at(day))
    with django_capture_on_commit_callbacks(execute=True):
        alerts.evaluate(user=alice, now=NOW)
    assert mail.outbox == []


# --- words --------------------------------------------------------------------------------

DISEASE_WORDS = [
    "thrombosis",
    "dvt",
    "clot",
    "embol",
    "artery",
    "arterial",
    "vascular",
    "claudication",
    "rhabdo",
    "myopathy",
    "myositis",
    "neuropathy",
    "diabetes",
    "kidney",
    "renal",
    "liver",
    "thyroid",
    "deficien",
    "dehydrat",
    "electrolyte imbalance",
    "hypokal",
    "magnesium",
    "disease",
    "disorder",
    "syndrome",
    "diagnos",
    "cancer",
    "infection",
    "sclerosis",
]


def test_no_alert_text_names_a_disease(alice):
    Medication.objects.create(
        user=alice, name="Atorvastatin", kind="statin", started_on=date(2026, 11, 1)
    )
    log(alice, at(1, month=10), intensity=2)
    log(alice, at(2, month=10), intensity=2)
    for day in range(18, 25):
        log(
            alice,
            at(day, 3),
            activity="sleeping",
            duration_seconds=900,
            intensity=9,
            symptoms=[
                "swelling",
                "redness_warmth",
                "skin_color_change",
                "dark_urine",
                "weakness",
                "numbness_tingling",
            ],
            recent_fluid_loss=True,
            relief=["stretching"],
            relief_helped="no",
        )
    walking_eased(alice, at(17, 16))
    walking_eased(alice, at(16, 16))
    found = alerts.findings(user=alice, now=NOW)
    assert {f.rule for f in found} == {
        "red_flag",
        "prolonged",
        "medication",
        "fluid_loss",
        "claudication_pattern",
        "frequent",
        "escalating",
        "sleep_disruption",
        "not_helped_by_self_care",
    }
    for finding in found:
        text = f"{finding.message} {finding.reason}".lower()
        assert not [word for word in DISEASE_WORDS if word in text], text


def test_every_rule_names_its_published_source():
    from tracker.alerts import signs

    sources = ["NHS", "MSD Manual", "Mayo Clinic", "MedlinePlus"]
    rules = [*alerts.RULES[1:], *signs.EPISODE_CHECKS.values()]
    for rule in rules:
        assert any(source in rule.__doc__ for source in sources), rule.__name__


@pytest.mark.parametrize(("count", "fires"), [(1, False), (2, True), (3, True)])
def test_walking_pattern_from_two_in_thirty_days(alice, count, fires):
    for n in range(count):
        walking_eased(alice, at(10 + n))
    assert bool(fired(alice, "claudication_pattern")) is fires


@pytest.mark.parametrize(("day_after_start", "counted"), [(29, True), (30, False)])
def test_the_30_days_after_a_new_medicine_end_at_local_midnight(alice, day_after_start, counted):
    logging_since(alice, date(2026, 1, 1))
    start = date(2026, 9, 1)
    Medication.objects.create(user=alice, name="Newpill", kind="other", started_on=start)
    day = start + timedelta(days=day_after_start)
    log(
        alice, datetime(day.year, day.month, day.day, 0, 30, tzinfo=BERLIN)
    )  # 22:30 UTC the day before
    assert bool(fired(alice, "medication")) is counted
