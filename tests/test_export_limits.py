"""Exports are rate limited per owner and per share link, in the database so that every
gunicorn worker counts the same requests."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from tests.test_share_links import make_link
from tracker.models import ExportCount

NOW = datetime(2026, 11, 25, 12, 0, 30, tzinfo=UTC)
EXPORTS = ["/reports/physician.pdf", "/reports/episodes.csv", "/reports/fhir.json"]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.EXPORT_LIMIT_PER_MINUTE = 3
    settings.EXPORT_LIMIT_PER_HOUR = 5
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_every_export_counts_against_one_limit_per_owner(alice_client):
    for path in EXPORTS:
        assert alice_client.get(path).status_code == 200
    refused = alice_client.get("/reports/episodes.csv")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"  # the minute ends at 12:01:00
    assert "try again in 30 seconds" in refused.json()["detail"]


def test_the_hour_limit_holds_after_the_minute_passes(alice_client, frozen):
    for _ in range(3):
        assert alice_client.get("/reports/fhir.json").status_code == 200
    frozen.shift(timedelta(minutes=1))
    for _ in range(2):
        assert alice_client.get("/reports/fhir.json").status_code == 200
    refused = alice_client.get("/reports/fhir.json")
    assert refused.status_code == 429 and refused["Retry-After"] == str(58 * 60 + 30)
    frozen.shift(timedelta(hours=1))
    assert alice_client.get("/reports/fhir.json").status_code == 200


def test_the_limit_is_per_owner_not_global(alice_client, bob_client):
    for _ in range(3):
        alice_client.get("/reports/physician.pdf")
    assert alice_client.get("/reports/physician.pdf").status_code == 429
    assert bob_client.get("/reports/physician.pdf").status_code == 200


def test_a_bad_request_or_a_page_is_not_an_export(alice_client):
    for _ in range(5):
        assert alice_client.get("/reports/episodes.csv", {"from": "x"}).status_code == 400
        assert alice_client.get("/trends/").status_code == 200
    assert alice_client.get("/reports/episodes.csv").status_code == 200


def test_each_share_link_has_its_own_limit(alice_client):
    first, second = make_link(alice_client), make_link(alice_client)
    doctor = Client()
    for _ in range(3):
        assert doctor.get(first + "physician.pdf").status_code == 200
    refused = doctor.get(first + "physician.pdf")
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert refused["Cache-Control"] == "no-store"
    assert doctor.get(second + "physician.pdf").status_code == 200
    # The doctor's downloads do not use up the owner's own limit, nor the other way round.
    assert alice_client.get("/reports/physician.pdf").status_code == 200


def test_old_windows_are_cleared_away(alice_client, frozen):
    alice_client.get("/reports/episodes.csv")
    frozen.shift(timedelta(hours=3))
    alice_client.get("/reports/episodes.csv")
    assert ExportCount.objects.filter(window_start__lt=NOW + timedelta(hours=2)).count() == 0
