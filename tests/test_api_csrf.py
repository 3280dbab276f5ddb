"""GET /api/v1/csrf/: the outbox reads a fresh CSRF token when it sends, because a cramp
may wait on the phone longer than the session it was saved in."""

from django.test import Client

from tests.test_api_episodes import URL, payload

CSRF_URL = "/api/v1/csrf/"


def logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_it_gives_a_token_that_a_session_post_is_accepted_with(alice):
    client = logged_in(alice)
    response = client.get(CSRF_URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = response.json()["csrf_token"]
    created = client.post(URL, payload(), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201, created.content
    assert alice.episodes.count() == 1


def test_after_a_new_log_in_the_old_token_fails_and_a_fresh_one_works(alice):
    client = logged_in(alice)
    old = client.get(CSRF_URL).json()["csrf_token"]
    client.logout()
    client.force_login(alice)  # log-in rotates the CSRF secret
    data = payload()
    stale = client.post(URL, data, content_type="application/json", HTTP_X_CSRFTOKEN=old)
    assert stale.status_code == 403
    fresh = client.get(CSRF_URL).json()["csrf_token"]
    sent = client.post(URL, data, content_type="application/json", HTTP_X_CSRFTOKEN=fresh)
    assert sent.status_code == 201
    assert alice.episodes.count() == 1


def test_anonymous_gets_401_so_the_outbox_knows_to_ask_for_a_log_in(client):
    response = client.get(CSRF_URL)
    assert response.status_code == 401


def test_a_wrong_method_gets_405(alice):
    client = logged_in(alice)
    token = client.get(CSRF_URL).json()["csrf_token"]
    response = client.post(CSRF_URL, {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 405
