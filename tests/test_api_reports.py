"""The report through the API with a key: the summary and the exports (tracker/report_api.py)."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache

from accounts.models import AuditEvent
from tests.factories import EpisodeFactory
from tests.problems import field_errors
from tracker.report_api import period_query

NOW = datetime(2026, 11, 25, 12, 0, 30, tzinfo=UTC)
EXPORTS = [
    ("/api/v1/reports/physician.pdf", "application/pdf"),
    ("/api/v1/reports/episodes.csv", "text/csv"),
    ("/api/v1/reports/fhir.json", "application/fhir+json"),
]


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(("path", "media_type"), EXPORTS)
def test_a_key_downloads_each_export(alice_api, alice, path, media_type):
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 20, 7, 0, tzinfo=UTC))
    response = alice_api.get(path, {"from": "2026-11-01", "to": "2026-11-24"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert "20261101-20261124" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    what = {"pdf": "PDF", "csv": "CSV", "json": "FHIR"}[path.rsplit(".", 1)[1]]
    assert AuditEvent.objects.filter(user=alice, what=getattr(AuditEvent.What, what)).exists()


def test_the_csv_and_the_fhir_bundle_hold_the_episode(alice_api, alice):
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 20, 7, 0, tzinfo=UTC))
    rows = b"".join(alice_api.get(EXPORTS[1][0]).streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(rows)))) == 2  # the header and one episode
    bundle = json.loads(b"".join(alice_api.get(EXPORTS[2][0]).streaming_content))
    assert bundle["resourceType"] == "Bundle" and bundle["entry"]


def test_the_pdf_is_a_pdf_even_when_the_client_asks_for_json(alice_api):
    response = alice_api.get(EXPORTS[0][0], HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize(("path", "media_type"), EXPORTS)
def test_anonymous_gets_a_401_problem_not_a_redirect(anon_api, db, path, media_type):
    response = anon_api.get(path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_another_users_episodes_are_not_in_the_export(bob_api, alice):
    EpisodeFactory(user=alice, notes="alice's own note")
    rows = b"".join(bob_api.get(EXPORTS[1][0]).streaming_content).decode("utf-8-sig")
    assert "alice" not in rows


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-02-30"}, "from", "valid date"),
        ({"from": "2026-11-20", "to": "2026-11-01"}, "to", "before the start"),
        ({"from": "1899-12-31"}, "from", "between 1900 and 9000"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_parameter(alice_api, params, field, message):
    errors = field_errors(alice_api.get(EXPORTS[1][0], params))
    assert message in " ".join(errors[field])
    assert not AuditEvent.objects.filter(what=AuditEvent.What.CSV).exists()


def test_the_exports_share_the_pages_limit_and_answer_429_with_retry_after(
    alice_api, alice_client, settings
):
    settings.EXPORT_LIMIT_PER_MINUTE = 2
    assert alice_client.get("/reports/episodes.csv").status_code == 200
    assert alice_api.get(EXPORTS[1][0]).status_code == 200
    refused = alice_api.get(EXPORTS[0][0])
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert refused["Content-Type"] == "application/problem+json"
    assert "try again in 30" in refused.json()["detail"]


def test_the_summary_takes_from_alone(alice_api):
    body = alice_api.get("/api/v1/reports/summary/", {"from": "2026-11-01"}).json()
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-25")


def test_the_summary_takes_to_alone(alice_api):
    body = alice_api.get("/api/v1/reports/summary/", {"to": "2026-10-31"}).json()
    assert (body["from"], body["to"]) == ("2026-08-03", "2026-10-31")


@pytest.mark.parametrize(
    ("query", "filled"),
    [
        ({}, {"from": "", "to": ""}),
        ({"from": "2026-01-01"}, {"from": "2026-01-01", "to": "2026-03-31"}),
        ({"from": "2026-11-20"}, {"from": "2026-11-20", "to": "2026-11-25"}),
        ({"from": "2027-01-01"}, {"from": "2027-01-01", "to": "2027-01-01"}),
        ({"to": "2026-03-31"}, {"from": "2026-01-01", "to": "2026-03-31"}),
        ({"to": "0001-01-02"}, {"from": "", "to": "0001-01-02"}),
        ({"to": "1900-02-01"}, {"from": "1900-01-01", "to": "1900-02-01"}),
        ({"from": "nonsense"}, {"from": "nonsense", "to": ""}),
    ],
)
def test_a_missing_end_of_the_period_is_filled_in_as_documented(query, filled):
    assert period_query(query, date(2026, 11, 25)) == filled
