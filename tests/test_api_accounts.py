from django.contrib.auth import get_user_model

from tests.problems import field_errors

User = get_user_model()


def test_registration_creates_an_account(anon_api, db):
    response = anon_api.post(
        "/api/v1/accounts/", {"username": "dan", "password": "a-long-pass-phrase"}, format="json"
    )
    assert response.status_code == 201
    assert response.json() == {"username": "dan"}  # no e-mail given: none answered
    dan = User.objects.get(username="dan")
    assert dan.check_password("a-long-pass-phrase") and dan.profile.time_zone == "UTC"


def test_registration_names_each_bad_field(anon_api, alice):
    response = anon_api.post(
        "/api/v1/accounts/",
        {"username": "al ice", "password": "", "email": "not-mail"},
        format="json",
    )
    errors = field_errors(response)
    assert set(errors) == {"username", "password", "email"}
    assert "letters, digits" in errors["username"][0]
    assert User.objects.count() == 1


def test_registration_refuses_a_weak_password(anon_api, db):
    response = anon_api.post(
        "/api/v1/accounts/", {"username": "erin", "password": "12345678"}, format="json"
    )
    assert "too common" in " ".join(field_errors(response)["password"])
    assert not User.objects.exists()


def test_registration_refuses_malformed_json_and_wrong_methods(anon_api, db):
    assert (
        anon_api.post("/api/v1/accounts/", "{", content_type="application/json").status_code == 400
    )
    assert anon_api.get("/api/v1/accounts/").status_code == 405


def test_a_token_for_the_right_password_opens_the_api(anon_api, alice):
    response = anon_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "alice-password-1"}, format="json"
    )
    assert response.status_code == 200
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert anon_api.get("/api/v1/episodes/").status_code == 200


def test_no_token_for_a_wrong_password(anon_api, alice):
    response = anon_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_bad_token_is_a_401(anon_api, alice):
    anon_api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert anon_api.get("/api/v1/episodes/").status_code == 401


def test_registration_refuses_an_empty_email_and_takes_none(anon_api, db):
    response = anon_api.post(
        "/api/v1/accounts/",
        {"username": "fay", "password": "x-long-pass-99", "email": ""},
        format="json",
    )
    assert "email" in field_errors(response)
    assert not User.objects.exists()
    response = anon_api.post(
        "/api/v1/accounts/", {"username": "fay", "password": "x-long-pass-99"}, format="json"
    )
    assert response.status_code == 201 and response.json() == {"username": "fay"}
