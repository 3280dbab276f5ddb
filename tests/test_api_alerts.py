import uuid
from datetime import UTC, datetime

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Alert

URL = "/api/v1/alerts/"


def raise_red_flag(user):
    episode = EpisodeFactory(user=user, symptoms=["swelling", "redness_warmth"])
    alerts.evaluate(user=user)
    return episode, Alert.objects.get(user=user)


def test_it_lists_the_users_alerts_with_the_contract_fields(alice_api, alice):
    episode, alert = raise_red_flag(alice)
    (item,) = alice_api.get(URL).json()["results"]
    assert set(item) == {
        "id",
        "rule",
        "level",
        "message",
        "reason",
        "episodes",
        "sources",
        "created_at",
        "acknowledged_at",
    }
    assert item["sources"][0]["url"].startswith("https://www.nhs.uk/")
    assert (item["rule"], item["level"], item["episodes"]) == (
        "red_flag",
        "urgent",
        [str(episode.id)],
    )
    assert item["acknowledged_at"] is None
    assert item["created_at"].endswith("+01:00")  # Alice's time zone


def test_acknowledging_marks_it_seen_once(alice_api, alice):
    _, alert = raise_red_flag(alice)
    first = alice_api.post(f"{URL}{alert.id}/acknowledge/")
    assert first.status_code == 200 and first.json()["acknowledged_at"]
    alert.refresh_from_db()
    seen = alert.acknowledged_at
    assert (
        alice_api.post(f"{URL}{alert.id}/acknowledge/").json()["acknowledged_at"]
        == first.json()["acknowledged_at"]
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at == seen
    assert alice_api.get(URL).json()["count"] == 1  # seen, still shown while it applies


def test_another_users_alert_is_a_404_and_stays_unseen(bob_api, alice):
    _, alert = raise_red_flag(alice)
    assert bob_api.get(f"{URL}{alert.id}/").status_code == 404
    assert bob_api.post(f"{URL}{alert.id}/acknowledge/").status_code == 404
    assert bob_api.get(URL).json()["count"] == 0
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_closed_alerts_are_not_listed(alice_api, alice):
    _, alert = raise_red_flag(alice)
    Alert.objects.filter(id=alert.id).update(closed_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert alice_api.get(URL).json()["count"] == 0


def test_anonymous_gets_401_and_wrong_methods_405(anon_api, alice_api, alice):
    _, alert = raise_red_flag(alice)
    assert anon_api.get(URL).status_code == 401
    assert anon_api.post(f"{URL}{alert.id}/acknowledge/").status_code == 401
    assert alice_api.post(URL, {}, format="json").status_code == 405
    assert alice_api.delete(f"{URL}{alert.id}/").status_code == 405
    assert alice_api.get(f"{URL}{alert.id}/acknowledge/").status_code == 405
    assert alice_api.post(f"{URL}{uuid.uuid4()}/acknowledge/").status_code == 404
