"""Every API error is RFC 9457 problem details (tracker/problems.py), whichever view raised it."""

import uuid

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import EpisodeFactory
from tests.problems import field_errors
from tracker.models import Episode
from tracker.problems import field_errors as flatten

URL = "/api/v1/episodes/"


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] and body["detail"]
    return body


def test_anonymous_gets_a_401_problem_with_the_bearer_challenge(anon_api, db):
    body = problem_of(anon_api.get(URL), 401)
    assert body["title"] == "Unauthorized" and body["code"] == "not_authenticated"


def test_another_users_episode_is_a_404_problem(alice_api, bob):
    body = problem_of(alice_api.get(f"{URL}{EpisodeFactory(user=bob).id}/"), 404)
    assert body["title"] == "Not Found"


def test_an_id_that_is_not_a_uuid_in_the_path_is_a_404_problem(alice_api):
    problem_of(alice_api.get(f"{URL}not-a-uuid/"), 404)


def test_an_api_path_that_does_not_exist_is_a_404_problem(alice_api):
    problem_of(alice_api.get("/api/v1/nothing-here/"), 404)


def test_a_page_that_does_not_exist_is_still_a_page(client, db):
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_405_problem(alice_api):
    problem_of(alice_api.put(URL, {}, format="json"), 405)


def test_a_form_body_is_a_415_problem(alice_api):
    body = problem_of(
        alice_api.post(URL, "a=1", content_type="application/x-www-form-urlencoded"), 415
    )
    assert body["code"] == "unsupported_media_type"


def test_bad_json_is_a_400_problem_that_says_json(alice_api):
    body = problem_of(alice_api.post(URL, "{", content_type="application/json"), 400)
    assert "JSON" in body["detail"]
    assert Episode.objects.count() == 0


def test_a_validation_problem_names_each_field_with_its_messages(alice_api):
    errors = field_errors(alice_api.post(URL, {"intensity": 11}, format="json"))
    assert "less than or equal to 10" in errors["intensity"][0]
    assert errors["site"] == ["This field is required."]


def test_a_resend_of_a_deleted_episode_is_a_410_problem(alice_api, alice):
    episode = EpisodeFactory(user=alice)
    alice_api.delete(f"{URL}{episode.id}/")
    sent = {
        "id": str(episode.id),
        "started_at": "2026-11-01T07:15:00Z",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "resting",
        "hydration": "normal",
    }
    body = problem_of(alice_api.post(URL, sent, format="json"), 410)
    assert body["code"] == "deleted" and "deleted" in body["detail"]


def test_the_token_lockout_is_a_429_problem_with_retry_after(alice):
    cache.clear()
    AccessAttempt.objects.all().delete()
    wrong = {"username": "alice", "password": "wrong"}
    for _ in range(5):
        response = APIClient().post("/api/v1/auth/token/", wrong, format="json")
    body = problem_of(response, 429)
    assert int(response["Retry-After"]) > 0 and "try again" in body["detail"]


@pytest.mark.parametrize(
    ("detail", "flat"),
    [
        ({"a": ["x"]}, {"a": ["x"]}),
        (["whole request"], {"non_field_errors": ["whole request"]}),
        ({"outer": {"inner": ["y"]}}, {"outer.inner": ["y"]}),
        ({"symptoms": [["nested"]]}, {"symptoms": ["nested"]}),
    ],
)
def test_field_errors_flatten_to_a_name_and_its_messages(detail, flat):
    assert flatten(detail) == flat


def test_an_unknown_uuid_is_a_404_problem(alice_api):
    problem_of(alice_api.delete(f"{URL}{uuid.uuid4()}/"), 404)


@pytest.mark.parametrize(
    "path", ["/api/v1/episodes/?to=", "/api/v1/reports/summary/?from=", "/api/v1/alerts/?page="]
)
def test_an_empty_query_parameter_is_a_400_naming_it(alice_api, path):
    errors = field_errors(alice_api.get(path))
    assert list(errors) == [path.rsplit("?", 1)[1].rstrip("=")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("notes", 0, "a string"),
        ("intensity", "5", "a whole number"),
        ("intensity", True, "a whole number"),
        ("recent_fluid_loss", "yes", "true or false"),
        ("symptoms", "swelling", "a list"),
        ("started_at", 1700000000, "a string"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused(alice_api, field, value, message):
    sent = {
        "started_at": "2026-11-01T07:15:00Z",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "resting",
        "hydration": "normal",
        field: value,
    }
    errors = field_errors(alice_api.post(URL, sent, format="json"))
    assert errors == {field: [f"Must be {message}."]}
    assert Episode.objects.count() == 0


def test_a_session_write_without_a_csrf_token_is_a_403_problem(alice):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    body = problem_of(browser.post(URL, {}, content_type="application/json"), 403)
    assert "CSRF" in body["detail"]
    assert Episode.objects.count() == 0
