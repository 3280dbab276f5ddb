"""Text a person types is never interpreted: not as maths by matplotlib, not as markup by
reportlab, not as a formula by a spreadsheet, and it never breaks the JSON or the FHIR export.
"""

import csv
import io
import itertools
import json
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from accounts.models import profile_for
from accounts.services import register
from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Medication
from tracker.reports import Period, sharing
from tracker.reports.charts import CHARTS

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MATHS = r"Magnesium $\foo$"
MARKUP = "<b>bold & <i>unclosed </para> &amp; <font"
_people = itertools.count()


def person_with(*, medicine: str, notes: str = "", detail: str = "", name: str = ""):
    """A person whose medicine, notes, activity detail and report name are the given text,
    with alerts that quote the medicine's name; returns them and a share link's path."""
    user = register(
        username=f"person{next(_people)}", password="pw-123456789", email="p@example.org"
    )
    profile = profile_for(user)
    profile.display_name, profile.email_alerts = name, True
    profile.save()
    today = NOW.date()
    Medication.objects.create(
        user=user, name=medicine, kind="statin", started_on=today - timedelta(days=10)
    )
    for days_ago, symptoms in ((12, []), (5, ["weakness"]), (3, [])):
        EpisodeFactory(
            user=user,
            started_at=NOW - timedelta(days=days_ago),
            symptoms=symptoms,
            activity="other",
            activity_detail=detail,
            notes=notes,
        )
    alerts.evaluate(user=user, now=NOW)
    period = Period(today - timedelta(days=89), today)  # the Trends default: charts drawn once
    _, token = sharing.create_link(user=user, period=period, days=14, now=NOW)
    return user, f"/share/{token}/"


def every_answer(user, share: str) -> dict:
    """Every page, chart and export that shows the person's text, owner's and doctor's side."""
    owner, doctor = Client(), Client()
    owner.force_login(user)
    paths = ["/trends/", "/history/", "/alerts/", "/medicines/", "/accounts/profile/"]
    paths += [f"/trends/charts/{name}.svg" for name in CHARTS]
    paths += ["/reports/physician.pdf", "/reports/episodes.csv", "/reports/fhir.json"]
    answers = {path: owner.get(path) for path in paths}
    for path in ["", "physician.pdf", *[f"charts/{name}.svg" for name in CHARTS]]:
        answers[share + path] = doctor.get(share + path)
    return answers


@pytest.fixture
def frozen():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def _strings(value):
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_a_medicine_named_like_maths_is_drawn_and_printed_as_written(frozen):
    user, share = person_with(medicine=MATHS)
    answers = every_answer(user, share)
    assert {path: a.status_code for path, a in answers.items()} == dict.fromkeys(answers, 200)
    # matplotlib's SVG keeps each text as a comment beside the drawn glyphs.
    assert f"<!-- {MATHS}, from " in answers["/trends/charts/weekly.svg"].getvalue().decode()
    assert MATHS in pdf_text(answers["/reports/physician.pdf"].getvalue())
    assert MATHS in answers["/trends/"].getvalue().decode()


@pytest.mark.django_db
def test_markup_in_names_and_notes_is_printed_as_written(frozen):
    user, share = person_with(medicine=MARKUP, notes=MARKUP, detail=MARKUP, name=MARKUP)
    answers = every_answer(user, share)
    assert {path: a.status_code for path, a in answers.items()} == dict.fromkeys(answers, 200)
    text = pdf_text(answers["/reports/physician.pdf"].getvalue())
    assert f"Name: {MARKUP}" in text and f"{MARKUP}, statin" in text
    assert MARKUP not in answers["/trends/"].getvalue().decode()  # escaped, never as tags
    assert "&lt;b&gt;bold &amp; &lt;i&gt;unclosed" in answers["/trends/"].getvalue().decode()


# Anything a person can type. NUL is refused by every form and serializer (Django's and
# DRF's null-character validator) and by PostgreSQL, so it never reaches what is drawn.
typed = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


@pytest.mark.django_db
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    medicine=st.text(typed, min_size=1, max_size=100),
    notes=st.text(typed, max_size=200),
    detail=st.text(typed, max_size=200),
    name=st.text(typed, max_size=100),
)
@example(medicine=MATHS, notes="$$", detail="\\", name="$x^$")
@example(medicine="\x1f\x0b\r\n\t", notes="\x01\x7f\x85\u2028", detail="\x0c", name="\x1b[31m")
@example(medicine="=cmd|'/C calc'!A0", notes="-2+3", detail="@SUM(A1)", name="+1")
def test_no_text_makes_any_page_chart_or_export_fail(medicine, notes, detail, name):
    from fhir.resources.bundle import Bundle

    cache.clear()
    mail.outbox.clear()
    # Alert e-mails go once the save commits; the test's transaction never does.
    with time_machine.travel(NOW, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        user, share = person_with(medicine=medicine, notes=notes, detail=detail, name=name)
    with time_machine.travel(NOW, tick=False):
        answers = every_answer(user, share)
    assert {path: a.status_code for path, a in answers.items()} == dict.fromkeys(answers, 200)
    assert len(mail.outbox) == 1  # the alert e-mail, plain text with no health details
    fhir = json.loads(answers["/reports/fhir.json"].getvalue())  # a stream: read once
    bundle = Bundle.parse_obj(fhir)
    assert len(bundle.entry) == 4
    for text in _strings(fhir):
        assert text.strip() and all(
            c in "\t\r\n" or unicodedata.category(c) != "Cc" for c in text
        ), "an R4 string holds no control character but tab, CR and LF, and is not blank"
    csv_text = answers["/reports/episodes.csv"].getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len(rows) == 3
    for row in rows:
        assert row["notes"] in (notes, "'" + notes) and row["activity_detail"] in (
            detail,
            "'" + detail,
        )
    assert "Muscle cramp record" in pdf_text(answers[share + "physician.pdf"].getvalue())
