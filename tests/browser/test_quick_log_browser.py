import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, username="fay"):
    page.goto("/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_password1", "a-long-pass-phrase")
    page.fill("#id_password2", "a-long-pass-phrase")
    # The page preselects the phone's own time zone.
    expect(page.locator("#id_time_zone")).to_have_value("Europe/Berlin")
    page.click("button[type=submit]")
    # Signed in at once, on the quick log.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".messages")).to_contain_text("your account is ready")


def test_sign_up_and_log_a_cramp_as_it_happens(phone, screenshot):
    sign_up(phone)
    screenshot(phone, "quick-log")
    expect(phone.locator("[data-log-form]")).to_be_hidden()

    phone.click("text=Cramp started")  # tap 1
    expect(phone.locator("[data-timer-elapsed]")).to_have_text(re.compile(r"0:0\d"))
    phone.wait_for_timeout(1200)
    phone.reload()  # the running timer survives a reload
    expect(phone.locator("[data-timer-stop]")).to_be_visible()
    expect(phone.locator("[data-timer-elapsed]")).not_to_have_text("0:00")
    screenshot(phone, "timer-running")

    phone.click("text=It stopped")  # tap 2
    expect(phone.locator("[data-when-summary]")).to_contain_text("lasted 0:0")
    phone.get_by_label("Calf", exact=True).check()
    phone.get_by_label("Left", exact=True).check()
    phone.locator("#field-intensity").get_by_label("7", exact=True).check()
    phone.get_by_label("Sleeping", exact=True).check()
    phone.get_by_label("Normal", exact=True).check()
    screenshot(phone, "quick-log-form", full_page=True)
    phone.click("button:has-text('Save')")

    expect(phone).to_have_url(re.compile(r"/history/"))
    expect(phone.locator(".messages")).to_contain_text("Cramp saved")
    card = phone.locator(".episodes .card").first
    expect(card).to_contain_text("Calf")
    expect(card).to_contain_text("pain 7/10")
    screenshot(phone, "history")

    episode = get_user_model().objects.get(username="fay").episodes.get()
    assert (episode.site, episode.side, episode.intensity, episode.activity) == (
        "calf",
        "left",
        7,
        "sleeping",
    )
    assert 1 <= episode.duration_seconds <= 30


def test_a_past_cramp_can_be_logged_without_javascript(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    get_user_model().objects.create_user("gus", password="a-long-pass-phrase")
    page.goto("/accounts/login/")
    page.fill("#id_username", "gus")
    page.fill("#id_password", "a-long-pass-phrase")
    page.click("button[type=submit]")
    page.goto("/episodes/new/")
    page.fill("#id_started_at", "2026-11-01T03:20:00")
    page.fill("#id_duration_seconds_0", "3")
    page.fill("#id_duration_seconds_1", "15")
    page.get_by_label("Back of thigh (hamstrings)", exact=True).check()
    page.get_by_label("Both", exact=True).check()
    page.locator("#field-intensity").get_by_label("4", exact=True).check()
    page.get_by_label("Sleeping", exact=True).check()
    page.get_by_label("Low", exact=True).check()
    page.click("summary")
    page.get_by_label("Stretching", exact=True).check()
    page.fill("#id_notes", "<b>woke me</b>")
    page.click("button:has-text('Save')")
    expect(page.locator(".episodes .card").first).to_contain_text("3 min 15 s")
    expect(page.locator(".ep-notes")).to_have_text("<b>woke me</b>")
    episode = get_user_model().objects.get(username="gus").episodes.get()
    assert (episode.duration_seconds, episode.relief) == (195, ["stretching"])
    context.close()


@pytest.mark.parametrize(
    ("typed", "utc"),
    [("2026-11-01T03:20:00", "2026-11-01 02:20"), ("2026-07-01T03:20:00", "2026-07-01 01:20")],
)
def test_a_typed_time_is_sent_with_the_offset_berlin_had_then(phone, typed, utc):
    sign_up(phone)
    phone.goto("/episodes/new/")
    phone.fill("#id_started_at", typed)
    phone.fill("#id_duration_seconds_0", "2")
    phone.get_by_label("Calf", exact=True).check()
    phone.get_by_label("Left", exact=True).check()
    phone.locator("#field-intensity").get_by_label("4", exact=True).check()
    phone.get_by_label("Sleeping", exact=True).check()
    phone.get_by_label("Normal", exact=True).check()
    phone.click("button:has-text('Save')")
    expect(phone).to_have_url(re.compile(r"/history/"))
    episode = get_user_model().objects.get(username="fay").episodes.get()
    assert f"{episode.started_at:%Y-%m-%d %H:%M}" == utc  # stored in UTC
