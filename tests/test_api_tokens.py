"""API keys the person controls: hashed at rest, expiring, listed, revoked one by one or all at
once, and all ended by a new password."""

import importlib
from datetime import timedelta

import pytest
import time_machine
import yaml
from django.apps import apps
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts import tokens
from accounts.authentication import TokenAuthentication
from accounts.models import ApiToken, Profile
from tests.problems import field_errors

PASSWORD = {"username": "alice", "password": "alice-password-1"}


def key_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def opens_the_api(key: str) -> bool:
    status = key_client(key).get("/api/v1/episodes/").status_code
    assert status in (200, 401)
    return status == 200


def logged_in(user) -> Client:
    """A browser of the person's, logged in with the password (a real session row)."""
    browser = Client()
    password = f"{user.username}-password-1"  # as in conftest
    response = browser.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return browser


# --- the token endpoint ---------------------------------------------------------------------


def test_the_token_endpoint_keeps_its_contract_and_the_key_opens_the_api(anon_api, alice):
    response = anon_api.post("/api/v1/auth/token/", PASSWORD, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}
    assert opens_the_api(response.json()["token"])


def test_the_token_endpoint_answers_no_store_also_for_a_wrong_password(anon_api, alice):
    good = anon_api.post("/api/v1/auth/token/", PASSWORD, format="json")
    bad = anon_api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    assert bad.status_code == 400
    for response in (good, bad):
        assert "no-store" in response["Cache-Control"]


def test_the_token_endpoint_names_a_bad_field_and_makes_no_key(anon_api, alice):
    response = anon_api.post("/api/v1/auth/token/", {**PASSWORD, "name": "x" * 101}, format="json")
    assert set(field_errors(response)) == {"name"}
    assert not ApiToken.objects.exists()


def test_the_database_never_holds_the_key(anon_api, alice):
    key = anon_api.post("/api/v1/auth/token/", PASSWORD, format="json").json()["token"]
    stored = ApiToken.objects.get(user=alice)
    assert stored.digest == hash_token(key)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        cells = [str(cell) for row in cursor.fetchall() for cell in row]
    assert cells and not [cell for cell in cells if key in cell]


# --- expiry ---------------------------------------------------------------------------------


def test_a_key_expires_after_ninety_days_by_default(alice):
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        token, key = tokens.issue(user=alice)
        assert token.expiry - timezone.now() == timedelta(days=90)
    with time_machine.travel("2026-05-29 08:59Z", tick=False):
        assert opens_the_api(key)
    with time_machine.travel("2026-05-30 09:00Z", tick=False):
        response = key_client(key).get("/api/v1/episodes/")
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_expired_keys_leave_the_list_and_the_table(alice_api, alice):
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        old, _ = tokens.issue(user=alice)
    listed = [row["id"] for row in alice_api.get("/api/v1/auth/tokens/").json()["results"]]
    assert str(old.id) not in listed and len(listed) == 1
    tokens.issue(user=alice)
    assert not ApiToken.objects.filter(pk=old.pk).exists()


# --- listing and revoking -------------------------------------------------------------------


def test_the_list_shows_only_my_own_keys_and_never_a_key(alice_api, alice, bob):
    phone, phone_key = tokens.issue(user=alice, name="Phone")
    tokens.issue(user=bob, name="Bob's laptop")
    body = alice_api.get("/api/v1/auth/tokens/").json()
    assert body["count"] == 2
    assert {row["name"] for row in body["results"]} == {"", "Phone"}
    assert [row["current"] for row in body["results"]].count(True) == 1
    for row in body["results"]:
        assert set(row) == {"id", "name", "created", "expiry", "last_used", "current"}
    text = str(body)
    assert phone_key not in text and phone.digest not in text and phone.token_key not in text


def test_a_key_records_when_it_was_last_used(alice):
    token, key = tokens.issue(user=alice)
    assert token.last_used is None
    with time_machine.travel("2026-06-01 10:00Z", tick=False):
        opens_the_api(key)
    token.refresh_from_db()
    assert token.last_used.isoformat() == "2026-06-01T10:00:00+00:00"


def test_revoking_one_key_ends_only_that_key(alice_api, alice):
    other, other_key = tokens.issue(user=alice, name="Old phone")
    response = alice_api.delete(f"/api/v1/auth/tokens/{other.id}/")
    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=other.pk).exists()
    assert not opens_the_api(other_key)
    assert alice_api.get("/api/v1/episodes/").status_code == 200


def test_revoking_another_persons_key_is_a_404_and_changes_nothing(alice_api, bob):
    bobs, bobs_key = tokens.issue(user=bob)
    assert alice_api.delete(f"/api/v1/auth/tokens/{bobs.id}/").status_code == 404
    assert alice_api.delete("/api/v1/auth/tokens/not-a-uuid/").status_code == 404
    assert ApiToken.objects.filter(pk=bobs.pk).exists() and opens_the_api(bobs_key)


def test_a_wrong_method_on_the_key_list_is_a_405(alice_api):
    assert alice_api.post("/api/v1/auth/tokens/", {}, format="json").status_code == 405
    assert alice_api.get("/api/v1/auth/log-out-everywhere/").status_code == 405


# --- everything ends at once ----------------------------------------------------------------


def test_a_password_change_revokes_every_key_of_mine_only(alice, bob):
    _, first = tokens.issue(user=alice)
    _, second = tokens.issue(user=alice)
    _, bobs = tokens.issue(user=bob)
    browser = logged_in(alice)
    response = browser.post(
        "/accounts/password/",
        {
            "old_password": "alice-password-1",
            "new_password1": "brand-new-phrase-9",
            "new_password2": "brand-new-phrase-9",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=alice).exists()
    assert not opens_the_api(first) and not opens_the_api(second)
    assert opens_the_api(bobs)


def test_log_out_everywhere_through_the_api_ends_every_key_and_session(alice, bob):
    _, key = tokens.issue(user=alice)
    _, other_key = tokens.issue(user=alice)
    laptop, phone, bobs_browser = logged_in(alice), logged_in(alice), logged_in(bob)
    assert key_client(key).post("/api/v1/auth/log-out-everywhere/").status_code == 204
    assert not opens_the_api(key) and not opens_the_api(other_key)
    for browser in (laptop, phone):
        assert browser.get("/history/")["Location"].startswith("/accounts/login/")
    assert bobs_browser.get("/history/").status_code == 200


def test_the_log_out_everywhere_button_ends_this_session_too(alice, bob):
    _, key = tokens.issue(user=alice)
    _, bobs_key = tokens.issue(user=bob)
    here, elsewhere = logged_in(alice), logged_in(alice)
    response = here.post("/accounts/profile/log-out-everywhere/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "logged out on every device" in response.content.decode()
    for browser in (here, elsewhere):
        assert browser.get("/history/")["Location"].startswith("/accounts/login/")
    assert not opens_the_api(key) and opens_the_api(bobs_key)


def test_the_log_out_everywhere_button_wants_a_post(alice_client):
    assert alice_client.get("/accounts/profile/log-out-everywhere/").status_code == 405


# --- the profile page -----------------------------------------------------------------------


def test_the_profile_lists_my_keys_without_the_key_and_revokes_one(alice_client, alice, bob):
    phone, phone_key = tokens.issue(user=alice, name="Alice's phone")
    tokens.issue(user=bob, name="Bob's laptop")
    page = alice_client.get("/accounts/profile/").content.decode()
    assert "Alice&#x27;s phone" in page and "Bob" not in page
    assert phone_key not in page and phone.token_key not in page
    response = alice_client.post(f"/accounts/profile/api-keys/{phone.id}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=phone.pk).exists()


def test_revoking_another_persons_key_on_the_profile_is_a_404(alice_client, bob):
    bobs, _ = tokens.issue(user=bob)
    response = alice_client.post(f"/accounts/profile/api-keys/{bobs.id}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=bobs.pk).exists()


def test_download_all_my_data_names_my_keys_but_holds_no_key(alice_client, alice, bob):
    phone, key = tokens.issue(user=alice, name="Alice's phone")
    tokens.issue(user=bob, name="Bob's laptop")
    response = alice_client.get("/accounts/profile/export.json")
    text = response.content.decode()
    assert [k["name"] for k in response.json()["api_keys"]] == ["Alice's phone"]
    assert key not in text and phone.digest not in text and phone.token_key not in text


# --- the authentication itself --------------------------------------------------------------


def test_a_key_is_checked_in_one_query_with_the_profile(alice, django_assert_num_queries):
    _, key = tokens.issue(user=alice)
    opens_the_api(key)  # the first use records last_used
    request = RequestFactory().get("/api/v1/episodes/", HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_num_queries(1):
        user, _ = TokenAuthentication().authenticate(request)
        assert user.profile.time_zone == "Europe/Berlin"


def test_the_key_lookup_reads_what_the_orm_reads(alice):
    token, key = tokens.issue(user=alice, name="Phone")
    opens_the_api(key)  # sets last_used: a time read back from the database
    found = tokens.find(hash_token(key))
    expected = ApiToken.objects.select_related("user__profile").get(pk=token.pk)
    for got, want in [(found, expected), (found.user, expected.user)]:
        for field in type(want)._meta.concrete_fields:
            assert getattr(got, field.attname) == getattr(want, field.attname), field.name
            assert type(getattr(got, field.attname)) is type(getattr(want, field.attname))
    for field in alice.profile._meta.concrete_fields:
        assert getattr(found.user.profile, field.attname) == getattr(
            expected.user.profile, field.attname
        ), field.name
    assert found.user.profile.user is found.user
    assert tokens.find(hash_token(key + "x")) is None


def test_a_changed_time_zone_and_a_revoked_key_count_from_the_next_request(alice):
    token, key = tokens.issue(user=alice)
    client = key_client(key)
    body = {"started_at": "2026-11-01T07:15:00Z", "duration_seconds": 60, "site": "calf"}
    body |= {"side": "left", "intensity": 5, "activity": "resting", "hydration": "normal"}
    first = client.post("/api/v1/episodes/", body, format="json").json()
    assert first["started_at"] == "2026-11-01T08:15:00+01:00"  # Berlin
    alice.profile.time_zone = "America/New_York"
    alice.profile.save()
    listed = client.get("/api/v1/episodes/").json()["results"][0]
    assert listed["created_at"].endswith("-05:00")
    token.delete()
    assert client.get("/api/v1/episodes/").status_code == 401


def test_a_user_without_a_profile_still_opens_the_api(db):
    from django.contrib.auth import get_user_model

    made_in_the_shell = get_user_model().objects.create_user("carol", password="carol-pass-12")
    assert not Profile.objects.filter(user=made_in_the_shell).exists()
    _, key = tokens.issue(user=made_in_the_shell)
    assert opens_the_api(key)
    assert Profile.objects.get(user=made_in_the_shell).time_zone == "UTC"


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token ünïcode", "Token " + "f" * 500])
def test_a_malformed_key_is_a_401(anon_api, alice, header):
    anon_api.credentials(HTTP_AUTHORIZATION=header)
    assert anon_api.get("/api/v1/episodes/").status_code == 401


def test_the_schema_describes_the_key_endpoints(client, db):
    doc = yaml.safe_load(client.get("/api/schema/").content)
    paths, components = doc["paths"], doc["components"]["schemas"]
    assert "get" in paths["/api/v1/auth/tokens/"]
    assert "delete" in paths["/api/v1/auth/tokens/{id}/"]
    assert "get" not in paths["/api/v1/auth/tokens/{id}/"]
    assert "204" in paths["/api/v1/auth/log-out-everywhere/"]["post"]["responses"]
    assert set(components["TokenAnswer"]["properties"]) == {"token", "expiry"}
    assert set(components["ApiToken"]["properties"]) == {
        "id",
        "name",
        "created",
        "expiry",
        "last_used",
        "current",
    }


# --- keys made before knox ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses an open transaction
def test_plain_keys_from_before_are_carried_over_hashed_and_keep_working(alice):
    plain = "0123456789abcdef0123456789abcdef01234567"  # DRF's 40 hex characters
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp NOT NULL, user_id integer NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [plain, timezone.now(), alice.id],
        )
    migration = importlib.import_module("accounts.migrations.0006_carry_over_plain_api_keys")
    with connection.schema_editor() as editor:
        migration.carry_over_plain_keys(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    carried = ApiToken.objects.get(user=alice)
    assert carried.digest == hash_token(plain) and carried.expiry > timezone.now()
    assert opens_the_api(plain)


@pytest.mark.parametrize("prefix", ["Bearer", "bearer", "Token"])
def test_a_key_opens_the_api_with_either_prefix(anon_api, alice, prefix):
    key = anon_api.post("/api/v1/auth/token/", PASSWORD, format="json").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{prefix} {key}")
    assert client.get("/api/v1/episodes/").status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer not-a-key"])
def test_a_malformed_bearer_header_is_a_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/episodes/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
