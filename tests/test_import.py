"""Import what you exported (issue 14, item 6): the JSON download and the episodes CSV come
back into an account, with a preview first, idempotent by id, all or nothing."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import importing
from accounts.models import PendingImport
from accounts.services import export_data, register
from tests.factories import EpisodeFactory
from tracker import logbook
from tracker.models import Alert, Episode, Medication

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# What the API says about an episode, minus what the server sets when it is saved.
SERVER_SET = {"created_at", "updated_at"}


@pytest.fixture(autouse=True)
def frozen_and_fresh_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alices_data(alice):
    """Three cramps (one in New York, one with a note that looks like a formula) and a medicine."""
    EpisodeFactory(
        user=alice,
        started_at=datetime(2026, 11, 20, 2, 15, tzinfo=UTC),
        notes='woke me at 3am, "again"\nsecond line',
        symptoms=["swelling", "knot"],
        relief=["stretching"],
        relief_helped="partly",
        fluid_ml=750,
        fluid_loss=["heavy_sweating"],
        recent_fluid_loss=True,
    )
    EpisodeFactory(
        user=alice,
        started_at=datetime(2026, 11, 22, 8, 15, tzinfo=UTC),
        time_zone="America/New_York",
        notes="=1+1",
        activity_detail="-stairs",
    )
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 23, 21, 0, tzinfo=UTC))
    Medication.objects.create(
        user=alice, name="Atorvastatin", kind="statin", started_on="2026-10-01"
    )
    return alice


def episodes_of(user) -> list[dict]:
    rows = export_data(user=user)["episodes"]
    return [{k: v for k, v in row.items() if k not in SERVER_SET} for row in rows]


def medicines_of(user) -> list[dict]:
    return export_data(user=user)["medications"]


def upload(client, content: str, name: str = "data.json"):
    file = SimpleUploadedFile(name, content.encode(), content_type="application/octet-stream")
    return client.post("/accounts/profile/import/", {"file": file})


def import_file(client, content: str, name: str = "data.json"):
    """Upload, look at the preview, press Import: as a person would."""
    preview = upload(client, content, name)
    assert preview.status_code == 200
    pending = preview.context["pending"]
    return client.post(f"/accounts/profile/import/{pending.id}/")


def move_to_a_new_account(client, old) -> object:
    """Delete the old account from its page, then sign up afresh: a move to another server."""
    assert (
        client.post("/accounts/profile/delete/", {"password": "alice-password-1"}).status_code
        == 302
    )
    new = register(username="alice-again", password="another-pass-1", time_zone="Europe/Berlin")
    fresh = Client()
    fresh.force_login(new)
    return new, fresh


def csv_of(client) -> str:
    response = client.get("/reports/episodes.csv?from=2026-11-01&to=2026-11-25")
    return b"".join(response.streaming_content).decode()


# --- the round trips (acceptance) ---------------------------------------------------------


def test_the_json_download_comes_back_whole_into_a_new_account(alice_client, alices_data):
    before_episodes, before_medicines = episodes_of(alices_data), medicines_of(alices_data)
    downloaded = alice_client.get("/accounts/profile/export.json").content.decode()
    new, client = move_to_a_new_account(alice_client, alices_data)
    assert not Episode.objects.exists()

    response = import_file(client, downloaded)
    assert response.status_code == 302
    assert episodes_of(new) == before_episodes  # ids, times, zones, notes, every field
    assert medicines_of(new) == before_medicines
    assert Episode.objects.get(notes="=1+1").local_started_at.hour == 3  # 03:15 in New York
    assert "Imported 3 cramps and 1 medicine." in client.get("/accounts/profile/").content.decode()


def test_importing_the_same_file_twice_changes_nothing(alice_client, alices_data):
    downloaded = alice_client.get("/accounts/profile/export.json").content.decode()
    new, client = move_to_a_new_account(alice_client, alices_data)
    import_file(client, downloaded)
    stored = list(Episode.objects.values())

    preview = upload(client, downloaded)
    assert preview.context["plan"].counts["episodes"] == {
        "new": 0,
        "already": 3,
        "deleted": 0,
        "refused": 0,
    }
    assert preview.context["plan"].counts["medications"]["already"] == 1
    assert "pending" not in preview.context
    assert "there is nothing to import" in preview.content.decode()
    assert list(Episode.objects.values()) == stored and Medication.objects.count() == 1


def test_the_csv_comes_back_into_a_new_account(alice_client, alices_data):
    before = episodes_of(alices_data)
    spreadsheet = csv_of(alice_client)
    new, client = move_to_a_new_account(alice_client, alices_data)
    assert import_file(client, spreadsheet, "cramps.csv").status_code == 302
    assert episodes_of(new) == before  # formulas un-guarded, lists, zones, multi-line notes
    assert upload(client, spreadsheet, "cramps.csv").context["plan"].counts["episodes"]["new"] == 0


def test_the_preview_counts_and_saves_nothing(alice_client, alices_data):
    downloaded = alice_client.get("/accounts/profile/export.json").content.decode()
    data = json.loads(downloaded)
    Episode.objects.filter(id=data["episodes"][0]["id"]).delete()
    response = upload(alice_client, downloaded)
    counts = response.context["plan"].counts
    assert counts["episodes"] == {"new": 1, "already": 2, "deleted": 0, "refused": 0}
    assert Episode.objects.count() == 2
    assert "Import 1 cramp</button>" in response.content.decode()


# --- bad rows: named, and nothing saved ---------------------------------------------------


def test_one_bad_csv_row_saves_nothing_and_names_the_row_and_field(alice_client, alices_data):
    rows = list(csv.reader(io.StringIO(csv_of(alice_client))))
    header = rows[0]
    rows[2][header.index("intensity")] = "11"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    new, client = move_to_a_new_account(alice_client, alices_data)

    response = upload(client, out.getvalue(), "cramps.csv")
    html = response.content.decode()
    assert "Nothing from this file was saved." in html
    (problem,) = response.context["plan"].problems
    assert (problem.where, problem.field) == ("Row 3", "intensity")
    assert "less than or equal to 10" in problem.message
    assert '<th scope="row">Row 3</th><td class="text">intensity</td>' in html
    assert response.context["plan"].counts["episodes"]["refused"] == 1
    assert "pending" not in response.context and not PendingImport.objects.exists()
    assert not Episode.objects.exists()


def test_each_bad_field_of_a_json_row_is_named(alice_client, alices_data):
    data = export_data(user=alices_data)
    data["episodes"][1].update(started_at="2026-11-22T03:15:00", site="knee")
    del data["episodes"][2]["id"]
    data["medications"][0]["stopped_on"] = "2026-01-01"
    response = upload(alice_client, json.dumps(data))
    found = {(p.where, p.field) for p in response.context["plan"].problems}
    assert found == {
        ("Episode 2", "started_at"),
        ("Episode 2", "site"),
        ("Episode 3", "id"),
        ("Medicine 1", "stopped_on"),
    }
    messages = " ".join(p.message for p in response.context["plan"].problems)
    assert "UTC offset" in messages and "cannot be before the start date" in messages


def test_an_id_of_someone_elses_cramp_is_refused(alice_client, alices_data, bob):
    bobs = EpisodeFactory(user=bob)
    data = export_data(user=alices_data)
    data["episodes"][0]["id"] = str(bobs.id)
    response = upload(alice_client, json.dumps(data))
    (problem,) = response.context["plan"].problems
    assert (problem.where, problem.field) == ("Episode 1", "id")
    assert "not yours" in problem.message
    bobs.refresh_from_db()
    assert bobs.user == bob


def test_the_same_id_twice_in_one_file_is_refused(alice_client, alices_data):
    data = export_data(user=alices_data)
    data["episodes"].append(dict(data["episodes"][0]))
    response = upload(alice_client, json.dumps(data))
    (problem,) = response.context["plan"].problems
    assert (problem.where, problem.message) == ("Episode 4", "The same id is also in Episode 1.")


def test_a_cramp_deleted_here_stays_deleted(alice_client, alices_data):
    downloaded = json.dumps(export_data(user=alices_data))
    logbook.delete_episode(episode=alices_data.episodes.first())
    response = upload(alice_client, downloaded)
    assert response.context["plan"].counts["episodes"]["deleted"] == 1
    assert "1 cramp you deleted here stays deleted." in response.content.decode()
    assert "pending" not in response.context


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not,our,file\n1,2,3\n", "no duration_seconds, id, side, site, started_at column"),
        ('{"episodes": [', "cut short or broken"),
        ('{"something": []}', "not a download of this app's data"),
        ("[" * 100_000, "not the cramps spreadsheet"),
        ('{"episodes":' * 100_000, "cut short or broken"),  # too deep for Python
    ],
)
def test_a_file_that_is_not_ours_is_refused(alice_client, content, message):
    response = upload(alice_client, content)
    assert message in " ".join(response.context["form"].errors["file"])
    assert "plan" not in response.context


def test_a_file_over_the_limit_is_refused_before_it_is_read(alice_client):
    response = upload(alice_client, "x" * (importing.MAX_IMPORT_BYTES + 1))
    errors = " ".join(response.context["form"].errors["file"])
    assert "This file is 5.0 MB; at most 5 MB can be imported at once." in errors
    assert "plan" not in response.context


def test_a_binary_file_is_refused(alice_client):
    file = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF")
    response = alice_client.post("/accounts/profile/import/", {"file": file})
    assert "not a text file" in " ".join(response.context["form"].errors["file"])


# --- who may import, and how --------------------------------------------------------------


def test_the_profile_page_offers_the_import(alice_client):
    html = alice_client.get("/accounts/profile/").content.decode()
    assert 'action="/accounts/profile/import/"' in html and 'enctype="multipart/form-data"' in html


def test_anonymous_is_sent_to_log_in(client):
    assert client.post("/accounts/profile/import/").status_code == 302


def test_a_stranger_cannot_finish_someone_elses_import(alice_client, alices_data, bob_client):
    data = export_data(user=alices_data)
    Episode.objects.all().delete()
    pending = upload(alice_client, json.dumps(data)).context["pending"]
    assert bob_client.post(f"/accounts/profile/import/{pending.id}/").status_code == 404
    assert not Episode.objects.exists()


def test_finishing_an_import_needs_a_post(alice_client, alices_data):
    pending = importing.keep(user=alices_data, content="{}")
    assert alice_client.get(f"/accounts/profile/import/{pending.id}/").status_code == 405


def test_an_import_is_checked_again_when_it_is_saved(alice_client, alices_data, bob):
    data = export_data(user=alices_data)
    Episode.objects.all().delete()
    pending = upload(alice_client, json.dumps(data)).context["pending"]
    EpisodeFactory(user=bob, id=data["episodes"][0]["id"])  # taken meanwhile
    response = alice_client.post(f"/accounts/profile/import/{pending.id}/")
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert not alices_data.episodes.exists()


def test_the_alert_rules_run_once_the_import_is_saved(alice_client, alice):
    episode = EpisodeFactory(user=alice, symptoms=["swelling"], started_at=NOW - timedelta(hours=2))
    data = export_data(user=alice)
    episode.delete()
    Alert.objects.all().delete()
    assert import_file(alice_client, json.dumps(data)).status_code == 302
    assert alice.alerts.filter(rule="red_flag").exists()
    assert not PendingImport.objects.exists()


def test_a_file_with_too_many_rows_is_refused(alice_client, alices_data, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    response = upload(alice_client, csv_of(alice_client), "cramps.csv")
    assert "At most 2 rows in one file." in response.context["form"].errors["file"]
