"""A cramp keeps the wall-clock time and zone where it happened (issue 14, item 4): logged at
03:15 in Berlin, it stays 03:15 (Berlin) after the person changes the profile to New York."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from pypdf import PdfReader

from tests.factories import EpisodeFactory
from tests.problems import field_errors
from tracker import alerts
from tracker.models import Episode
from tracker.reports.summary import summary

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PERIOD = "?from=2026-11-01&to=2026-11-25"


@pytest.fixture(autouse=True)
def frozen_and_fresh_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def log_at_quarter_past_three(client) -> Episode:
    """Friday 20 November 2026, 03:15 on the clock in Berlin (02:15 UTC), on the quick log."""
    data = {
        "episode_id": str(uuid.uuid4()),
        "started_at": "2026-11-20T03:15:00",
        "duration_seconds_0": "2",
        "duration_seconds_1": "0",
        "site": "calf",
        "side": "left",
        "intensity": "6",
        "activity": "sleeping",
        "hydration": "normal",
        "notes": "woke me at 3am",
    }
    assert client.post("/", data).status_code == 302
    return Episode.objects.get(id=data["episode_id"])


def move_to_new_york(client) -> None:
    data = {"time_zone": "America/New_York", "fluid_unit": "ml", "confirm_time_zone": "on"}
    assert client.post("/accounts/profile/", data).status_code == 302


@pytest.fixture
def moved(alice_client, alice):
    """Alice logged a cramp at 03:15 in Berlin, then set her profile to New York."""
    episode = log_at_quarter_past_three(alice_client)
    move_to_new_york(alice_client)
    return episode


def test_a_cramp_keeps_the_zone_it_was_logged_in(alice_client, alice):
    episode = log_at_quarter_past_three(alice_client)
    assert episode.time_zone == "Europe/Berlin"
    assert episode.started_at == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


def test_history_still_says_quarter_past_three_in_berlin(alice_client, moved):
    html = alice_client.get("/history/").content.decode()
    assert "03:15</time> (Berlin)" in html
    assert 'datetime="2026-11-20T03:15:00+01:00"' in html
    assert "Friday 20 November 2026" in html  # its own day, not Thursday evening in New York
    assert "21:15" not in html


def test_the_csv_still_says_quarter_past_three_with_berlins_offset(alice_client, moved):
    response = alice_client.get("/reports/episodes.csv" + PERIOD)
    text = b"".join(response.streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["started_at"] == "2026-11-20T03:15:00+01:00"
    assert row["ended_at"] == "2026-11-20T03:17:00+01:00"
    assert row["time_zone"] == "Europe/Berlin"


def test_fhir_still_says_quarter_past_three_with_berlins_offset(alice_client, moved):
    response = alice_client.get("/reports/fhir.json" + PERIOD)
    bundle = json.loads(b"".join(response.streaming_content))
    (observation,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    assert observation["effectivePeriod"]["start"] == "2026-11-20T03:15:00+01:00"


def test_the_heat_map_still_puts_it_on_friday_at_three(alice_client, moved):
    numbers = alice_client.get("/api/v1/reports/summary/" + PERIOD).json()
    grid = numbers["by_weekday_hour"]
    assert grid[4][3] == 1  # Friday (Monday first), 03:00-03:59
    assert sum(map(sum, grid)) == 1
    assert numbers["night_count"] == 1
    html = alice_client.get("/trends/" + PERIOD).content.decode()
    assert "Most: Fri around 03:00." in html


def test_the_pdf_lists_it_at_quarter_past_three_berlin(alice_client, moved):
    pdf = PdfReader(io.BytesIO(alice_client.get("/reports/physician.pdf" + PERIOD).content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Fri 20 Nov 2026\n03:15 (Berlin)" in text  # the cell wraps after the date


def test_the_api_answers_with_the_episodes_own_offset(alice_api, moved):
    answer = alice_api.get(f"/api/v1/episodes/{moved.id}/").json()
    assert answer["started_at"] == "2026-11-20T03:15:00+01:00"
    assert answer["time_zone"] == "Europe/Berlin"


def test_the_edit_page_shows_and_reads_the_time_in_berlin(alice_client, moved):
    response = alice_client.get(f"/episodes/{moved.id}/edit/")
    assert 'value="2026-11-20T03:15:00"' in response.content.decode()
    assert "The time in Berlin, where it happened." in response.content.decode()
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data.update(
        {
            "started_at": "2026-11-20T03:20:00",
            "duration_seconds_0": "2",
            "duration_seconds_1": "0",
            "notes": "woke me at 3am",
        }
    )
    assert alice_client.post(f"/episodes/{moved.id}/edit/", data).status_code == 302
    moved.refresh_from_db()
    assert moved.started_at == datetime(2026, 11, 20, 2, 20, tzinfo=UTC)
    assert moved.time_zone == "Europe/Berlin"


def test_a_new_cramp_after_the_move_is_kept_in_new_york(alice_client, alice, moved):
    episode = log_at_quarter_past_three(alice_client)
    assert episode.time_zone == "America/New_York"
    assert episode.started_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    html = alice_client.get("/history/").content.decode()
    assert html.count("03:15</time>") == 2 and html.count("(Berlin)") == 1


def test_the_heat_map_counts_each_cramp_at_its_own_local_hour(alice):
    for zone, utc_start in [
        ("Europe/Berlin", datetime(2026, 11, 19, 2, 15, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 11, 19, 8, 15, tzinfo=UTC)),
        ("UTC+05:30", datetime(2026, 11, 18, 21, 45, tzinfo=UTC)),  # a phone sent only this
        ("Asia/Tokyo", datetime(2026, 11, 19, 18, 15, tzinfo=UTC)),
    ]:
        EpisodeFactory(user=alice, started_at=utc_start, time_zone=zone)
    s = summary(user=alice, start=datetime(2026, 11, 1).date(), end=datetime(2026, 11, 25).date())
    # 03:15 on Thursday in Berlin, New York and at +05:30; 03:15 on Friday in Tokyo.
    assert s["by_weekday_hour"][3][3] == 3 and s["by_weekday_hour"][4][3] == 1
    assert sum(map(sum, s["by_weekday_hour"])) == 4
    assert s["night_count"] == 4


# --- the API: the zone or the offset the client sent ---------------------------------------


def api_payload(**overrides) -> dict:
    return {
        "started_at": "2026-11-20T03:15:00+01:00",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "sleeping",
        "hydration": "normal",
        **overrides,
    }


def test_an_offset_that_is_the_users_zone_keeps_the_users_zone(alice_api):
    answer = alice_api.post("/api/v1/episodes/", api_payload(), format="json").json()
    assert answer["time_zone"] == "Europe/Berlin"


def test_a_utc_time_keeps_the_users_zone(alice_api):
    data = api_payload(started_at="2026-11-20T02:15:00Z")
    answer = alice_api.post("/api/v1/episodes/", data, format="json").json()
    assert (answer["time_zone"], answer["started_at"]) == (
        "Europe/Berlin",
        "2026-11-20T03:15:00+01:00",
    )


def test_another_offset_is_kept_as_the_phones_clock_showed_it(alice_api):
    data = api_payload(started_at="2026-11-20T11:15:00+09:00")  # a phone in Tokyo
    answer = alice_api.post("/api/v1/episodes/", data, format="json").json()
    assert (answer["time_zone"], answer["started_at"]) == (
        "UTC+09:00",
        "2026-11-20T11:15:00+09:00",
    )


def test_a_zone_sent_with_the_cramp_is_kept(alice_api):
    data = api_payload(started_at="2026-11-20T08:15:00Z", time_zone="America/New_York")
    answer = alice_api.post("/api/v1/episodes/", data, format="json").json()
    assert answer["started_at"] == "2026-11-20T03:15:00-05:00"
    assert Episode.objects.get(id=answer["id"]).time_zone == "America/New_York"


def test_an_unknown_zone_is_refused_and_nothing_saved(alice_api):
    data = api_payload(time_zone="Mars/Olympus_Mons")
    response = alice_api.post("/api/v1/episodes/", data, format="json")
    assert response.status_code == 400
    assert "Unknown time zone: Mars/Olympus_Mons" in json.dumps(response.json())
    assert not Episode.objects.exists()


def test_an_update_cannot_move_the_cramp_to_another_zone(alice_api, moved):
    url = f"/api/v1/episodes/{moved.id}/"
    answer = alice_api.patch(url, {"time_zone": "Asia/Tokyo"}, format="json")
    assert answer.status_code == 200 and answer.json()["time_zone"] == "Europe/Berlin"
    moved.refresh_from_db()
    assert moved.time_zone == "Europe/Berlin"


def test_a_time_without_offset_is_still_refused(alice_api):
    data = api_payload(started_at="2026-11-20T03:15:00")
    response = alice_api.post("/api/v1/episodes/", data, format="json")
    assert response.status_code == 400 and "UTC offset" in json.dumps(response.json())


def test_an_alert_names_the_cramp_at_its_own_time(alice, moved):
    moved.symptoms = ["swelling"]
    moved.save()
    alerts.evaluate(user=moved.user)  # read again: she is in New York now
    reason = alice.alerts.get(rule="red_flag").reason
    assert "On Fri 20 Nov 03:15 (Berlin) you noted" in reason


# --- offsets no place has: refused where they come in, never a 500 ---------------------------

NO_PLACE = [
    "+23:59:59.999999",  # rounds to 24 hours, which no tzinfo can be
    "-23:59:59.999999",
    "+23:59:45",
    "+23:59",
    "+14:00:31",
    "+05:30:20",  # an offset with seconds would be kept rounded: another time
]
FAR_MESSAGE = "No place on Earth is more than 14 hours from UTC"
SECONDS_MESSAGE = "Give the UTC offset in hours and minutes"


def form_payload(started_at: str) -> dict:
    return {
        "episode_id": str(uuid.uuid4()),
        "started_at": started_at,
        "duration_seconds_0": "1",
        "duration_seconds_1": "0",
        "site": "calf",
        "side": "left",
        "intensity": "5",
        "activity": "resting",
        "hydration": "normal",
    }


def import_preview(client, rows: list[dict]):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = json.dumps({"episodes": rows}).encode()
    file = SimpleUploadedFile("data.json", content, content_type="application/json")
    return client.post("/accounts/profile/import/", {"file": file})


@pytest.mark.parametrize("offset", NO_PLACE)
def test_the_api_refuses_an_offset_no_place_has_with_a_field_error(alice_api, offset):
    data = api_payload(started_at=f"2026-11-20T03:15:00{offset}")
    response = alice_api.post("/api/v1/episodes/", data, format="json")
    message = " ".join(field_errors(response)["started_at"])
    assert FAR_MESSAGE in message or SECONDS_MESSAGE in message
    assert not Episode.objects.exists()


@pytest.mark.parametrize("offset", NO_PLACE)
def test_the_past_cramp_form_refuses_an_offset_no_place_has(alice_client, offset):
    response = alice_client.post("/episodes/new/", form_payload(f"2026-11-20T03:15:00{offset}"))
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["started_at"])
    assert FAR_MESSAGE in message or SECONDS_MESSAGE in message
    assert not Episode.objects.exists()


@pytest.mark.parametrize("offset", NO_PLACE)
def test_an_import_row_with_an_offset_no_place_has_is_refused_and_nothing_kept(
    alice_client, offset
):
    row = {**api_payload(started_at=f"2026-11-20T03:15:00{offset}"), "id": str(uuid.uuid4())}
    response = import_preview(alice_client, [row])
    problems = response.context["plan"].problems
    assert [(p.where, p.field) for p in problems] == [("Episode 1", "started_at")]
    assert "pending" not in response.context


def test_an_offset_of_fourteen_hours_and_a_named_zones_old_seconds_are_taken(alice_api):
    kiribati = alice_api.post(
        "/api/v1/episodes/", api_payload(started_at="2026-11-20T16:15:00+14:00"), format="json"
    )
    assert kiribati.status_code == 201 and kiribati.json()["time_zone"] == "UTC+14:00"
    # Amsterdam kept local mean time (+00:19:32) until 1937: its own offset, not one sent.
    amsterdam = api_payload(started_at="1930-06-01T12:00:00Z", time_zone="Europe/Amsterdam")
    answer = alice_api.post("/api/v1/episodes/", amsterdam, format="json")
    assert answer.status_code == 201, answer.json()


@pytest.mark.parametrize(
    "offset", ["Z", "+01:00", "+09:00", "+05:45", "-03:30", "+14:00", "-12:00", *NO_PLACE]
)
def test_what_the_api_takes_comes_back_through_export_and_import(alice_api, alice, offset):
    from accounts import importing
    from accounts.services import export_data

    data = api_payload(started_at=f"2026-11-20T03:15:00{offset}")
    if alice_api.post("/api/v1/episodes/", data, format="json").status_code != 201:
        assert not Episode.objects.exists()  # refused at the door: nothing to bring back
        return
    before = export_data(user=alice)["episodes"]
    exported = json.dumps(export_data(user=alice), default=str)
    Episode.objects.all().delete()  # as on a new server: gone, and no tombstone left
    plan = importing.check(user=alice, content=exported)
    assert not plan.problems and plan.counts["episodes"]["new"] == 1
    assert importing.save(user=alice, plan=plan)
    after = export_data(user=alice)["episodes"]
    server_set = ("created_at", "updated_at")
    assert [{k: v for k, v in row.items() if k not in server_set} for row in after] == [
        {k: v for k, v in row.items() if k not in server_set} for row in before
    ]
