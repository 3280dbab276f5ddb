"""The profile at phone size: the warning before a time zone change, and an import's preview."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tracker import logbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "olive")
    page.fill("#id_password", "olive-password-1")
    page.click("button[type=submit]")


@pytest.fixture
def olive_with_a_night_cramp(user):
    """03:15 in Berlin on Friday 20 November 2026."""
    fields = {
        "started_at": datetime(2026, 11, 20, 2, 15, tzinfo=UTC),
        "duration_seconds": 120,
        "site": "calf",
        "side": "left",
        "intensity": 6,
        "activity": "sleeping",
        "hydration": "normal",
        "notes": "woke me at 3am",
    }
    return logbook.record_episode(user=user, fields=fields)[0]


def test_the_profile_warns_before_a_zone_change(phone, olive_with_a_night_cramp, screenshot):
    log_in(phone)
    phone.goto("/accounts/profile/")
    phone.select_option("#id_time_zone", "America/New_York")
    phone.get_by_role("button", name="Save").first.click()
    warning = phone.locator("#zone-change")
    expect(warning).to_contain_text("03:15 in Berlin stays 03:15 (Berlin)")
    expect(warning).to_contain_text("Only new cramps, and where your reports start and end")
    warning.scroll_into_view_if_needed()
    screenshot(phone, "profile-zone-warning")
    assert serious(phone) == []

    phone.get_by_label("Yes, change my time zone").check()
    phone.get_by_role("button", name="Save").first.click()
    expect(phone.locator(".messages")).to_contain_text("Profile saved")
    phone.goto("/history/")
    expect(phone.locator(".episodes .card").first).to_contain_text("03:15 (Berlin)")


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def upload(page, name: str, content: str):
    page.goto("/accounts/profile/")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/plain", "buffer": content.encode()}]
    )
    page.click("text=Check the file")


def test_an_import_is_previewed_then_saved(phone, user, olive_with_a_night_cramp, screenshot):
    log_in(phone)
    data = phone.request.get("/accounts/profile/export.json").json()
    data["episodes"].append({**data["episodes"][0], "id": str(uuid.uuid4())})
    upload(phone, "my-data.json", json.dumps(data))
    # New, already here, refused.
    expect(phone.get_by_role("row", name="Cramps 1 1 0", exact=True)).to_be_visible()
    expect(phone.get_by_role("row", name="Medicines 0 0 0", exact=True)).to_be_visible()
    screenshot(phone, "import-preview", full_page=True)
    assert serious(phone) == []
    assert user.episodes.count() == 1  # the preview saved nothing

    phone.click("button:has-text('Import 1 cramp')")
    expect(phone.locator(".messages")).to_contain_text("Imported 1 cramp.")
    assert user.episodes.count() == 2


def test_a_bad_row_is_named_and_nothing_saved(phone, user, olive_with_a_night_cramp, screenshot):
    log_in(phone)
    text = phone.request.get("/reports/episodes.csv?from=2026-11-01&to=2026-11-30").text()
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("site")] = "knee"
    rows.append([*rows[1][:1], *rows[1][1:]])
    rows[2][0] = str(uuid.uuid4())
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload(phone, "cramps.csv", out.getvalue())
    expect(phone.get_by_role("alert")).to_contain_text("Nothing from this file was saved.")
    expect(phone.locator("tbody tr", has_text="Row 2")).to_contain_text("site")
    expect(phone.locator("tbody tr", has_text="Row 3")).to_contain_text("site")
    screenshot(phone, "import-bad-row", full_page=True)
    assert serious(phone) == []
    assert user.episodes.count() == 1
