"""Alerts catch up lazily (tracker/alerts/bookkeeping.py `of` and `note_new_episodes`): a
plain cramp costs its save no rule run, and the very next read of the alerts, by any
reader, already shows what the rules find."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile
from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.alerts import bookkeeping
from tracker.models import Alert

URL = "/api/v1/episodes/"


def cramp(**overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "started_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "resting",
        "hydration": "normal",
        **overrides,
    }


@pytest.fixture
def alice_wants_mail(alice):
    alice.email = "alice@example.org"
    alice.save()
    alice.profile.email_alerts = True
    alice.profile.save()
    return alice


def test_a_plain_cramp_runs_no_rules_and_only_counts_a_change(alice_api, alice):
    with mock.patch.object(bookkeeping, "evaluate") as rules:
        assert alice_api.post(URL, cramp(), format="json").status_code == 201
    rules.assert_not_called()
    profile = Profile.objects.get(user=alice)
    assert (profile.changes, profile.alerts_checked_changes) == (1, 0)


def test_the_next_read_of_the_api_shows_a_pattern_the_saves_made(alice_api, alice):
    for _ in range(4):  # four in a week: frequent
        alice_api.post(URL, cramp(), format="json")
    assert not Alert.objects.exists()  # nothing ran in the saves
    rules = [a["rule"] for a in alice_api.get("/api/v1/alerts/").json()["results"]]
    assert rules == ["frequent"]
    profile = Profile.objects.get(user=alice)
    assert profile.alerts_checked_changes == profile.changes == 4


def test_the_home_banner_shows_it_on_the_very_next_page(alice_api, alice, client):
    for _ in range(4):
        alice_api.post(URL, cramp(), format="json")
    client.force_login(alice)
    assert "cramps in the last 7 days" in client.get("/").content.decode()


# Trends and the report read no stored alerts: they run the rules over their own period.
@pytest.mark.parametrize("path", ["/alerts/", "/"])
def test_every_page_that_shows_alerts_catches_up_first(alice_api, alice, client, path):
    for _ in range(4):
        alice_api.post(URL, cramp(), format="json")
    client.force_login(alice)
    client.get(path)
    assert alice.alerts.filter(rule="frequent").exists()


def test_fifty_cramps_then_a_read_run_the_rules_once(alice_api, alice):
    alice_api.post(f"{URL}batch/", {"episodes": [cramp() for _ in range(50)]}, format="json")
    with mock.patch.object(bookkeeping, "evaluate", wraps=bookkeeping.evaluate) as rules:
        alice_api.get("/api/v1/alerts/")
        alice_api.get("/api/v1/alerts/")  # nothing changed since: no second run
    assert rules.call_count == 1


def test_a_cramp_with_a_warning_sign_opens_its_alert_and_mails_in_the_save(
    alice_wants_mail, alice_api, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(bookkeeping, "evaluate", wraps=bookkeeping.evaluate) as rules,
        django_capture_on_commit_callbacks(execute=True),
    ):
        alice_api.post(URL, cramp(symptoms=["swelling", "redness_warmth"]), format="json")
    assert rules.call_count == 1
    assert Alert.objects.get().rule == "red_flag"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "overrides",
    [{"duration_seconds": 900}, {"recent_fluid_loss": True}, {"symptoms": ["cannot_walk"]}],
)
def test_each_single_cramp_rule_that_needs_no_medicine_runs_in_the_save(alice_api, overrides):
    alice_api.post(URL, cramp(**overrides), format="json")
    assert Alert.objects.filter(closed_at__isnull=True).exists()


def take_a_statin(alice_api):
    alice_api.post(
        "/api/v1/medications/",
        {"name": "Atorvastatin", "kind": "statin", "started_on": "2026-01-01"},
        format="json",
    )


@pytest.mark.parametrize(
    "overrides, level",
    [
        ({"symptoms": ["weakness"]}, "urgent"),
        ({"symptoms": ["dark_urine"]}, "urgent"),
        ({"intensity": 9}, "soon"),
    ],
)
def test_a_statin_sign_opens_its_alert_and_mails_in_the_save(
    alice_wants_mail, alice_api, django_capture_on_commit_callbacks, overrides, level
):
    take_a_statin(alice_api)
    with django_capture_on_commit_callbacks(execute=True):
        alice_api.post(URL, cramp(**overrides), format="json")
    alert = Alert.objects.get(rule="medication")
    assert alert.level == level
    assert len(mail.outbox) == 1


def test_a_plain_cramp_on_a_statin_waits_for_the_next_read(alice_api):
    take_a_statin(alice_api)
    with mock.patch.object(bookkeeping, "evaluate") as rules:
        alice_api.post(URL, cramp(intensity=4), format="json")
    rules.assert_not_called()


def test_severe_pain_without_a_statin_runs_no_rules_in_the_save(alice_api):
    with mock.patch.object(bookkeeping, "evaluate") as rules:
        alice_api.post(URL, cramp(intensity=9), format="json")
    rules.assert_not_called()


def test_a_failing_rule_run_is_tried_again_at_the_next_read(alice_api, alice):
    for _ in range(4):
        alice_api.post(URL, cramp(), format="json")
    with mock.patch.object(bookkeeping, "findings", side_effect=RuntimeError("bug")):
        alice_api.get("/api/v1/alerts/")  # answered; the rules failed and are logged
    assert alice_api.get("/api/v1/alerts/").json()["count"] == 1


def test_reading_when_nothing_changed_costs_one_query_more_than_the_alerts(alice):
    EpisodeFactory(user=alice)
    alerts.of(user=alice)  # catches up
    with CaptureQueriesContext(connection) as captured:
        list(alerts.of(user=alice))
    assert len(captured.captured_queries) == 2  # the counters, then the alerts
