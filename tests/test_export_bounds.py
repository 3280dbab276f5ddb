"""Exports cost a bounded amount however long the history: the PDF has a fixed number of
pages, the CSV and FHIR stream from the database in chunks."""

import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.http import StreamingHttpResponse
from pypdf import PdfReader

from tests.factories import EpisodeFactory
from tracker.demo import make_episode
from tracker.models import Episode
from tracker.reports import pdf

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_and_fresh_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ten_years(alice):
    """20,000 cramps over ten years, about five and a half a day."""
    rng = random.Random(10)
    episodes = [
        make_episode(user=alice, rng=rng, day=NOW - timedelta(days=n % 3650 + 1))
        for n in range(20_000)
    ]
    Episode.objects.bulk_create(episodes, batch_size=2000)
    return alice


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_ten_year_pdf_of_20000_cramps_has_a_bounded_page_count(alice_client, ten_years):
    response = alice_client.get(
        "/reports/physician.pdf", {"from": "2016-11-20", "to": "2026-11-25"}
    )
    assert response.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    # Page 1, what needs attention (30 rows at most: two pages), then the cramps themselves.
    assert "the 30 most recent of the" in pages[1]
    detail = next(
        page for page in pages if "Every cramp" in page or "most recent of the 20" in page
    )
    assert len(pages) == pages.index(detail) + pdf.DETAIL_PAGES <= 1 + 2 + pdf.DETAIL_PAGES
    assert "most recent" in detail and "of the 20,000 cramps in the period" in detail
    assert "Spreadsheet (CSV)" in detail  # where to find the rest
    assert "newest first" in detail
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_long_notes_do_not_push_the_pdf_past_its_pages(alice_client, alice):
    for n in range(400):
        EpisodeFactory(
            user=alice, started_at=NOW - timedelta(hours=n + 1), notes="a long note " * 40
        )
    response = alice_client.get("/reports/physician.pdf")
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1 + pdf.DETAIL_PAGES


def test_a_short_period_still_lists_every_cramp_newest_first(alice_client, alice):
    for n in range(3):
        EpisodeFactory(user=alice, started_at=NOW - timedelta(days=n + 1), notes=f"note {n}")
    response = alice_client.get("/reports/physician.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = reader.pages[1].extract_text()
    assert "Every cramp in the period (3), newest first" in text
    assert text.index("note 0") < text.index("note 1") < text.index("note 2")
    assert "most recent" not in text


def test_the_csv_and_fhir_stream_every_cramp_of_ten_years(alice_client, ten_years):
    from fhir.resources.bundle import Bundle

    period = {"from": "2016-11-20", "to": "2026-11-25"}
    response = alice_client.get("/reports/episodes.csv", period)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 20_000 and len({r["id"] for r in rows}) == 20_000
    assert rows == sorted(rows, key=lambda r: datetime.fromisoformat(r["started_at"]))

    response = alice_client.get("/reports/fhir.json", period)
    assert isinstance(response, StreamingHttpResponse)
    bundle = Bundle.parse_obj(json.loads(body(response)))
    assert len(bundle.entry) == 20_001  # the patient, then one observation per cramp


def test_the_csv_reads_the_database_in_chunks(alice_client, alice, monkeypatch):
    from django.db.models.query import QuerySet

    seen = []
    iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        seen.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=1))
    for path in ("/reports/episodes.csv", "/reports/fhir.json"):
        body(alice_client.get(path))
    assert len(seen) == 2 and all(size and size <= 5000 for size in seen)
