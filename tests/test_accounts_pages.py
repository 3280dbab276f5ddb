import json

from django.contrib.auth import get_user_model
from django.test import Client

from accounts import tokens
from accounts.models import ApiToken, Profile
from tests.factories import EpisodeFactory
from tracker.models import Episode

User = get_user_model()


SIGN_UP = {
    "username": "carol",
    "email": "",
    "password1": "a-long-pass-phrase",
    "password2": "a-long-pass-phrase",
    "time_zone": "America/New_York",
}


def test_sign_up_creates_a_user_with_a_profile_and_logs_them_in_at_once(client, db):
    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302 and response["Location"] == "/"
    carol = User.objects.get(username="carol")
    assert carol.profile.time_zone == "America/New_York"
    page = client.get("/")
    assert page.status_code == 200 and page.context["user"] == carol
    assert "your account is ready" in page.content.decode()


def test_sign_up_says_plainly_that_a_username_is_taken_in_any_case(client, alice):
    response = client.post("/accounts/signup/", {**SIGN_UP, "username": "ALICE"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "This username is taken: choose another. If it is yours, log in instead."
    ]
    assert User.objects.filter(username__iexact="alice").count() == 1
    alice.refresh_from_db()
    assert alice.check_password("alice-password-1")
    assert "_auth_user_id" not in client.session


def test_a_name_taken_by_another_sign_up_at_the_same_moment_is_said_too(client, db, monkeypatch):
    from accounts import services

    monkeypatch.setattr(services, "sign_up", lambda **kwargs: None)  # lost the race
    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 200
    assert "This username is taken" in response.context["form"].errors["username"][0]
    assert "_auth_user_id" not in client.session


def test_sign_up_is_limited_per_address_with_a_clear_wait(client, db, settings):
    settings.SIGN_UP_LIMIT_PER_HOUR = 2
    for name in ["c1", "c2"]:
        Client().post("/accounts/signup/", {**SIGN_UP, "username": name})
    response = client.post("/accounts/signup/", {**SIGN_UP, "username": "c3"})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "Too many sign-ups from your network: try again in" in response.content.decode()
    assert not User.objects.filter(username="c3").exists()
    other = Client(REMOTE_ADDR="192.0.2.9").post("/accounts/signup/", {**SIGN_UP, "username": "c4"})
    assert other.status_code == 302 and User.objects.filter(username="c4").exists()


def test_sign_up_names_each_bad_field_and_creates_nothing(client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "c a", "password1": "123", "password2": "456", "time_zone": "Mars/Base"},
    )
    errors = response.context["form"].errors
    assert {"username", "password2", "time_zone"} <= set(errors)
    assert not User.objects.exists()


def test_sign_up_hashes_passwords_with_argon2_outside_tests(settings):
    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_log_in_and_log_out(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "alice-password-1"}
    )
    assert response.status_code == 302
    assert client.get("/history/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/history/").status_code == 302


def test_a_wrong_password_is_refused(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_password_change(alice_client, alice):
    response = alice_client.post(
        "/accounts/password/",
        {
            "old_password": "alice-password-1",
            "new_password1": "another-long-phrase",
            "new_password2": "another-long-phrase",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-phrase")


def test_the_profile_saves_time_zone_and_units(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/",
        {"time_zone": "Asia/Tokyo", "fluid_unit": "fl_oz", "confirm_time_zone": "on"},
    )
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert (alice.profile.time_zone, alice.profile.fluid_unit) == ("Asia/Tokyo", "fl_oz")


def test_the_profile_keeps_the_health_context_and_the_report_shows_it(alice_client, alice):
    data = {"time_zone": "Europe/Berlin", "fluid_unit": "ml", "kidney_disease": "on"}
    assert alice_client.post("/accounts/profile/", data).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.kidney_disease and not alice.profile.diabetes
    import io

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(alice_client.get("/reports/physician.pdf").content))
    assert "The patient noted: kidney disease or dialysis" in pdf.pages[0].extract_text()


def test_the_profile_refuses_an_unknown_time_zone(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/", {"time_zone": "Nowhere/Land", "fluid_unit": "gallon"}
    )
    assert {"time_zone", "fluid_unit"} <= set(response.context["form"].errors)
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "Europe/Berlin"


def test_the_profile_refuses_a_year_of_birth_in_the_future(alice_client, alice):
    data = {"time_zone": "Europe/Berlin", "fluid_unit": "ml", "birth_year": "2100"}
    response = alice_client.post("/accounts/profile/", data)
    assert "cannot be in the future" in " ".join(response.context["form"].errors["birth_year"])
    alice.profile.refresh_from_db()
    assert alice.profile.birth_year is None


def test_a_user_without_a_profile_gets_one(client, db):
    admin = User.objects.create_user("admin", password="x-long-password")
    client.force_login(admin)
    assert client.get("/accounts/profile/").status_code == 200
    assert Profile.objects.get(user=admin).time_zone == "UTC"


def test_download_all_my_data_holds_only_my_data(alice_client, alice, bob):
    EpisodeFactory(user=alice, notes="mine")
    EpisodeFactory(user=bob, notes="bob's")
    response = alice_client.get("/accounts/profile/export.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert data["profile"]["time_zone"] == "Europe/Berlin"
    assert [e["notes"] for e in data["episodes"]] == ["mine"]


def test_delete_my_account_needs_the_password(alice_client, alice):
    EpisodeFactory(user=alice)
    response = alice_client.post("/accounts/profile/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert User.objects.filter(username="alice").exists() and Episode.objects.count() == 1


def test_delete_my_account_removes_every_row_of_mine_and_nothing_else(alice_client, alice, bob):
    EpisodeFactory(user=alice)
    EpisodeFactory(user=bob)
    tokens.issue(user=alice)
    response = alice_client.post("/accounts/profile/delete/", {"password": "alice-password-1"})
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert not Profile.objects.filter(user_id=alice.id).exists()
    assert not ApiToken.objects.filter(user_id=alice.id).exists()
    assert list(Episode.objects.values_list("user__username", flat=True)) == ["bob"]
    assert alice_client.get("/history/").status_code == 302


def test_account_pages_send_anonymous_to_log_in(client):
    for path in [
        "/accounts/profile/",
        "/accounts/profile/export.json",
        "/accounts/profile/delete/",
        "/accounts/password/",
    ]:
        assert client.get(path)["Location"].startswith("/accounts/login/"), path


def test_account_pages_refuse_a_wrong_method(alice_client):
    assert alice_client.delete("/accounts/profile/").status_code == 405
    assert alice_client.post("/accounts/profile/export.json").status_code == 405
    assert alice_client.put("/accounts/signup/").status_code == 405


def test_the_emergency_page_is_open_to_everyone_and_linked_from_every_page(alice_client):
    anonymous = Client()
    assert "call your local emergency number" in anonymous.get("/emergency/").content.decode()
    assert 'href="/emergency/"' in anonymous.get("/accounts/login/").content.decode()
    for path in ["/", "/history/", "/accounts/profile/", "/episodes/new/"]:
        assert 'href="/emergency/"' in alice_client.get(path).content.decode(), path


# --- the e-mail address and the alert e-mail switch ----------------------------------------


def test_the_alert_email_switch_needs_an_address(alice_client, alice):
    data = {"time_zone": "Europe/Berlin", "fluid_unit": "ml", "email_alerts": "on", "email": ""}
    response = alice_client.post("/accounts/profile/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["email_alerts"] == [
        "Alert e-mails need an e-mail address: type yours above, or leave this off."
    ]
    alice.profile.refresh_from_db()
    assert not alice.profile.email_alerts


def test_an_address_typed_with_the_password_is_saved_with_the_switch(alice_client, alice):
    data = {
        "time_zone": "Europe/Berlin",
        "fluid_unit": "ml",
        "email_alerts": "on",
        "email": "alice@example.org",
        "current_password": "alice-password-1",
    }
    assert alice_client.post("/accounts/profile/", data).status_code == 302
    alice.refresh_from_db()
    alice.profile.refresh_from_db()
    assert alice.email == "alice@example.org" and alice.profile.email_alerts


def test_changing_the_address_asks_for_the_password_and_changes_nothing_without_it(
    alice_client, alice
):
    data = {"time_zone": "Europe/Berlin", "fluid_unit": "ml", "email": "mallory@example.org"}
    for password in ["", "wrong-password"]:
        response = alice_client.post("/accounts/profile/", {**data, "current_password": password})
        assert response.context["form"].errors["current_password"] == [
            "Type your password to change the address."
        ]
    alice.refresh_from_db()
    assert alice.email == ""


def test_a_profile_sent_without_the_address_keeps_it(alice_client, alice):
    alice.email = "alice@example.org"
    alice.save()
    data = {"time_zone": "Europe/Berlin", "fluid_unit": "ml", "email_alerts": "on"}
    assert alice_client.post("/accounts/profile/", data).status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
