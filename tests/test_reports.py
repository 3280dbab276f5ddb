import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Medication

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_and_fresh_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def history(alice):
    """Alice, in Berlin, with eight cramps in the last 90 days and three in the 90 before."""
    for n in range(8):
        EpisodeFactory(
            user=alice,
            started_at=NOW - timedelta(days=3 + 9 * n),
            intensity=4 + n % 3,
            duration_seconds=60 + 30 * n,
            site="calf" if n % 2 else "inner_thigh",
            relief=["stretching"] if n % 2 else [],
            relief_helped="yes" if n % 2 else None,
        )
    for n in range(3):
        EpisodeFactory(user=alice, started_at=NOW - timedelta(days=100 + 10 * n), intensity=3)
    return alice


# --- Trends page and its charts -----------------------------------------------------------


def test_the_trends_page_shows_the_key_numbers_and_every_chart_with_a_text_alternative(
    alice_client, history
):
    response = alice_client.get("/trends/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "28 Aug 2026 to 25 Nov 2026" in html  # the last 90 days, both ends included
    assert response.context["summary"]["count"] == 8
    assert "+167%" in html  # 8 against 3
    for name in ("weekly", "intensity", "heatmap", "relief"):
        assert f'src="/trends/charts/{name}.svg?from=2026-08-28&amp;to=2026-11-25"' in html
    assert html.count("Show numbers") == 4
    assert 'alt="Bar chart of cramps per week' in html


@pytest.mark.parametrize(
    ("query", "days"),
    [
        ({"days": "30"}, 30),
        ({"days": "365"}, 365),
        ({"from": "2026-11-01", "to": "2026-11-10"}, 10),
    ],
)
def test_the_period_picker(alice_client, history, query, days):
    assert alice_client.get("/trends/", query).context["summary"]["days"] == days


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-11-10", "to": "2026-11-01"}, "cannot be before the start"),
        ({"from": "2026-11-10"}, "Give both dates"),
        ({"days": "7"}, "Select a valid choice"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "between 1900 and 9000"),
        ({"from": "2000-01-01", "to": "2026-01-01"}, "At most 3660 days"),
    ],
)
def test_a_bad_period_says_why_and_falls_back_to_90_days(alice_client, history, query, message):
    response = alice_client.get("/trends/", query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["summary"]["days"] == 90


def test_chart_images_are_svg_and_reused_until_the_data_changes(alice_client, history, monkeypatch):
    from tracker.reports import charts

    drawn = []
    original = charts.draw
    monkeypatch.setattr(charts, "draw", lambda *a, **k: drawn.append(a[0]) or original(*a, **k))
    url = "/trends/charts/weekly.svg?from=2026-08-28&to=2026-11-25"
    first = alice_client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "image/svg+xml"
    assert first.content.startswith(b"<?xml") and b"<svg" in first.content
    assert alice_client.get(url).content == first.content
    assert drawn == ["weekly"]
    EpisodeFactory(user=history, started_at=NOW - timedelta(days=1))
    alice_client.get(url)
    assert drawn == ["weekly", "weekly"]


def test_chart_images_refuse_unknown_charts_and_bad_periods(alice_client, history):
    assert alice_client.get("/trends/charts/secrets.svg").status_code == 404
    response = alice_client.get(
        "/trends/charts/weekly.svg", {"from": "2026-13-01", "to": "2026-11-01"}
    )
    assert response.status_code == 400 and "from" in response.json()


def test_trends_needs_log_in_and_get(client, alice_client):
    assert Client().get("/trends/")["Location"].startswith("/accounts/login/")
    assert Client().get("/trends/charts/weekly.svg")["Location"].startswith("/accounts/login/")
    assert alice_client.post("/trends/").status_code == 405


def test_trends_page_query_count_does_not_grow_with_history(
    alice_client, history, django_assert_max_num_queries
):
    alice_client.get("/trends/")  # warm the chart cache
    with django_assert_max_num_queries(14):
        alice_client.get("/trends/")
    cache.clear()
    with django_assert_max_num_queries(40):
        alice_client.get("/trends/")
    for n in range(100):
        EpisodeFactory(user=history, started_at=NOW - timedelta(days=200 + n))
    cache.clear()
    with django_assert_max_num_queries(40):
        alice_client.get("/trends/")


# --- physician PDF ------------------------------------------------------------------------


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_physician_pdf_holds_the_period_and_the_key_numbers(alice_client, history):
    alice = history
    alice.profile.display_name = "Alice Example"
    alice.profile.birth_year = 1980
    alice.profile.save()
    Medication.objects.create(
        user=alice, name="Atorvastatin", kind="statin", started_on=date(2026, 10, 1)
    )
    EpisodeFactory(
        user=alice,
        started_at=NOW - timedelta(hours=5),
        symptoms=["swelling", "redness_warmth"],
        notes="<b>&ouch",
    )
    alerts.evaluate(user=alice)
    response = alice_client.get(
        "/reports/physician.pdf", {"from": "2026-08-28", "to": "2026-11-25"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pages = pdf_text(response.content)
    first = pages[0]
    assert "Period: 28 Aug 2026 to 25 Nov 2026" in first
    assert "Name: Alice Example" in first and "Age: about 46" in first
    assert "Cramps\n9\n3\n+200%" in first
    assert "Highest pain" in first and "Typical length (median)" in first
    flat = " ".join(first.split())  # table cells wrap where the PDF has no room
    assert "Needs attention" in first and "Warning signs: swelling and redness or warmth" in flat
    assert "Atorvastatin, statin (for cholesterol): from 01 Oct 2026, still taken" in flat
    assert (
        "Questions to raise (suggested by the app from this record)" in first
        and "I started Atorvastatin" in first
    )
    assert "Not a diagnosis" in first and "Page 1 of" in first
    rest = "\n".join(pages[1:])
    assert "Every cramp in the period (9)" in rest
    assert "<b>&ouch" in rest  # shown as typed, not read as markup
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_pdf_defaults_to_the_last_90_days(alice_client, history):
    response = alice_client.get("/reports/physician.pdf")
    assert "Period: 28 Aug 2026 to 25 Nov 2026 (90 days" in pdf_text(response.content)[0]


def test_the_pdf_of_an_empty_period_still_reads_well(alice_client, alice):
    response = alice_client.get(
        "/reports/physician.pdf", {"from": "2020-01-01", "to": "2020-01-31"}
    )
    text = "\n".join(pdf_text(response.content))
    assert "No cramps were logged in this period." in text


def test_the_pdf_query_count_is_fixed(alice_client, history, django_assert_max_num_queries):
    # 40: the report's own queries and the export limit's count (tracker/reports/limits.py).
    with django_assert_max_num_queries(40):
        alice_client.get("/reports/physician.pdf")
    for n in range(60):
        EpisodeFactory(user=history, started_at=NOW - timedelta(days=1 + n % 80, hours=n))
    cache.clear()
    with django_assert_max_num_queries(40):
        alice_client.get("/reports/physician.pdf")


# --- CSV ----------------------------------------------------------------------------------


def streamed(response) -> bytes:
    """The CSV and FHIR downloads are streamed, not held in memory."""
    return b"".join(response.streaming_content)


def test_the_csv_round_trips_to_the_same_episodes(alice_client, alice):
    mine = [
        EpisodeFactory(
            user=alice,
            started_at=NOW - timedelta(days=2),
            notes='=HYPERLINK("x")',
            symptoms=["swelling", "knot"],
            relief=["heat"],
            relief_helped="yes",
            fluid_ml=700,
        ),
        EpisodeFactory(
            user=alice,
            started_at=NOW - timedelta(days=1),
            notes='ça, "quoted"\nnew line',
            activity_detail="+1 set",
            recent_fluid_loss=True,
        ),
        EpisodeFactory(user=alice, started_at=NOW - timedelta(days=3), notes="-x @y"),
    ]
    response = alice_client.get("/reports/episodes.csv", {"from": "2026-11-01", "to": "2026-11-25"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [str(e.id) for e in sorted(mine, key=lambda e: e.started_at)]
    by_id = {r["id"]: r for r in rows}
    first = by_id[str(mine[0].id)]
    assert first["notes"] == '\'=HYPERLINK("x")'  # escaped against formula injection
    assert (
        first["symptoms"] == "swelling;knot"
        and first["relief"] == "heat"
        and first["fluid_ml"] == "700"
    )
    assert datetime.fromisoformat(first["started_at"]) == mine[0].started_at
    assert first["started_at"].endswith("+01:00")
    assert datetime.fromisoformat(first["ended_at"]) == mine[0].ended_at
    second = by_id[str(mine[1].id)]
    assert second["notes"] == 'ça, "quoted"\nnew line'
    assert second["activity_detail"] == "'+1 set" and second["recent_fluid_loss"] == "true"
    assert by_id[str(mine[2].id)]["notes"] == "'-x @y"
    assert list(rows[0]) == [
        "id",
        "started_at",
        "ended_at",
        "duration_seconds",
        "site",
        "side",
        "intensity",
        "activity",
        "activity_detail",
        "hydration",
        "fluid_ml",
        "symptoms",
        "recent_fluid_loss",
        "relief",
        "relief_helped",
        "notes",
        "created_at",
        "updated_at",
        "fluid_loss",
        "time_zone",
    ]


def test_exports_hold_only_the_owners_episodes_in_the_period(alice_client, alice, bob):
    EpisodeFactory(user=bob, started_at=NOW - timedelta(days=1), notes="bob's")
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=200), notes="old")
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=1), notes="recent")
    text = streamed(alice_client.get("/reports/episodes.csv")).decode()
    assert "recent" in text and "old" not in text and "bob's" not in text
    bundle = json.loads(streamed(alice_client.get("/reports/fhir.json")))
    assert len(bundle["entry"]) == 2


# --- FHIR ---------------------------------------------------------------------------------


def test_the_fhir_bundle_validates_as_r4_and_carries_the_codes(alice_client, alice):
    from fhir.resources import __fhir_version__
    from fhir.resources.bundle import Bundle

    assert __fhir_version__ == "4.0.1"
    sites = ["inner_thigh", "back_of_thigh", "front_of_thigh", "calf", "foot", "other"]
    for n, site in enumerate(sites):
        EpisodeFactory(
            user=alice,
            site=site,
            side="right",
            intensity=n,
            notes="note" if n else "",
            started_at=NOW - timedelta(days=n + 1),
            duration_seconds=120,
        )
    response = alice_client.get("/reports/fhir.json")
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(streamed(response))
    bundle = Bundle.parse_obj(data)  # raises if it breaks the R4 model
    assert bundle.type == "collection"
    patient, *observations = [entry.resource for entry in bundle.entry]
    assert (
        patient.resource_type == "Patient" and patient.identifier is None and patient.name is None
    )
    assert len(observations) == 6
    codes = {}
    for obs in observations:
        assert obs.status == "final"
        assert (obs.code.coding[0].system, obs.code.coding[0].code) == (
            "http://snomed.info/sct",
            "55300003",
        )
        assert obs.subject.reference == bundle.entry[0].fullUrl
        component = obs.component[0]
        assert (component.code.coding[0].system, component.code.coding[0].code) == (
            "http://loinc.org",
            "72514-3",
        )
        start, end = obs.effectivePeriod.start, obs.effectivePeriod.end
        assert (end - start).total_seconds() == 120
        codes[obs.bodySite.text] = (
            obs.bodySite.coding[0].code if obs.bodySite.coding else None,
            component.valueInteger,
        )
    assert codes == {
        "Inner thigh / groin, right": ("26893007", 0),
        "Back of thigh (hamstrings), right": ("68367000", 1),
        "Front of thigh (quadriceps), right": ("68367000", 2),
        "Calf, right": ("53840002", 3),
        "Foot, right": ("56459004", 4),
        "Other, right": (None, 5),
    }
    noted = [obs for obs in observations if obs.note]
    assert len(noted) == 5 and [n.text for n in noted[0].note] == ["note"]


# --- downloads: privacy and methods -------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/reports/physician.pdf", "/reports/episodes.csv", "/reports/fhir.json"]
)
def test_downloads_need_log_in_refuse_bad_periods_and_other_methods(alice_client, path):
    assert Client().get(path)["Location"].startswith("/accounts/login/")
    bad = alice_client.get(path, {"from": "2026-11-10", "to": "2026-11-01"})
    # The FHIR export answers a FHIR OperationOutcome (tests/test_exports.py).
    assert bad.status_code == 400 and "to" in str(bad.json())
    assert alice_client.post(path).status_code == 405
    good = alice_client.get(path)
    assert good.status_code == 200 and "no-store" in good["Cache-Control"]
    assert "attachment" in good["Content-Disposition"]


# --- API summary --------------------------------------------------------------------------


def test_the_api_summary_matches_the_report(alice_api, history):
    response = alice_api.get("/api/v1/reports/summary/", {"from": "2026-08-28", "to": "2026-11-25"})
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["count"], body["previous"]["count"]) == (
        "2026-08-28",
        "2026-11-25",
        8,
        3,
    )
    assert len(body["by_weekday_hour"]) == 7 and set(body["relief"]) >= {"stretching", "none"}


def test_the_api_summary_names_a_bad_parameter(alice_api, anon_api):
    response = alice_api.get("/api/v1/reports/summary/", {"from": "soon", "to": "2026-11-01"})
    assert response.status_code == 400 and "from" in response.json()["errors"]
    assert anon_api.get("/api/v1/reports/summary/").status_code == 401
    assert alice_api.post("/api/v1/reports/summary/").status_code == 405
