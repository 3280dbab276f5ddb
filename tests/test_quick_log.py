import uuid
from datetime import UTC, datetime

import pytest
import time_machine

from accounts.models import FluidUnit
from tests.factories import EpisodeFactory
from tracker.models import Episode


@pytest.fixture(autouse=True)
def noon_on_25_november():
    with time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=UTC)):
        yield


def form_data(**overrides):
    data = {
        "episode_id": str(uuid.uuid4()),
        "started_at": "2026-11-25T12:30:00",  # Berlin time: 11:30 UTC
        "duration_seconds_0": "2",
        "duration_seconds_1": "30",
        "site": "back_of_thigh",
        "side": "left",
        "intensity": "6",
        "activity": "sleeping",
        "hydration": "normal",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_quick_log_shows_the_timer_and_the_form(alice_client):
    html = alice_client.get("/").content.decode()
    assert "Cramp started" in html and "It stopped" in html
    assert 'data-time-zone="Europe/Berlin"' in html
    assert 'name="episode_id"' in html


def test_a_repeat_cramp_starts_from_every_choice_of_the_last_one(alice_client, alice):
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 20, 3, tzinfo=UTC), site="calf")
    EpisodeFactory(
        user=alice,
        started_at=datetime(2026, 11, 24, 3, tzinfo=UTC),
        site="inner_thigh",
        side="both",
        intensity=8,
        activity="sleeping",
        hydration="low",
    )
    response = alice_client.get("/")
    initial = response.context["form"].initial
    assert {k: initial[k] for k in ("site", "side", "intensity", "activity", "hydration")} == {
        "site": "inner_thigh",
        "side": "both",
        "intensity": 8,
        "activity": "sleeping",
        "hydration": "low",
    }
    html = response.content.decode()
    assert "data-repeat" in html  # "It stopped" may save at once
    assert "Same as last time" in html


def test_the_first_cramp_asks_where_and_which_side_and_starts_the_rest_in_the_middle(
    alice_client,
):
    response = alice_client.get("/")
    initial = response.context["form"].initial
    assert "site" not in initial and "side" not in initial
    assert (initial["intensity"], initial["activity"], initial["hydration"]) == (
        5,
        "resting",
        "normal",
    )
    html = response.content.decode()
    assert "data-repeat" not in html and "Same as last time" not in html


def test_another_persons_cramp_is_never_taken_as_the_last_one(alice_client, bob):
    EpisodeFactory(user=bob, site="foot", side="right")
    response = alice_client.get("/")
    assert "site" not in response.context["form"].initial
    assert "data-repeat" not in response.content.decode()


def test_log_past_starts_from_the_last_cramps_choices_too(alice_client, alice):
    EpisodeFactory(user=alice, site="foot", side="right", intensity=2)
    initial = alice_client.get("/episodes/new/").context["form"].initial
    assert (initial["site"], initial["side"], initial["intensity"]) == ("foot", "right", 2)


def test_it_saves_a_cramp_in_the_users_time_zone(alice_client, alice):
    response = alice_client.post("/", form_data())
    assert response.status_code == 302 and response["Location"] == "/history/"
    episode = alice.episodes.get()
    assert episode.started_at == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)
    assert episode.duration_seconds == 150
    assert (episode.site, episode.intensity, episode.relief_helped) == ("back_of_thigh", 6, None)


def test_it_saves_the_folded_details(alice_client, alice):
    data = form_data(
        warning_signs=["swelling", "numbness_tingling"],
        symptoms=["knot"],
        relief=["heat"],
        relief_helped="no",
        fluid_loss=["vomiting_diarrhoea"],
        notes="woke me up",
        fluid_ml="1500",
        activity_detail="",
    )
    alice_client.post("/", data)
    episode = alice.episodes.get()
    assert episode.symptoms == ["numbness_tingling", "swelling", "knot"]
    assert episode.relief == ["heat"] and episode.relief_helped == "no"
    assert episode.fluid_loss == ["vomiting_diarrhoea"]
    assert episode.recent_fluid_loss is True and episode.fluid_ml == 1500


def test_pressing_save_twice_keeps_one_episode(alice_client, alice):
    data = form_data()
    alice_client.post("/", data)
    again = alice_client.post("/", data)
    assert again.status_code == 302
    assert alice.episodes.count() == 1


def test_a_form_id_of_another_users_episode_is_refused(alice_client, bob):
    bobs = EpisodeFactory(user=bob)
    response = alice_client.post("/", form_data(episode_id=str(bobs.id)))
    assert response.status_code == 200
    assert "This id cannot be used" in response.content.decode()
    assert Episode.objects.count() == 1


def test_fluid_in_ounces_is_stored_in_millilitres(alice_client, alice):
    alice.profile.fluid_unit = FluidUnit.FL_OZ
    alice.profile.save()
    alice_client.post("/", form_data(fluid_ml="16"))
    assert alice.episodes.get().fluid_ml == 473


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("intensity", {"intensity": "11"}, "Select a valid choice"),
        ("intensity", {"intensity": ""}, "This field is required"),
        ("site", {"site": "knee"}, "Select a valid choice"),
        ("duration_seconds", {"duration_seconds_0": "", "duration_seconds_1": ""}, "required"),
        (
            "duration_seconds",
            {"duration_seconds_0": "0", "duration_seconds_1": "0"},
            "greater than or equal to 1",
        ),
        (
            "duration_seconds",
            {"duration_seconds_0": "1440", "duration_seconds_1": "1"},
            "less than or equal to 86400",
        ),
        ("duration_seconds", {"duration_seconds_1": "75"}, "less than or equal to 59"),
        ("started_at", {"started_at": "2026-11-25T13:06:00"}, "5 minutes in the future"),
        ("started_at", {"started_at": "tomorrow"}, "Enter a valid date/time"),
        ("notes", {"notes": "x" * 2001}, "at most 2000 characters"),
        ("fluid_ml", {"fluid_ml": "10001"}, "At most 10,000 mL"),
        ("fluid_ml", {"fluid_ml": "lots"}, "Enter a number"),
        ("symptoms", {"symptoms": ["itch"]}, "Select a valid choice"),
        ("episode_id", {"episode_id": "nope"}, "Enter a valid UUID"),
    ],
)
def test_bad_input_shows_the_form_again_with_the_message_and_saves_nothing(
    alice_client, field, overrides, message
):
    response = alice_client.post("/", form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="err-{field}"' in response.content.decode() or field == "episode_id"
    assert Episode.objects.count() == 0


def test_a_wrong_method_gets_405(alice_client):
    assert alice_client.put("/").status_code == 405


def test_log_a_past_cramp_works_without_javascript(alice_client, alice):
    page = alice_client.get("/episodes/new/").content.decode()
    assert 'type="datetime-local"' in page and 'name="duration_seconds_0"' in page
    assert "data-timer" not in page  # no timer: the times are typed in
    response = alice_client.post("/episodes/new/", form_data(started_at="2026-11-20T03:10"))
    assert response.status_code == 302
    assert alice.episodes.get().started_at == datetime(2026, 11, 20, 2, 10, tzinfo=UTC)


def test_a_resent_form_says_it_was_already_saved(alice_client, alice):
    data = form_data()
    alice_client.post("/", data)
    again = alice_client.post("/", data, follow=True)
    assert "That cramp was already saved." in again.content.decode()
    assert alice.episodes.count() == 1


def test_a_time_the_clocks_skipped_is_refused_with_the_reason(alice_client, alice):
    # Berlin went from 02:00 straight to 03:00 on 29 March 2026.
    response = alice_client.post("/episodes/new/", form_data(started_at="2026-03-29T02:30:00"))
    assert response.status_code == 200
    assert "did not happen" in " ".join(response.context["form"].errors["started_at"])
    assert alice.episodes.count() == 0


def test_a_time_the_clocks_repeated_is_the_first_of_the_two(alice_client, alice):
    # Berlin went from 03:00 back to 02:00 on 25 October 2026: 02:30 came twice.
    response = alice_client.post("/episodes/new/", form_data(started_at="2026-10-25T02:30:00"))
    assert response.status_code == 302
    assert alice.episodes.get().started_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_form_resend_of_a_deleted_cramp_is_refused_and_not_saved_again(alice_client, alice):
    data = form_data()
    alice_client.post("/", data)
    alice_client.post(f"/episodes/{data['episode_id']}/delete/")
    response = alice_client.post("/", data)
    assert response.status_code == 200
    assert "was deleted" in response.content.decode()
    assert not alice.episodes.exists()


# --- the copy the service worker keeps for offline use ------------------------------------


def test_the_offline_copy_may_be_stored_and_holds_nothing_personal(alice_client, alice):
    from tracker import alerts

    EpisodeFactory(user=alice, site="inner_thigh", side="both", symptoms=["swelling"])
    alerts.evaluate(user=alice)
    assert "alert-banner" in alice_client.get("/").content.decode()  # the live page has it
    response = alice_client.get("/offline/quick-log/")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert "alert-banner" not in html and "came with swelling" not in html
    assert 'value="inner_thigh" checked' not in html.replace("\n", " ")
    assert "data-episode-form" in html and "data-timer" in html
    # Nothing says there was a last cramp: the phone uses the choices it kept, if any.
    assert "data-repeat" not in html and "Same as last time" not in html
    assert "data-shell" in html


def test_fetching_the_offline_copy_leaves_the_messages_for_the_next_page(alice_client):
    alice_client.post("/", form_data())  # "Cramp saved." waits for the next page
    assert "Cramp saved." not in alice_client.get("/offline/quick-log/").content.decode()
    assert "Cramp saved." not in alice_client.get("/offline/").content.decode()
    assert "Cramp saved." in alice_client.get("/history/").content.decode()


def test_the_offline_copy_sends_anonymous_to_log_in(client):
    response = client.get("/offline/quick-log/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01T00:00", "Choose a time between 1900 and now."),  # before the year 1 in UTC
        ("1899-12-31T23:00", "The start must be in 1900 or later."),
        ("9999-12-31T23:59", "The start cannot be more than 5 minutes in the future."),
    ],
)
def test_a_time_out_of_any_calendar_is_refused_with_a_field_error(
    alice_client, alice, typed, message
):
    response = alice_client.post("/episodes/new/", form_data(started_at=typed))
    assert response.status_code == 200
    assert message in response.context["form"].errors["started_at"]
    assert alice.episodes.count() == 0


def test_the_last_moment_of_year_9999_west_of_utc_is_refused_with_a_field_error(
    alice_client, alice
):
    alice.profile.time_zone = "America/New_York"  # 23:59 there is already the year 10000 in UTC
    alice.profile.save()
    response = alice_client.post("/episodes/new/", form_data(started_at="9999-12-31T23:59"))
    assert response.status_code == 200
    assert response.context["form"].errors["started_at"] == ["Choose a time between 1900 and now."]
    assert alice.episodes.count() == 0
