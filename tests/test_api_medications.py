import uuid
from datetime import date

import pytest

from tests.problems import field_errors
from tracker.models import Medication

URL = "/api/v1/medications/"


def test_it_creates_lists_updates_and_deletes_a_medicine(alice_api, alice):
    created = alice_api.post(
        URL, {"name": "Atorvastatin", "kind": "statin", "started_on": "2026-03-01"}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "name", "kind", "started_on", "stopped_on"}
    assert body["stopped_on"] is None
    listed = alice_api.get(URL).json()
    assert [m["name"] for m in listed["results"]] == ["Atorvastatin"]
    url = f"{URL}{body['id']}/"
    assert alice_api.patch(url, {"stopped_on": "2026-09-30"}, format="json").status_code == 200
    assert Medication.objects.get().stopped_on == date(2026, 9, 30)
    assert alice_api.delete(url).status_code == 204
    assert not Medication.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "statin", "started_on": "2026-01-01"}, "name", "may not be blank"),
        (
            {"name": "X", "kind": "vitamin", "started_on": "2026-01-01"},
            "kind",
            "not a valid choice",
        ),
        ({"name": "X", "kind": "other", "started_on": "soon"}, "started_on", "wrong format"),
        (
            {"name": "X", "kind": "other", "started_on": "2026-05-01", "stopped_on": "2026-04-01"},
            "stopped_on",
            "before the start",
        ),
        ({"name": "X", "kind": "other", "started_on": "0001-01-01"}, "started_on", "from 1900"),
        (
            {"name": "X", "kind": "other", "started_on": "2026-01-01", "stopped_on": "9999-12-31"},
            "stopped_on",
            "a year from today",
        ),
        (
            {"name": "X" * 101, "kind": "other", "started_on": "2026-01-01"},
            "name",
            "no more than 100",
        ),
    ],
)
def test_bad_input_gets_400_naming_the_field(alice_api, data, field, message):
    response = alice_api.post(URL, data, format="json")
    assert message in " ".join(field_errors(response)[field])
    assert not Medication.objects.exists()


def test_a_partial_update_cannot_make_it_stop_before_it_starts(alice_api, alice):
    medicine = Medication.objects.create(
        user=alice, name="X", kind="other", started_on=date(2026, 5, 1)
    )
    response = alice_api.patch(f"{URL}{medicine.id}/", {"stopped_on": "2026-04-30"}, format="json")
    assert "stopped_on" in field_errors(response)
    medicine.refresh_from_db()
    assert medicine.stopped_on is None


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_medicine_is_a_404(bob_api, alice, method):
    medicine = Medication.objects.create(
        user=alice, name="Mine", kind="other", started_on=date(2026, 5, 1)
    )
    response = getattr(bob_api, method)(f"{URL}{medicine.id}/", {"name": "Stolen"}, format="json")
    assert response.status_code == 404
    medicine.refresh_from_db()
    assert medicine.name == "Mine"


def test_lists_hold_no_one_elses_medicines(bob_api, alice):
    Medication.objects.create(user=alice, name="Mine", kind="other", started_on=date(2026, 5, 1))
    assert bob_api.get(URL).json()["count"] == 0


def test_anonymous_gets_401_and_a_wrong_method_405(anon_api, alice_api):
    assert anon_api.get(URL).status_code == 401
    assert anon_api.get(f"{URL}{uuid.uuid4()}/").status_code == 401
    assert alice_api.put(URL, {}, format="json").status_code == 405
