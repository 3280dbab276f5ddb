"""POST /api/v1/episodes/batch/: what a phone sends after being offline, in one request."""

import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from tests.factories import EpisodeFactory
from tests.problems import field_errors
from tracker import logbook
from tracker.alerts import bookkeeping
from tracker.models import DeletedEpisode, Episode

URL = "/api/v1/episodes/batch/"


def episode(**overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "started_at": "2026-11-20T22:15:00+01:00",
        "duration_seconds": 95,
        "site": "calf",
        "side": "left",
        "intensity": 6,
        "activity": "sleeping",
        "hydration": "normal",
        **overrides,
    }


def test_it_saves_fifty_episodes_in_one_request_and_says_each_was_created(alice_api, alice):
    sent = [episode() for _ in range(50)]
    response = alice_api.post(URL, {"episodes": sent}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["created"] * 50
    assert [r["id"] for r in results] == [e["id"] for e in sent]
    assert results[0]["episode"]["started_at"] == "2026-11-20T22:15:00+01:00"
    assert set(map(str, alice.episodes.values_list("id", flat=True))) == {e["id"] for e in sent}


def test_sending_the_same_batch_again_saves_nothing_twice(alice_api, alice):
    sent = [episode() for _ in range(3)]
    alice_api.post(URL, {"episodes": sent}, format="json")
    again = alice_api.post(URL, {"episodes": sent}, format="json")
    assert [r["outcome"] for r in again.json()["results"]] == ["already_stored"] * 3
    assert alice.episodes.count() == 3


def test_one_bad_episode_is_refused_with_its_errors_and_the_others_are_saved(alice_api, alice):
    good, bad = episode(), episode(intensity=11)
    response = alice_api.post(URL, {"episodes": [good, bad]}, format="json")
    first, second = response.json()["results"]
    assert first["outcome"] == "created"
    assert second == {
        "id": bad["id"],
        "outcome": "refused",
        "errors": {"intensity": ["Ensure this value is less than or equal to 10."]},
    }
    assert list(alice.episodes.values_list("id", flat=True)) == [uuid.UUID(good["id"])]


def test_a_deleted_id_is_answered_deleted_and_not_brought_back(alice_api, alice):
    gone = episode()
    DeletedEpisode.objects.create(episode_id=gone["id"], user=alice)
    response = alice_api.post(URL, {"episodes": [gone]}, format="json")
    assert response.json()["results"][0]["outcome"] == "deleted"
    assert not alice.episodes.exists()


def test_an_id_someone_else_has_is_refused_on_id(alice_api, bob):
    taken = EpisodeFactory(user=bob)
    response = alice_api.post(URL, {"episodes": [episode(id=str(taken.id))]}, format="json")
    result = response.json()["results"][0]
    assert result["outcome"] == "refused" and list(result["errors"]) == ["id"]
    assert Episode.objects.get().user == bob


def test_the_same_id_twice_in_one_batch_is_saved_once(alice_api, alice):
    twice = episode()
    response = alice_api.post(URL, {"episodes": [twice, twice]}, format="json")
    assert [r["outcome"] for r in response.json()["results"]] == ["created", "already_stored"]
    assert alice.episodes.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"episodes": []}, "episodes"),
        ({"episodes": [episode() for _ in range(101)]}, "episodes"),
        ({"episodes": [5]}, "episodes.0"),
        ({}, "episodes"),
    ],
)
def test_a_batch_that_is_not_a_list_of_1_to_100_episodes_is_refused_whole(
    alice_api, alice, body, field
):
    errors = field_errors(alice_api.post(URL, body, format="json"))
    assert field in errors
    assert not alice.episodes.exists()


def test_a_stranger_without_a_key_is_refused(anon_api):
    assert anon_api.post(URL, {"episodes": [episode()]}, format="json").status_code == 401


def test_it_counts_one_change_and_looks_at_the_rules_once_for_the_whole_batch(alice_api, alice):
    long_ones = [episode(duration_seconds=900) for _ in range(5)]
    with mock.patch.object(bookkeeping, "evaluate_safely") as rules:
        alice_api.post(URL, {"episodes": long_ones}, format="json")
    assert rules.call_count == 1  # a long cramp runs the rules at once: once, not five times
    profile = Profile.objects.get(user=alice)
    assert profile.changes == 1


def test_a_batch_costs_the_same_queries_for_one_person_whatever_their_history(alice, bob):
    EpisodeFactory.create_batch(200, user=bob)
    counts = []
    for person in (alice, bob):
        with CaptureQueriesContext(connection) as captured:
            logbook.record_batch(user=person, episodes=[_fields() for _ in range(10)])
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _fields() -> dict:
    from datetime import UTC, datetime

    return {
        "id": uuid.uuid4(),
        "started_at": datetime(2026, 11, 20, 21, 15, tzinfo=UTC),
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 4,
        "activity": "resting",
        "hydration": "normal",
        "time_zone": "UTC",
    }
