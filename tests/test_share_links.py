import hashlib
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Medication, ShareLink, ShareLinkOpening

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_link(client, start="2026-11-01", end="2026-11-20", days="14") -> str:
    response = client.post("/reports/share/", {"start": start, "end": end, "expires_in_days": days})
    assert response.status_code == 200
    (url,) = re.findall(r'href="(http://testserver/share/[^"]+/)"', response.content.decode())
    return url.removeprefix("http://testserver")


@pytest.fixture
def shared(alice_client, alice):
    EpisodeFactory(
        user=alice, started_at=datetime(2026, 11, 10, 9, tzinfo=UTC), notes="in the period"
    )
    EpisodeFactory(
        user=alice, started_at=datetime(2026, 11, 22, 9, tzinfo=UTC), notes="after the period"
    )
    EpisodeFactory(
        user=alice, started_at=datetime(2026, 10, 1, 9, tzinfo=UTC), notes="before the period"
    )
    return make_link(alice_client)


def test_a_link_opens_the_report_of_its_period_without_log_in(shared):
    doctor = Client()
    response = doctor.get(shared)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 Nov 2026 to 20 Nov 2026" in html
    assert response.context["summary"]["count"] == 1
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    pdf = doctor.get(shared + "physician.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store" and pdf["Referrer-Policy"] == "no-referrer"
    chart = doctor.get(shared + "charts/weekly.svg")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


def test_the_link_shows_its_period_and_nothing_else(shared, bob):
    EpisodeFactory(user=bob, started_at=datetime(2026, 11, 10, 10, tzinfo=UTC), notes="bob's")
    doctor = Client()
    # Asking for another period through the query string changes nothing.
    response = doctor.get(shared, {"from": "2026-01-01", "to": "2026-11-25", "days": "365"})
    assert response.context["summary"]["count"] == 1
    assert (response.context["summary"]["from"], response.context["summary"]["to"]) == (
        "2026-11-01",
        "2026-11-20",
    )
    for path in ["episodes.csv", "fhir.json", "history/", "charts/secrets.svg", "../../history/"]:
        assert doctor.get(shared + path).status_code in (404, 302), path
    for page in ["/history/", "/trends/", "/reports/episodes.csv", "/api/v1/episodes/", "/alerts/"]:
        assert doctor.get(page).status_code in (302, 401), page
    assert "Log out" not in response.content.decode()


def test_the_token_has_at_least_128_bits_and_only_its_hash_is_stored(shared):
    token = shared.split("/")[2]
    assert len(token) >= 22  # 128 bits in URL-safe base64; ours carries 256
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ShareLink.objects.values_list())


def test_a_tampered_token_is_a_404(shared):
    token = shared.split("/")[2]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(f"/share/{tampered}/").status_code == 404
    assert Client().get(f"/share/{tampered}/physician.pdf").status_code == 404
    assert Client().get("/share/x/").status_code == 404
    assert not ShareLinkOpening.objects.exists()


def test_an_expired_link_is_a_404(alice_client, alice, frozen):
    url = make_link(alice_client, days="2")
    assert Client().get(url).status_code == 200
    frozen.shift(timedelta(days=2))
    assert Client().get(url).status_code == 404
    assert Client().get(url + "physician.pdf").status_code == 404


def test_a_revoked_link_is_a_404(alice_client, shared):
    link = ShareLink.objects.get()
    assert alice_client.post(f"/reports/share/{link.id}/revoke/").status_code == 302
    assert Client().get(shared).status_code == 404
    assert Client().get(shared + "charts/weekly.svg").status_code == 404


def test_another_user_cannot_revoke_or_see_my_links(bob_client, shared):
    link = ShareLink.objects.get()
    assert bob_client.post(f"/reports/share/{link.id}/revoke/").status_code == 404
    assert "1 Nov 2026" not in bob_client.get("/reports/share/").content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None


def test_every_opening_is_recorded_and_shown_beside_the_link(alice_client, shared):
    doctor = Client()
    doctor.get(shared)
    doctor.get(shared + "charts/weekly.svg")  # part of the page, not a new opening
    doctor.get(shared + "physician.pdf")
    assert sorted(ShareLinkOpening.objects.values_list("what", flat=True)) == ["page", "pdf"]
    html = alice_client.get("/reports/share/").content.decode()
    assert "Opened 2 times" in html and "(PDF)" in html and "(Report page)" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"start": "2026-11-20", "end": "2026-11-01", "expires_in_days": "14"},
            "end",
            "before the start",
        ),
        (
            {"start": "2026-11-01", "end": "2026-11-20", "expires_in_days": "91"},
            "expires_in_days",
            "less than or equal to 90",
        ),
        (
            {"start": "2026-11-01", "end": "2026-11-20", "expires_in_days": "0"},
            "expires_in_days",
            "greater than or equal to 1",
        ),
        ({"start": "nope", "end": "2026-11-20", "expires_in_days": "14"}, "start", "valid date"),
    ],
)
def test_bad_link_requests_name_the_field_and_make_nothing(
    alice_client, alice, data, field, message
):
    response = alice_client.post("/reports/share/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ShareLink.objects.exists()


def test_the_default_expiry_is_14_days(alice_client, alice):
    form = alice_client.get("/reports/share/").context["form"]
    assert form.initial["expires_in_days"] == 14
    make_link(alice_client)
    assert ShareLink.objects.get().expires_at == NOW + timedelta(days=14)


def test_share_pages_need_log_in_and_the_right_method(alice_client, shared):
    link = ShareLink.objects.get()
    assert Client().get("/reports/share/")["Location"].startswith("/accounts/login/")
    assert (
        Client()
        .post(f"/reports/share/{link.id}/revoke/")["Location"]
        .startswith("/accounts/login/")
    )
    assert alice_client.get(f"/reports/share/{link.id}/revoke/").status_code == 405
    assert Client().post(shared).status_code == 405


@pytest.fixture
def january_link(alice_client, alice, frozen):
    """A link for January 2025, made in November 2026 by Alice, whose alerts and medicines
    span both times; returns (url, the Berlin zone's alert messages by when)."""
    frozen.move_to(datetime(2025, 1, 10, 12, tzinfo=UTC))
    Medication.objects.create(
        user=alice,
        name="Januarin",
        kind="other",
        started_on=date(2025, 1, 3),
        stopped_on=date(2025, 2, 10),
    )
    # Logging since November, so the 30 days before the start are known: none, then two.
    EpisodeFactory(user=alice, started_at=datetime(2024, 11, 10, 9, tzinfo=UTC))
    for day in (5, 9):  # more cramps after starting it: an alert about the medicine
        EpisodeFactory(user=alice, started_at=datetime(2025, 1, day, 9, tzinfo=UTC))
    alerts.evaluate(user=alice)
    frozen.move_to(datetime(2025, 1, 26, 12, tzinfo=UTC))
    EpisodeFactory(
        user=alice, started_at=datetime(2025, 1, 25, 9, tzinfo=UTC), symptoms=["swelling"]
    )
    alerts.evaluate(user=alice)
    frozen.move_to(NOW)
    # Taken only on 30 and 31 December: the chart's first week (from Monday 30 Dec) holds it.
    Medication.objects.create(
        user=alice,
        name="Decemberol",
        kind="other",
        started_on=date(2024, 12, 30),
        stopped_on=date(2024, 12, 31),
    )
    Medication.objects.create(
        user=alice, name="Novemberin", kind="statin", started_on=date(2026, 11, 1)
    )
    EpisodeFactory(user=alice, started_at=datetime(2025, 1, 20, 9, tzinfo=UTC))
    EpisodeFactory(
        user=alice, started_at=datetime(2026, 11, 20, 9, tzinfo=UTC), symptoms=["weakness"]
    )
    alerts.evaluate(user=alice)
    messages = {
        "january": {a.message for a in alice.alerts.filter(created_at__year__lt=2026)},
        # What November's alerts say that nothing of January's does.
        "november": ["you noted weakness", "a statin"],
    }
    assert len(messages["january"]) == 2
    november = " ".join(a.reason for a in alice.alerts.filter(created_at__year=2026))
    assert all(marker in november for marker in messages["november"])
    return make_link(alice_client, start="2025-01-01", end="2025-01-31"), messages


def test_a_link_shows_only_the_alerts_and_medicines_of_its_period(january_link):
    url, messages = january_link
    response = Client().get(url)
    html = response.content.decode()
    report = response.context["report"]
    assert [m.name for m in report.medications] == ["Januarin"]
    # The rules as they stood on 31 January 2025, not the alerts stored since.
    assert [x.message for x in report.alerts] == ["More cramps since starting Januarin."]
    assert [(f"{e.started_at:%d %b}", e.rules) for e in report.flagged] == [
        ("25 Jan", ["red_flag"])
    ]
    for text in ("Novemberin", "Decemberol", "weakness"):
        assert text not in html, text
    assert all("Novemberin" not in q for q in report.questions)


def test_a_links_pdf_shows_only_the_alerts_and_medicines_of_its_period(january_link):
    url, messages = january_link
    pdf = PdfReader(io.BytesIO(Client().get(url + "physician.pdf").content))
    text = " ".join(page.extract_text() for page in pdf.pages).replace("\n", " ")
    assert "Januarin" in text and "Period: 01 Jan 2025 to 31 Jan 2025" in text
    assert "More cramps since starting Januarin." in text
    assert "Warning signs: swelling" in text and "Sat 25 Jan 2025 10:00" in text
    for absent in ("Novemberin", "Decemberol", "2026", "weakness"):
        assert absent not in text.replace("Made 25 Nov 2026", ""), absent


def test_a_links_charts_draw_only_medicines_taken_in_its_period(january_link):
    url, _ = january_link
    for name in ("weekly", "intensity", "heatmap", "relief"):
        svg = Client().get(f"{url}charts/{name}.svg").content.decode()
        assert "Decemberol" not in svg and "Novemberin" not in svg, name
    page = Client().get(url)
    weekly = next(c for c in page.context["charts"] if c["name"] == "weekly")
    assert [row[0] for row in weekly["rows"]] == ["30 Dec", "6 Jan", "20 Jan"]


def test_a_new_link_comes_with_a_qr_code_of_exactly_that_link_and_copy_and_share(
    alice_client, alice
):
    import segno

    response = alice_client.post(
        "/reports/share/", {"start": "2026-11-01", "end": "2026-11-20", "expires_in_days": "14"}
    )
    html = response.content.decode()
    (url,) = re.findall(r'href="(http://testserver/share/[^"]+/)"', html)
    (qr,) = re.findall(r'<img src="(data:image/svg\+xml[^"]+)" alt="QR code of the new link"', html)
    # Made on the server from the link itself (no other site sees the token), dark on white.
    assert qr.replace("&#x27;", "'") == segno.make(url, error="m").svg_data_uri(
        scale=4, border=4, dark="#000", light="#fff"
    )
    assert f'data-copy="{url}"' in html and f'data-share="{url}"' in html
    # The page that lists links afterwards shows no code: the token is not kept.
    assert "QR code" not in alice_client.get("/reports/share/").content.decode()
