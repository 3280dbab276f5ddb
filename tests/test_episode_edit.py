import uuid
from datetime import UTC, datetime

from tests.factories import EpisodeFactory
from tracker.models import Episode


def edit_data(**overrides):
    data = {
        "started_at": "2026-11-01T07:15:00",
        "duration_seconds_0": "0",
        "duration_seconds_1": "45",
        "site": "foot",
        "side": "right",
        "intensity": "2",
        "activity": "walking",
        "hydration": "high",
    }
    data.update(overrides)
    return data


def test_the_edit_page_shows_the_episode_in_the_users_time_zone(alice_client, alice):
    episode = EpisodeFactory(user=alice, started_at=datetime(2026, 11, 1, 6, 15, tzinfo=UTC))
    html = alice_client.get(f"/episodes/{episode.id}/edit/").content.decode()
    assert 'value="2026-11-01T07:15:00"' in html


def test_it_saves_changes(alice_client, alice):
    episode = EpisodeFactory(user=alice)
    response = alice_client.post(f"/episodes/{episode.id}/edit/", edit_data())
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.site, episode.duration_seconds, episode.intensity) == ("foot", 45, 2)
    assert episode.started_at == datetime(2026, 11, 1, 6, 15, tzinfo=UTC)
    assert alice.episodes.count() == 1


def test_bad_input_changes_nothing(alice_client, alice):
    episode = EpisodeFactory(user=alice, intensity=5)
    response = alice_client.post(f"/episodes/{episode.id}/edit/", edit_data(intensity="99"))
    assert response.status_code == 200
    assert "intensity" in response.context["form"].errors
    episode.refresh_from_db()
    assert (episode.intensity, episode.site) == (5, "calf")


def test_another_users_episode_is_a_404(bob_client, alice):
    episode = EpisodeFactory(user=alice, intensity=5)
    assert bob_client.get(f"/episodes/{episode.id}/edit/").status_code == 404
    assert bob_client.post(f"/episodes/{episode.id}/edit/", edit_data()).status_code == 404
    episode.refresh_from_db()
    assert episode.intensity == 5


def test_anonymous_is_sent_to_log_in(client, alice):
    episode = EpisodeFactory(user=alice)
    assert client.get(f"/episodes/{episode.id}/edit/")["Location"].startswith("/accounts/login/")


def test_a_wrong_method_gets_405(alice_client, alice):
    episode = EpisodeFactory(user=alice)
    assert alice_client.delete(f"/episodes/{episode.id}/edit/").status_code == 405


def test_an_id_sent_with_an_edit_never_moves_another_users_episode(alice_client, alice, bob):
    mine = EpisodeFactory(user=alice, intensity=5)
    bobs = EpisodeFactory(user=bob, intensity=7, notes="bob's own")
    response = alice_client.post(f"/episodes/{mine.id}/edit/", edit_data(episode_id=str(bobs.id)))
    assert response.status_code == 302
    bobs.refresh_from_db()
    assert (bobs.user, bobs.intensity, bobs.notes) == (bob, 7, "bob's own")
    mine.refresh_from_db()
    assert (mine.user, mine.site) == (alice, "foot")
    assert alice.episodes.count() == 1 and bob.episodes.count() == 1


def test_an_edit_with_a_fresh_id_changes_the_episode_and_makes_no_copy(alice_client, alice):
    mine = EpisodeFactory(user=alice)
    fresh = uuid.uuid4()
    alice_client.post(f"/episodes/{mine.id}/edit/", edit_data(episode_id=str(fresh)))
    assert list(alice.episodes.values_list("id", flat=True)) == [mine.id]
    assert not Episode.objects.filter(id=fresh).exists()
