import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import EpisodeFactory
from tests.problems import field_errors
from tracker.models import Episode

URL = "/api/v1/episodes/"


def payload(**overrides):
    data = {
        "started_at": "2026-11-20T22:15:00+01:00",
        "duration_seconds": 95,
        "site": "inner_thigh",
        "side": "right",
        "intensity": 7,
        "activity": "exercise",
        "hydration": "low",
    }
    data.update(overrides)
    return data


# --- create -------------------------------------------------------------------------------


def test_it_creates_an_episode_with_every_field(alice_api, alice):
    data = payload(
        activity_detail="squats",
        fluid_ml=750,
        symptoms=["weakness", "knot"],
        recent_fluid_loss=True,
        relief=["stretching", "massage"],
        relief_helped="partly",
        notes="after leg day",
    )
    response = alice_api.post(URL, data, format="json")
    assert response.status_code == 201, response.content
    episode = alice.episodes.get()
    assert episode.started_at == datetime(2026, 11, 20, 21, 15, tzinfo=UTC)
    assert episode.symptoms == ["weakness", "knot"]  # stored in the enum's order
    assert episode.relief == ["stretching", "massage"]
    assert response.json()["id"] == str(episode.id)
    assert response.json()["relief_helped"] == "partly"


def test_it_answers_times_with_the_users_offset(alice_api):
    response = alice_api.post(URL, payload(started_at="2026-11-20T21:15:00Z"), format="json")
    assert response.json()["started_at"] == "2026-11-20T22:15:00+01:00"  # Alice is in Berlin


def test_it_keeps_a_client_chosen_id(alice_api):
    chosen = uuid.uuid4()
    response = alice_api.post(URL, payload(id=str(chosen)), format="json")
    assert response.status_code == 201
    assert Episode.objects.get().id == chosen


def test_a_retried_create_answers_200_with_the_stored_episode_unchanged(alice_api, alice):
    chosen = str(uuid.uuid4())
    first = alice_api.post(URL, payload(id=chosen, intensity=4), format="json")
    again = alice_api.post(URL, payload(id=chosen, intensity=9), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert alice.episodes.count() == 1
    assert alice.episodes.get().intensity == 4


def test_a_retry_is_answered_even_if_its_start_is_now_out_of_range(alice_api, alice):
    chosen = str(uuid.uuid4())
    with time_machine.travel(datetime(2026, 11, 20, 21, 14, tzinfo=UTC)):
        assert alice_api.post(URL, payload(id=chosen), format="json").status_code == 201
    with time_machine.travel(datetime(2026, 11, 21, tzinfo=UTC)):
        assert alice_api.post(URL, payload(id=chosen), format="json").status_code == 200
    assert alice.episodes.count() == 1


def test_it_refuses_an_id_that_belongs_to_another_user_without_revealing_it(alice_api, bob):
    bobs = EpisodeFactory(user=bob, notes="bob's secret")
    response = alice_api.post(URL, payload(id=str(bobs.id)), format="json")
    assert set(field_errors(response)) == {"id"}
    assert "secret" not in response.content.decode()
    assert bob.username not in response.content.decode()
    assert Episode.objects.count() == 1
    bobs.refresh_from_db()
    assert bobs.user == bob and bobs.site == "calf"


# --- bad input ----------------------------------------------------------------------------

BAD_INPUT = [
    ("intensity", 11, "less than or equal to 10"),
    ("intensity", -1, "greater than or equal to 0"),
    ("intensity", "seven", "a whole number"),
    ("intensity", 5.5, "a whole number"),
    ("duration_seconds", 0, "greater than or equal to 1"),
    ("duration_seconds", 86_401, "less than or equal to 86400"),
    ("duration_seconds", None, "may not be null"),
    ("site", "knee", "not a valid choice"),
    ("side", "middle", "not a valid choice"),
    ("activity", "dancing", "not a valid choice"),
    ("hydration", "dry", "not a valid choice"),
    ("fluid_ml", 10_001, "less than or equal to 10000"),
    ("fluid_ml", -5, "greater than or equal to 0"),
    ("symptoms", ["swelling", "itching"], "not a valid choice"),
    ("symptoms", "swelling", "a list"),
    ("relief", ["prayer"], "not a valid choice"),
    ("relief_helped", "maybe", "not a valid choice"),
    ("recent_fluid_loss", "perhaps", "true or false"),
    ("notes", "x" * 2001, "no more than 2000 characters"),
    ("started_at", "yesterday", "wrong format"),
    ("started_at", "2026-11-25T12:06:00+00:00", "more than 5 minutes in the future"),
    ("started_at", "1899-12-31T23:00:00+00:00", "1900 or later"),
    ("started_at", "2026-11-20T22:15:00", "UTC offset"),
    ("started_at", "2026-11-20 22:15", "UTC offset"),
    ("id", "not-a-uuid", "valid UUID"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
@time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
def test_it_rejects_bad_input_naming_the_field(alice_api, field, value, message):
    response = alice_api.post(URL, payload(**{field: value}), format="json")
    errors = field_errors(response)
    assert field in errors
    assert message in " ".join(errors[field])
    assert Episode.objects.count() == 0


@time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
def test_it_accepts_a_start_just_within_five_minutes_ahead(alice_api):
    response = alice_api.post(URL, payload(started_at="2026-11-25T12:05:00+00:00"), format="json")
    assert response.status_code == 201


def test_it_names_every_missing_field(alice_api):
    response = alice_api.post(URL, {}, format="json")
    assert set(field_errors(response)) == {
        "started_at",
        "duration_seconds",
        "site",
        "side",
        "intensity",
        "activity",
        "hydration",
    }


@pytest.mark.parametrize(
    "body", ['{"site": ', "[1, 2]", '"a string"', "null", '{"intensity": NaN}', "\x00\xff"]
)
def test_malformed_json_gets_400(alice_api, body):
    response = alice_api.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert Episode.objects.count() == 0


def test_notes_come_back_as_sent_and_are_never_interpreted(alice_api):
    notes = "<script>alert(1)</script>"
    response = alice_api.post(URL, payload(notes=notes), format="json")
    assert response.json()["notes"] == notes
    assert response["Content-Type"] == "application/json"


# --- list and filters ---------------------------------------------------------------------


def test_it_lists_only_the_users_episodes_newest_first(alice_api, alice, bob):
    older = EpisodeFactory(user=alice, started_at=datetime(2026, 11, 1, tzinfo=UTC))
    newer = EpisodeFactory(user=alice, started_at=datetime(2026, 11, 2, tzinfo=UTC))
    EpisodeFactory(user=bob)
    body = alice_api.get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [str(newer.id), str(older.id)]


def test_it_paginates(alice_api, alice):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(55):
        EpisodeFactory(user=alice, started_at=start + timedelta(days=n))
    first = alice_api.get(URL).json()
    assert first["count"] == 55 and len(first["results"]) == 50
    second = alice_api.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None


def test_from_and_to_are_days_in_the_users_time_zone(alice_api, alice):
    # 23:30 in Berlin on 10 Nov is 22:30 UTC: it belongs to 10 Nov for Alice.
    late = EpisodeFactory(user=alice, started_at=datetime(2026, 11, 10, 22, 30, tzinfo=UTC))
    # 00:30 in Berlin on 11 Nov is still 10 Nov in UTC: it belongs to 11 Nov for Alice.
    early = EpisodeFactory(user=alice, started_at=datetime(2026, 11, 10, 23, 30, tzinfo=UTC))
    on_10th = alice_api.get(URL, {"from": "2026-11-10", "to": "2026-11-10"}).json()
    on_11th = alice_api.get(URL, {"from": "2026-11-11", "to": "2026-11-11"}).json()
    assert [e["id"] for e in on_10th["results"]] == [str(late.id)]
    assert [e["id"] for e in on_11th["results"]] == [str(early.id)]


def test_it_filters_by_site(alice_api, alice):
    EpisodeFactory(user=alice, site="calf")
    thigh = EpisodeFactory(user=alice, site="inner_thigh")
    body = alice_api.get(URL, {"site": "inner_thigh"}).json()
    assert [e["id"] for e in body["results"]] == [str(thigh.id)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"site": "knee"}, "site"),
    ],
)
def test_bad_filters_get_400_naming_the_filter(alice_api, params, field):
    response = alice_api.get(URL, params)
    assert field in field_errors(response)


def test_a_bad_page_number_is_a_404_not_a_500(alice_api):
    assert alice_api.get(URL, {"page": "abc"}).status_code == 404


# --- one episode --------------------------------------------------------------------------


def test_it_reads_updates_and_deletes_one_episode(alice_api, alice):
    episode = EpisodeFactory(user=alice)
    url = f"{URL}{episode.id}/"
    assert alice_api.get(url).json()["site"] == "calf"
    assert alice_api.patch(url, {"intensity": 9}, format="json").status_code == 200
    episode.refresh_from_db()
    assert episode.intensity == 9
    replaced = payload(site="foot")
    assert alice_api.put(url, replaced, format="json").status_code == 200
    episode.refresh_from_db()
    assert episode.site == "foot" and episode.intensity == 7
    assert alice_api.delete(url).status_code == 204
    assert not Episode.objects.exists()


def test_an_update_cannot_change_the_id(alice_api, alice):
    episode = EpisodeFactory(user=alice)
    response = alice_api.patch(f"{URL}{episode.id}/", {"id": str(uuid.uuid4())}, format="json")
    assert response.status_code == 200
    assert list(alice.episodes.values_list("id", flat=True)) == [episode.id]


def test_a_bad_update_changes_nothing(alice_api, alice):
    episode = EpisodeFactory(user=alice, intensity=3)
    response = alice_api.patch(
        f"{URL}{episode.id}/", {"intensity": 12, "site": "foot"}, format="json"
    )
    assert "intensity" in field_errors(response)
    episode.refresh_from_db()
    assert (episode.intensity, episode.site) == (3, "calf")


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_episode_is_a_404(bob_api, alice, method):
    episode = EpisodeFactory(user=alice, intensity=3)
    response = getattr(bob_api, method)(f"{URL}{episode.id}/", {"intensity": 9}, format="json")
    assert response.status_code == 404
    episode.refresh_from_db()
    assert episode.intensity == 3


def test_a_malformed_id_in_the_path_is_a_404(alice_api):
    assert alice_api.get(f"{URL}not-a-uuid/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}00000000-0000-4000-8000-000000000001/"),
        ("delete", f"{URL}00000000-0000-4000-8000-000000000002/"),
    ],
)
def test_anonymous_gets_401(anon_api, method, path):
    response = getattr(anon_api, method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_method_gets_405(alice_api, alice):
    assert alice_api.put(URL, payload(), format="json").status_code == 405
    assert alice_api.delete(URL).status_code == 405
    episode = EpisodeFactory(user=alice)
    assert alice_api.post(f"{URL}{episode.id}/", payload(), format="json").status_code == 405


def test_session_auth_works_for_the_pages_own_scripts(alice, client):
    client.force_login(alice)
    assert client.get(URL).status_code == 200


def test_an_update_without_an_offset_is_refused_and_changes_nothing(alice_api, alice):
    episode = EpisodeFactory(user=alice)
    before = episode.started_at
    response = alice_api.patch(
        f"{URL}{episode.id}/", {"started_at": "2026-11-01T03:15:00"}, format="json"
    )
    assert "UTC offset" in field_errors(response)["started_at"][0]
    episode.refresh_from_db()
    assert episode.started_at == before


# --- deleted ids (tombstones) -------------------------------------------------------------


def test_a_resend_of_an_episode_the_user_deleted_answers_410_and_creates_nothing(alice_api, alice):
    chosen = str(uuid.uuid4())
    assert alice_api.post(URL, payload(id=chosen), format="json").status_code == 201
    assert alice_api.delete(f"{URL}{chosen}/").status_code == 204
    response = alice_api.post(URL, payload(id=chosen), format="json")  # the other phone's resend
    assert response.status_code == 410
    assert "deleted" in response.json()["detail"]
    assert not alice.episodes.exists()


def test_an_episode_deleted_on_the_page_is_not_brought_back_by_the_api(
    alice_client, alice_api, alice
):
    episode = EpisodeFactory(user=alice)
    assert alice_client.post(f"/episodes/{episode.id}/delete/").status_code == 302
    response = alice_api.post(URL, payload(id=str(episode.id)), format="json")
    assert response.status_code == 410
    assert not Episode.objects.exists()


def test_a_deleted_id_is_refused_also_for_a_person_without_a_profile_row(db):
    """The change is counted on the profile row and the tombstone read in the same statement;
    a user made in the shell has no row until a page or the API makes one."""
    from django.contrib.auth import get_user_model

    from accounts.models import Profile
    from tracker import logbook

    made_in_the_shell = get_user_model().objects.create_user("dora", password="dora-pass-123")
    fields = {**payload(id=uuid.uuid4()), "time_zone": "UTC"}
    fields["started_at"] = datetime.fromisoformat(fields["started_at"])
    episode, created = logbook.record_episode(user=made_in_the_shell, fields=fields)
    assert created
    logbook.delete_episode(episode=episode)
    Profile.objects.filter(user=made_in_the_shell).delete()  # the alerts' run may have made one
    made_in_the_shell = get_user_model().objects.get(pk=made_in_the_shell.pk)
    with pytest.raises(logbook.EpisodeDeleted):
        logbook.record_episode(user=made_in_the_shell, fields=fields)
    assert not Episode.objects.exists()


def test_an_id_another_user_deleted_answers_like_any_taken_id(alice_api, bob_api, bob):
    bobs = EpisodeFactory(user=bob, notes="bob's secret")
    assert bob_api.delete(f"{URL}{bobs.id}/").status_code == 204
    deleted = alice_api.post(URL, payload(id=str(bobs.id)), format="json")
    taken = alice_api.post(URL, payload(id=str(EpisodeFactory(user=bob).id)), format="json")
    assert deleted.status_code == taken.status_code == 400
    assert deleted.json() == taken.json()
    assert set(field_errors(deleted)) == {"id"}
    assert not Episode.objects.filter(id=bobs.id).exists()


def test_the_schema_documents_the_410_on_create(alice_api):
    schema = alice_api.get("/api/schema/", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/episodes/"]["post"]
    assert "410" in create["responses"]
    assert "deleted" in create["responses"]["410"]["description"]


@pytest.mark.parametrize(
    "bad_id",
    [
        "0b8f2a4e6c1d4e8f9a0b1c2d3e4f5a6b",  # bare hex: a UUID, but not the form promised
        "{0b8f2a4e-6c1d-4e8f-9a0b-1c2d3e4f5a6b}",
        "urn:uuid:0b8f2a4e-6c1d-4e8f-9a0b-1c2d3e4f5a6b",
    ],
)
def test_creating_with_an_id_that_is_not_a_canonical_uuid_is_refused(alice_api, bad_id):
    errors = field_errors(alice_api.post(URL, payload(id=bad_id), format="json"))
    assert "valid UUID" in errors["id"][0]
    assert not Episode.objects.exists()


def test_an_empty_relief_helped_is_refused_and_null_is_taken(alice_api, alice):
    errors = field_errors(alice_api.post(URL, payload(relief_helped=""), format="json"))
    assert "not a valid choice" in errors["relief_helped"][0]
    assert alice_api.post(URL, payload(relief_helped=None), format="json").status_code == 201
    assert alice.episodes.get().relief_helped is None
