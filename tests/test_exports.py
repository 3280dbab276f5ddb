"""The CSV and FHIR exports against the standards, not only against one library
(tracker/reports/exports.py, through /reports/ and /api/v1/reports/)."""

import csv
import io
import json
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent, profile_for
from tests.factories import EpisodeFactory
from tests.fhir import schema_errors
from tracker.models import Episode
from tracker.reports import exports

NOW = datetime(2026, 11, 25, 12, 0, 30, tzinfo=UTC)
FHIR_PATHS = ["/reports/fhir.json", "/api/v1/reports/fhir.json"]
# Whitespace a JavaScript validator's \s matches (ECMA-262: WhiteSpace and LineTerminator);
# the R4 string pattern `^[ \r\n\t\S]+$` refuses all of it but space, tab, CR and LF.
ECMA_WHITESPACE = set("\t\n\v\f\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}
# What a person can type that the R4 pattern or XML would refuse, or that is easy to get wrong.
AWKWARD = [
    "\xa0",  # no-break space (French before a colon)
    "\x0c",  # form feed
    "\x0b",
    "\x85",
    "\u2028",
    "\u3000",
    "\ufeff",
    "\u180e",
    "\x1b",
    "\x7f",
    "\x1f",
    "\U0001f9b5",  # a leg, outside the basic plane
    "\U0010fffd",
    "é",
    "\t",
    "\r",
    "\n",
    " ",
]
typed = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
awkward_text = st.text(st.one_of(typed, st.sampled_from(AWKWARD)), max_size=60)


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def fhir_resources_accepts(resource: dict) -> None:
    """fhir.resources (R4 4.0.1 models) parses it, or raises naming what is wrong."""
    from fhir.resources import construct_fhir_element

    construct_fhir_element(resource["resourceType"], resource)


def named(alice, name="", birth_year=None):
    profile = profile_for(alice)
    profile.display_name, profile.birth_year = name, birth_year
    profile.save()


# --- CSV ------------------------------------------------------------------------------------


def test_the_csv_starts_with_a_utf8_byte_order_mark_so_spreadsheets_read_accents(
    alice_client, alice
):
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=1), notes="crampe à la cuisse")
    content = streamed(alice_client.get("/reports/episodes.csv"))
    assert content.startswith(b"\xef\xbb\xbfid,started_at,")
    assert content.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0]["notes"] == "crampe à la cuisse"


def test_the_api_csv_starts_with_the_byte_order_mark_too(alice_api):
    assert streamed(alice_api.get("/api/v1/reports/episodes.csv")).startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(
    alice_client, alice, start
):
    EpisodeFactory(
        user=alice,
        started_at=NOW - timedelta(days=1),
        notes=f"{start}SUM(A1)",
        activity="other",
        activity_detail=f"{start}1",
    )
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=2), notes=f"a {start} b")
    content = streamed(alice_client.get("/reports/episodes.csv")).decode("utf-8-sig")
    escaped, plain = list(csv.DictReader(io.StringIO(content, newline="")))[::-1]
    assert escaped["notes"] == f"'{start}SUM(A1)" and escaped["activity_detail"] == f"'{start}1"
    assert plain["notes"] == f"a {start} b"  # only the first character counts


# --- FHIR: the official schema --------------------------------------------------------------


def test_the_bundle_passes_the_official_r4_schema_and_fhir_resources(alice_client, alice):
    named(alice, "Zoë\xa0Muller", 1961)
    for n, site in enumerate(["inner_thigh", "back_of_thigh", "front_of_thigh", "calf", "foot"]):
        EpisodeFactory(
            user=alice,
            site=site,
            started_at=NOW - timedelta(days=n + 1, microseconds=n),
            notes=["", "at night\x0cagain", "\xa0", "legs \U0001f9b5 ok", "x\x1by"][n],
        )
    bundle = json.loads(streamed(alice_client.get("/reports/fhir.json")))
    assert schema_errors(bundle) == {}
    fhir_resources_accepts(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"] + [
        "Observation"
    ] * 5
    notes = [e["resource"].get("note", [{}])[0].get("text") for e in bundle["entry"][1:]]
    # Oldest first: form feed and no-break space read as spaces, the escape character goes.
    assert notes == ["xy", "legs \U0001f9b5 ok", None, "at night again", None]


def test_the_schema_refuses_what_the_export_must_never_write():
    """The vendored schema does its job: a no-break space or an empty note is refused."""
    patient = {"resourceType": "Patient", "name": [{"text": "a\xa0b"}]}
    assert "does not match" in " ".join(schema_errors(patient)["fhir.schema.r4-4.0.0.json.gz"])
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "Muscle cramp"},
        "note": [{"text": ""}],
    }
    assert len(schema_errors(observation)) == 2
    assert schema_errors({**observation, "note": [{"text": "fine"}]}) == {}


@pytest.mark.django_db
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(notes=awkward_text, name=awkward_text)
@example(notes="\xa0", name="\x0c")
@example(notes="a\x0cb\xa0c\u2028d\x1be\U0001f600", name="Zoë\u3000Müller\ufeff")
@example(notes=" \t\r\n", name="\u180e")
def test_any_note_or_name_a_person_can_type_gives_a_bundle_the_r4_schema_accepts(
    alice, notes, name
):
    Episode.objects.filter(user=alice).delete()
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=1), notes=notes)
    written = exports.fhir_bundle(
        alice.episodes.all(), profile_for(alice).zone, NOW, name=name, birth_year=1975
    )
    bundle = json.loads("".join(written))
    assert schema_errors(bundle) == {}
    fhir_resources_accepts(bundle)


@given(text=awkward_text)
@example(text="\xa0\x0c\u2028")
def test_an_r4_string_keeps_no_whitespace_a_javascript_validator_would_refuse(text):
    kept = exports.fhir_string(text)
    if kept is None:  # only when there was nothing but whitespace and control characters
        assert all(
            c.isspace() or c in ECMA_WHITESPACE or unicodedata.category(c) == "Cc" for c in text
        )
    else:
        assert kept == kept.strip() and kept
        assert not (set(kept) & ECMA_WHITESPACE) - set(" \t\r\n")
        assert all(c in "\t\r\n" or unicodedata.category(c) != "Cc" for c in kept)


def test_nothing_but_kept_text_survives_normalising():
    assert exports.fhir_string("a\xa0b\x0cc\u2028d") == "a b c d"
    assert exports.fhir_string("\x1b[31mred\x7f") == "[31mred"
    assert exports.fhir_string("  tab\tand\r\nlines  ") == "tab\tand\r\nlines"
    assert exports.fhir_string("\xa0\x0c\ufeff\x07") is None


# --- FHIR: the patient ----------------------------------------------------------------------


def test_the_patient_carries_the_name_and_birth_year_the_person_gave(alice_client, alice):
    named(alice, "Ada Lovelace", 1952)
    bundle = json.loads(streamed(alice_client.get("/reports/fhir.json")))
    patient = bundle["entry"][0]["resource"]
    assert patient["name"] == [{"text": "Ada Lovelace"}] and patient["birthDate"] == "1952"
    assert "identifier" not in patient and schema_errors(bundle) == {}


def test_the_patient_has_no_name_or_birth_date_when_none_was_given(alice_api, alice):
    named(alice, "", None)
    bundle = json.loads(streamed(alice_api.get("/api/v1/reports/fhir.json")))
    patient = bundle["entry"][0]["resource"]
    assert "name" not in patient and "birthDate" not in patient
    named(alice, "\xa0 \x0c", None)  # nothing readable is no name at all
    bundle = json.loads(streamed(alice_api.get("/api/v1/reports/fhir.json")))
    assert "name" not in bundle["entry"][0]["resource"] and schema_errors(bundle) == {}


# --- FHIR: refusals are OperationOutcomes ---------------------------------------------------


def outcome_of(response, status: int) -> dict:
    """The refusal, checked to be an R4 OperationOutcome served as FHIR JSON."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert schema_errors(outcome) == {}
    fhir_resources_accepts(outcome)
    return outcome


@pytest.mark.parametrize("path", FHIR_PATHS)
@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ({"from": "2026-02-30", "to": "2026-03-10"}, "from", "valid date"),
        ({"from": "2026-11-20", "to": "2026-11-01"}, "to", "before the start"),
        ({"from": "2000-01-01", "to": "2026-11-25"}, "to", "At most"),
    ],
)
def test_a_bad_or_too_long_period_is_an_operation_outcome_naming_the_parameter(
    alice_client, alice_api, path, query, parameter, words
):
    client = alice_api if path.startswith("/api/") else alice_client
    outcome = outcome_of(client.get(path, query), 400)
    [issue] = outcome["issue"]
    assert (issue["severity"], issue["code"]) == ("error", "invalid")
    assert issue["expression"] == [f"http.{parameter}"] and words in issue["details"]["text"]
    assert not AuditEvent.objects.filter(what=AuditEvent.What.FHIR).exists()


@pytest.mark.parametrize("path", FHIR_PATHS)
def test_too_many_downloads_is_a_throttled_operation_outcome_with_retry_after(
    alice_client, alice_api, settings, path
):
    settings.EXPORT_LIMIT_PER_MINUTE = 1
    client = alice_api if path.startswith("/api/") else alice_client
    assert client.get(path).status_code == 200
    refused = client.get(path)
    outcome = outcome_of(refused, 429)
    assert refused["Retry-After"] == "30"
    [issue] = outcome["issue"]
    assert issue["code"] == "throttled" and "try again in 30" in issue["details"]["text"]
    assert "expression" not in issue
    assert AuditEvent.objects.filter(what=AuditEvent.What.FHIR).count() == 1


def test_the_other_exports_keep_their_own_error_shapes(alice_client, alice_api):
    bad = {"from": "2026-11-20", "to": "2026-11-01"}
    assert "to" in alice_client.get("/reports/episodes.csv", bad).json()
    problem = alice_api.get("/api/v1/reports/episodes.csv", bad)
    assert problem["Content-Type"] == "application/problem+json"


def test_the_api_schema_says_a_refused_fhir_export_is_an_operation_outcome(anon_api, db):
    schema = anon_api.get("/api/schema/", {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/reports/fhir.json"]["get"]["responses"]
    for status in ("400", "429"):
        body = responses[status]["content"]["application/fhir+json"]["schema"]
        assert body["properties"]["resourceType"]["enum"] == ["OperationOutcome"]
    assert "Retry-After" in responses["429"]["headers"]
