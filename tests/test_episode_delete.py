from tests.factories import EpisodeFactory
from tracker.models import Episode


def test_it_asks_before_deleting(alice_client, alice):
    episode = EpisodeFactory(user=alice)
    response = alice_client.get(f"/episodes/{episode.id}/delete/")
    assert response.status_code == 200
    assert "Delete this cramp?" in response.content.decode()
    assert Episode.objects.filter(id=episode.id).exists()


def test_it_deletes_on_confirmation(alice_client, alice):
    episode = EpisodeFactory(user=alice)
    response = alice_client.post(f"/episodes/{episode.id}/delete/")
    assert response.status_code == 302 and response["Location"] == "/history/"
    assert not Episode.objects.filter(id=episode.id).exists()


def test_another_users_episode_is_a_404_and_stays(bob_client, alice):
    episode = EpisodeFactory(user=alice)
    assert bob_client.get(f"/episodes/{episode.id}/delete/").status_code == 404
    assert bob_client.post(f"/episodes/{episode.id}/delete/").status_code == 404
    assert Episode.objects.filter(id=episode.id).exists()


def test_anonymous_is_sent_to_log_in(client, alice):
    episode = EpisodeFactory(user=alice)
    response = client.post(f"/episodes/{episode.id}/delete/")
    assert response["Location"].startswith("/accounts/login/")
    assert Episode.objects.filter(id=episode.id).exists()


def test_a_wrong_method_gets_405(alice_client, alice):
    episode = EpisodeFactory(user=alice)
    assert alice_client.put(f"/episodes/{episode.id}/delete/").status_code == 405
    assert Episode.objects.filter(id=episode.id).exists()


def test_it_remembers_the_deleted_id_until_the_account_goes(alice_client, alice):
    from accounts.services import delete_account
    from tracker.models import DeletedEpisode

    episode = EpisodeFactory(user=alice)
    alice_client.post(f"/episodes/{episode.id}/delete/")
    assert DeletedEpisode.objects.filter(user=alice, episode_id=episode.id).exists()
    delete_account(user=alice)
    assert not DeletedEpisode.objects.exists()
