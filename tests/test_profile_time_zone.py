"""The profile warns before a time zone change and says what changes with it."""

import pytest

from tests.factories import EpisodeFactory

NEW_YORK = {"time_zone": "America/New_York", "fluid_unit": "ml"}


def test_the_zone_field_says_what_a_change_would_change(alice_client):
    html = alice_client.get("/accounts/profile/").content.decode()
    assert "Changing it later changes only new cramps and where your reports start" in html
    assert "Yes, change my time zone" not in html  # nothing to confirm yet


def test_a_zone_change_is_not_saved_before_it_is_confirmed(alice_client, alice):
    response = alice_client.post("/accounts/profile/", NEW_YORK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cramps already logged stay as they happened: 03:15 in Berlin stays 03:15" in html
    assert (
        "Only new cramps, and where your reports start and end each day, will use New York" in html
    )
    assert "Yes, change my time zone" in html
    assert response.context["form"].errors == {
        "confirm_time_zone": ["Tick this to change your time zone."]
    }
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "Europe/Berlin"


def test_a_confirmed_zone_change_is_saved_and_past_cramps_keep_their_zone(alice_client, alice):
    episode = EpisodeFactory(user=alice)
    response = alice_client.post("/accounts/profile/", {**NEW_YORK, "confirm_time_zone": "on"})
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    episode.refresh_from_db()
    assert (alice.profile.time_zone, episode.time_zone) == ("America/New_York", "Europe/Berlin")


def test_other_changes_need_no_confirmation(alice_client, alice):
    data = {"time_zone": "Europe/Berlin", "fluid_unit": "fl_oz"}
    assert alice_client.post("/accounts/profile/", data).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.fluid_unit == "fl_oz"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", ""])
def test_an_unknown_zone_is_refused_without_asking_to_confirm(alice_client, alice, zone):
    response = alice_client.post("/accounts/profile/", {**NEW_YORK, "time_zone": zone})
    assert response.status_code == 200
    assert "Yes, change my time zone" not in response.content.decode()
    assert response.context["form"].errors["time_zone"]
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "Europe/Berlin"
