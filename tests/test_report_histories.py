"""The physician report on fixed histories, against numbers worked out by hand: what a doctor
reads on the page, in the PDF, through a share link and in the summary JSON."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Episode, Medication

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 13:00 in Berlin, Alice's zone


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text with line breaks as spaces: table cells wrap where they have no room."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def joined(user, days_ago: int):
    user.date_joined = NOW - timedelta(days=days_ago)
    user.save(update_fields=["date_joined"])


# --- a new person: three cramps in three days --------------------------------------------


@pytest.fixture
def newcomer(alice):
    """Joined on 23 November, one cramp on each of the 23rd, 24th and 25th."""
    joined(alice, days_ago=2)
    for days_ago in (2, 1, 0):
        EpisodeFactory(user=alice, started_at=NOW - timedelta(days=days_ago, hours=2))
    return alice


def test_a_new_persons_rate_counts_only_the_days_they_logged(alice_api, newcomer):
    s = alice_api.get("/api/v1/reports/summary/").json()  # the last 90 days
    assert (s["from"], s["to"], s["days"]) == ("2026-08-28", "2026-11-25", 90)
    assert (s["logged_from"], s["logged_to"], s["days_logged"]) == (
        "2026-11-23",
        "2026-11-25",
        3,
    )
    assert s["count"] == 3
    assert s["per_week"] == 7.0  # 3 cramps in 3 days, not 3 in 90 (0.23)


def test_a_period_before_the_person_began_is_not_logged_rather_than_zero(alice_api, newcomer):
    previous = alice_api.get("/api/v1/reports/summary/").json()["previous"]
    assert (previous["from"], previous["to"]) == ("2026-05-30", "2026-08-27")
    assert previous["days_logged"] == 0 and previous["logged_from"] is None
    assert previous["count"] is None and previous["per_week"] is None


def test_the_page_and_the_pdf_say_not_logged_and_compare_nothing(alice_client, newcomer):
    html = alice_client.get("/trends/").content.decode()
    assert "Days logged: 23 Nov 2026 to 25 Nov 2026 (3 of 90)" in html
    assert "not logged" in html and not re.search(r"[+-]\d+%", html)  # no change against nothing
    first = pdf_pages(alice_client.get("/reports/physician.pdf").content)[0]
    assert "Days logged: 23 Nov 2026 to 25 Nov 2026 (3 of 90); the 90 days before were not" in (
        first
    )
    assert "Cramps 3 not logged" in first and "Per week (days logged) 7.0 not logged" in first
    assert not re.search(r"[+-]\d+%", first)


# --- a 90-day period with three long cramps ----------------------------------------------


@pytest.fixture
def three_long_cramps(alice):
    """Logging for a year; in the last 90 days, cramps over 10 minutes 20, 45 and 70 days
    back (one that eased), and ordinary ones besides."""
    joined(alice, days_ago=365)
    long = [
        EpisodeFactory(
            user=alice,
            started_at=NOW - timedelta(days=days_ago),
            duration_seconds=minutes * 60,
            relief_helped=helped,
        )
        for days_ago, minutes, helped in ((20, 12, None), (45, 15, "yes"), (70, 11, None))
    ]
    for days_ago in (5, 30, 60, 89):
        EpisodeFactory(user=alice, started_at=NOW - timedelta(days=days_ago), duration_seconds=90)
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=120), duration_seconds=900)
    return long


def test_every_long_cramp_of_the_period_is_in_flagged_episodes(alice_api, three_long_cramps):
    s = alice_api.get("/api/v1/reports/summary/").json()
    assert s["count"] == 7 and s["per_week"] == round(7 * 7 / 90, 2)
    oldest_first = sorted(three_long_cramps, key=lambda e: e.started_at)
    assert s["flagged_episodes"] == [
        {
            "id": str(e.id),
            "started_at": e.started_at.astimezone(e.zone).isoformat(),
            "rules": ["prolonged"],
        }
        for e in oldest_first
    ]
    assert s["with_warning_signs"] == 0
    # The one 120 days back is in the previous period: not this report's.


def test_the_pdf_lists_all_three_under_needs_attention(alice_client, three_long_cramps):
    first = pdf_pages(alice_client.get("/reports/physician.pdf").content)[0]
    attention = first[first.index("Needs attention") : first.index("Medicines taken")]
    for when, length, level in (
        ("Thu 05 Nov 2026 13:00", "12 min", "urgent"),
        ("Wed 16 Sep 2026 14:00", "11 min", "urgent"),
        ("Sun 11 Oct 2026 14:00", "15 min", "within days"),  # it eased
    ):
        assert re.search(
            f"{when} Calf, left, {length}, pain 5/10 Long cramp: .*? {level}", attention
        )
    assert "The NHS says a cramp usually lasts up to 10 minutes" in attention
    assert "Met a warning rule 3" in first and "With warning signs 0" in first


def test_the_trends_page_lists_all_three_too(alice_client, three_long_cramps):
    report = alice_client.get("/trends/").context["report"]
    assert [e.id for e in report.flagged] == [
        e.id for e in sorted(three_long_cramps, key=lambda e: e.started_at)
    ]
    assert all(e.rules == ["prolonged"] for e in report.flagged)


def test_a_changed_threshold_changes_the_report_at_once(alice_api, alice):
    EpisodeFactory(user=alice, started_at=NOW - timedelta(days=3), duration_seconds=6 * 60)
    assert alice_api.get("/api/v1/reports/summary/").json()["flagged_episodes"] == []
    alice.profile.alert_thresholds = {"prolonged_minutes": 5}
    alice.profile.save()
    flagged = alice_api.get("/api/v1/reports/summary/").json()["flagged_episodes"]
    assert [f["rules"] for f in flagged] == [["prolonged"]]


# --- a share link for a past period ------------------------------------------------------


@pytest.fixture
def january_and_today(alice, frozen):
    """Ordinary cramps in January 2025; today, warning signs and frequent cramps, with the
    alerts the app raised about them."""
    joined(alice, days_ago=700)
    for day in (8, 15, 22):
        EpisodeFactory(user=alice, started_at=datetime(2025, 1, day, 9, tzinfo=UTC))
    for hours in range(1, 6):
        EpisodeFactory(user=alice, started_at=NOW - timedelta(hours=20 * hours), activity="sitting")
    EpisodeFactory(
        user=alice, started_at=NOW - timedelta(hours=2), symptoms=["swelling"], activity="sitting"
    )
    raised = alerts.evaluate(user=alice)
    assert {a.rule for a in raised} == {"red_flag", "frequent"}
    return raised


def test_a_share_link_for_a_past_period_shows_none_of_todays_alerts(
    alice_client, january_and_today
):
    from tests.test_share_links import make_link

    url = make_link(alice_client, start="2025-01-01", end="2025-01-31")
    response = Client().get(url)
    html = response.content.decode()
    report = response.context["report"]
    assert report.summary["count"] == 3
    assert report.flagged == [] and report.alerts == []
    assert "No cramp in this period met a warning rule." in html
    for alert in january_and_today:
        assert alert.message not in html
    assert "swelling" not in html.lower() and "Frequent cramps" not in html
    text = " ".join(pdf_pages(Client().get(url + "physician.pdf").content))
    assert "No cramp in this period met a warning rule." in text
    assert "Swelling" not in text and "Frequent" not in text


# --- written for the doctor ---------------------------------------------------------------


@pytest.fixture
def every_rule(alice):
    """A history that meets every rule the report quotes: single cramps and patterns."""
    joined(alice, days_ago=200)
    Medication.objects.create(
        user=alice, name="Simvastatin", kind="statin", started_on=(NOW - timedelta(days=20)).date()
    )
    log = lambda hours, **f: EpisodeFactory(  # noqa: E731
        user=alice, started_at=NOW - timedelta(hours=hours), **f
    )
    log(2, symptoms=["swelling", "redness_warmth"], side="left")
    log(5, duration_seconds=15 * 60)
    log(8, symptoms=["weakness"])
    log(30, recent_fluid_loss=True, fluid_loss=["heavy_sweating"], activity="exercise")
    log(40, intensity=9)
    for n in range(6):  # walking, eased by rest; not helped; asleep; many in a week
        log(50 + 10 * n, activity="walking", relief=["rest"], relief_helped="yes")
        log(55 + 10 * n, activity="sleeping", relief=["stretching"], relief_helped="no")
    for n in range(3):  # fewer before: getting worse
        log(24 * (40 + 5 * n), intensity=2)
    return alice


def test_the_pdf_speaks_of_the_patient_and_holds_every_flagged_cramp(
    alice_client, alice_api, every_rule
):
    flagged = alice_api.get("/api/v1/reports/summary/").json()["flagged_episodes"]
    assert len(flagged) >= 5
    content = alice_client.get("/reports/physician.pdf").content
    text = " ".join(pdf_pages(content))
    assert not re.search(r"\byou(r|rs|rself)?\b", text, re.IGNORECASE), re.findall(
        r".{40}\byour?\b.{40}", text, re.IGNORECASE
    )
    for episode in Episode.objects.filter(id__in=[f["id"] for f in flagged]):
        assert f"{episode.local_started_at:%a %d %b %Y %H:%M}" in text
    for pattern in ("Frequent cramps", "Pain when walking", "Disturbed sleep", "Getting worse"):
        assert pattern in text, pattern
    # The app's own thresholds are named once, in the footnote, and marked where used.
    assert text.count("App settings, not numbers from published guidance") == 1
    assert "¹" in text.split("App settings, not numbers")[0]
    assert "The patient" in text


# --- cost -----------------------------------------------------------------------------------


def add_history(user, years: int):
    """One cramp every three days for `years` years, one over 10 minutes a month."""
    Episode.objects.bulk_create(
        EpisodeFactory.build(
            user=user,
            started_at=NOW - timedelta(days=3 * n + 1),
            duration_seconds=700 if n % 10 == 0 else 90,
        )
        for n in range(years * 365 // 3)
    )


def queries_of(client, path: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(
    "path",
    [
        "/trends/",
        "/reports/physician.pdf",
        "/api/v1/reports/summary/",
    ],
)
def test_the_report_costs_the_same_queries_for_one_and_ten_years(alice_client, alice, bob, path):
    add_history(alice, years=1)
    add_history(bob, years=10)
    bob_client = Client()
    bob_client.force_login(bob)
    one, ten = queries_of(alice_client, path), queries_of(bob_client, path)
    assert len(one) == len(ten)
    assert sum("accounts_profile" in q for q in ten) == 1  # the profile is read once
