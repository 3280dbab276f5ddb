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

    phone.get_by_role("button", name="Cramp started").click()  # tap 1
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
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "quick-log-form")  # as the phone shows it: Save stays in view
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


# --- issue 14: two taps for a repeat cramp, and a timer that forgives ----------------------


def person_with_a_cramp_on_record(username="rae"):
    """Someone whose last cramp was the back of the right thigh, 7/10, asleep, little to drink."""
    from accounts.services import register
    from tests.factories import EpisodeFactory

    person = register(username=username, password="rae-password-123", time_zone="Europe/Berlin")
    EpisodeFactory(
        user=person,
        site="back_of_thigh",
        side="right",
        intensity=7,
        activity="sleeping",
        hydration="low",
    )
    return person


def log_in(page, username="rae"):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-password-123")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))


def newest(person):
    return person.episodes.order_by("-created_at").first()


def test_a_repeat_cramp_is_saved_in_two_taps_and_undone_with_undo(phone, screenshot):
    from tracker.models import DeletedEpisode

    rae = person_with_a_cramp_on_record()
    log_in(phone)
    screenshot(phone, "quick-log-repeat-before")
    phone.get_by_role("button", name="Cramp started").click()  # tap 1
    phone.click("text=It stopped")  # tap 2: saved at once
    saved = phone.locator("[data-saved]")
    expect(saved).to_contain_text("Saved: Back of thigh (hamstrings), right, pain 7/10.")
    expect(phone.get_by_role("heading", name="Change anything?")).to_be_visible()
    expect(phone.get_by_label("Back of thigh (hamstrings)", exact=True)).to_be_checked()
    expect(phone.get_by_role("button", name="Save changes")).to_be_in_viewport()
    screenshot(phone, "quick-log-repeat-saved")
    assert rae.episodes.count() == 2
    episode = newest(rae)
    assert (episode.site, episode.side, episode.intensity, episode.activity, episode.hydration) == (
        "back_of_thigh",
        "right",
        7,
        "sleeping",
        "low",
    )
    assert 1 <= episode.duration_seconds <= 30

    phone.get_by_role("button", name="Undo").click()
    expect(saved).to_contain_text("Undone")
    expect(phone.get_by_role("button", name="Cramp started")).to_be_visible()
    assert rae.episodes.count() == 1
    # The delete every page uses: the id is remembered, so no resend brings it back.
    assert DeletedEpisode.objects.filter(episode_id=episode.id, user=rae).exists()


def test_undo_is_offered_for_ten_seconds(phone):
    person_with_a_cramp_on_record()
    phone.clock.install()
    log_in(phone)
    phone.get_by_role("button", name="Cramp started").click()
    phone.click("text=It stopped")
    undo = phone.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    phone.clock.fast_forward(9_000)
    expect(undo).to_be_visible()
    phone.clock.fast_forward(1_500)
    expect(undo).to_be_hidden()
    expect(phone.locator("[data-saved]")).to_contain_text("Saved")


def test_the_saved_cramps_details_stay_open_for_changes(phone):
    rae = person_with_a_cramp_on_record()
    log_in(phone)
    phone.get_by_role("button", name="Cramp started").click()
    phone.click("text=It stopped")
    expect(phone.locator("[data-saved]")).to_contain_text("Saved")
    phone.get_by_label("Left", exact=True).check()
    phone.locator("#field-intensity").get_by_label("4", exact=True).check()
    phone.get_by_role("button", name="Save changes").click()
    expect(phone).to_have_url(re.compile(r"/history/"))
    expect(phone.locator(".messages")).to_contain_text("Changes saved")
    assert rae.episodes.count() == 2  # changed, not saved twice
    assert (newest(rae).side, newest(rae).intensity) == ("left", 4)


def test_a_first_cramp_takes_start_it_stopped_site_side_and_save(phone):
    person = get_user_model().objects.create_user("ida", password="ida-password-123")
    log_in(phone, "ida")
    taps = [
        phone.get_by_role("button", name="Cramp started"),
        phone.get_by_role("button", name="It stopped"),
        phone.get_by_label("Calf", exact=True),
        phone.get_by_label("Left", exact=True),
        phone.get_by_role("button", name="Save", exact=True),
    ]
    for tap in taps:
        tap.click()
    expect(phone).to_have_url(re.compile(r"/history/"))
    episode = person.episodes.get()
    # Pain starts at 5, what you were doing at "resting" and fluids at "normal": in view
    # and changeable, so the first cramp costs no more taps than the choices it must ask.
    assert (episode.site, episode.side, episode.intensity) == ("calf", "left", 5)
    assert (episode.activity, episode.hydration) == ("resting", "normal")


def test_save_is_on_screen_without_scrolling_on_every_episode_form(phone, screenshot):
    from datetime import date

    from tracker.models import Medication

    rae = person_with_a_cramp_on_record()
    medicine = Medication.objects.create(
        user=rae, name="Atorvastatin", kind="statin", started_on=date(2026, 1, 1)
    )
    log_in(phone)
    phone.goto("/episodes/new/")
    expect(phone.get_by_role("button", name="Save", exact=True)).to_be_in_viewport()
    screenshot(phone, "log-past-sticky-save")
    phone.goto(f"/episodes/{rae.episodes.get().id}/edit/")
    expect(phone.get_by_role("button", name="Save changes")).to_be_in_viewport()
    screenshot(phone, "edit-sticky-save")
    phone.goto(f"/medicines/{medicine.id}/edit/")
    expect(phone.get_by_role("button", name="Save changes")).to_be_in_viewport()
    rae.episodes.all().delete()  # a first cramp: the whole form opens after It stopped
    phone.goto("/")
    phone.get_by_role("button", name="Cramp started").click()
    phone.click("text=It stopped")
    expect(phone.get_by_role("button", name="Save", exact=True)).to_be_in_viewport()
    phone.get_by_role("group", name="Any of these?").scroll_into_view_if_needed()
    expect(phone.get_by_role("button", name="Save", exact=True)).to_be_in_viewport()


def test_a_stopped_timer_can_be_discarded(phone):
    person = get_user_model().objects.create_user("ida", password="ida-password-123")
    log_in(phone, "ida")
    phone.get_by_role("button", name="Cramp started").click()
    phone.click("text=It stopped")
    expect(phone.locator("[data-when-summary]")).to_contain_text("lasted 0:0")
    phone.get_by_role("button", name="Discard").click()
    expect(phone.get_by_role("button", name="Cramp started")).to_be_visible()
    expect(phone.locator("[data-log-form]")).to_be_hidden()
    phone.reload()  # gone for good, not back after a reload
    expect(phone.get_by_role("button", name="Cramp started")).to_be_visible()
    assert phone.evaluate("localStorage.getItem('cramp.timer')") is None
    assert not person.episodes.exists()


def test_a_late_start_is_moved_back_and_the_summary_gives_the_date(phone):
    person = get_user_model().objects.create_user("ida", password="ida-password-123")
    log_in(phone, "ida")
    phone.get_by_role("button", name="Cramp started").click()
    phone.get_by_role("button", name="5 min").click()  # "it started about 5 minutes ago"
    expect(phone.locator("[data-timer-elapsed]")).to_have_text(re.compile(r"^5:0\d$"))
    phone.click("text=It stopped")
    summary = phone.locator("[data-when-summary]")
    expect(summary).to_contain_text(
        re.compile(r"Started \w{3} \d{1,2} \w{3}, \d\d:\d\d, lasted 5:0")
    )
    phone.get_by_label("Foot", exact=True).check()
    phone.get_by_label("Both", exact=True).check()
    phone.get_by_role("button", name="Save", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/history/"))
    assert 300 <= person.episodes.get().duration_seconds <= 330


def test_changing_the_start_recomputes_the_duration(phone):
    person = get_user_model().objects.create_user("ida", password="ida-password-123")
    log_in(phone, "ida")
    phone.get_by_role("button", name="Cramp started").click()
    phone.get_by_role("button", name="2 min").click()
    phone.click("text=It stopped")
    phone.get_by_role("button", name="Change").click()
    minutes = phone.locator("#id_duration_seconds_0")
    expect(minutes).to_have_value("2")
    started = phone.locator("#id_started_at").input_value()  # e.g. 2026-12-03T03:13:05
    earlier = phone.evaluate(
        """(value) => {
            const d = new Date(value + "Z");
            d.setUTCMinutes(d.getUTCMinutes() - 3);
            return d.toISOString().slice(0, 19);
        }""",
        started,
    )
    phone.fill("#id_started_at", earlier)  # it began 3 minutes before that
    expect(minutes).to_have_value("5")
    phone.get_by_label("Calf", exact=True).check()
    phone.get_by_label("Right", exact=True).check()
    phone.get_by_role("button", name="Save", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/history/"))
    assert 300 <= person.episodes.get().duration_seconds <= 310


def test_a_running_timer_shows_on_other_pages_and_leads_back_to_it(phone, screenshot):
    get_user_model().objects.create_user("ida", password="ida-password-123")
    log_in(phone, "ida")
    bar = phone.locator("[data-running-bar]")
    expect(bar).to_be_hidden()  # never on the quick log itself
    phone.get_by_role("button", name="Cramp started").click()
    phone.goto("/history/")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("Cramp running")
    screenshot(phone, "timer-bar")
    bar.click()
    expect(phone).to_have_url(re.compile(r"/$"))
    expect(phone.get_by_role("button", name="It stopped")).to_be_visible()
    phone.click("text=It stopped")
    phone.goto("/trends/")  # stopped, not saved: the bar still leads back
    expect(bar).to_contain_text("not saved yet")


def test_same_as_last_time_logs_a_past_cramp_with_one_tap_and_the_duration(phone):
    from django.utils import timezone

    rae = person_with_a_cramp_on_record()
    log_in(phone)
    phone.locator("#same-min").fill("2")
    phone.get_by_role("button", name="Same as last time").click()
    expect(phone.locator("[data-saved]")).to_contain_text("Saved: Back of thigh")
    assert rae.episodes.count() == 2
    episode = newest(rae)
    assert (episode.duration_seconds, episode.site, episode.intensity) == (120, "back_of_thigh", 7)
    ended = episode.started_at.timestamp() + episode.duration_seconds
    assert abs(ended - timezone.now().timestamp()) < 60  # it ended just now


def test_same_as_last_time_without_a_duration_saves_nothing(phone):
    rae = person_with_a_cramp_on_record()
    log_in(phone)
    phone.get_by_role("button", name="Same as last time").click()
    expect(phone.locator("[data-saved]")).to_be_hidden()
    message = phone.evaluate("document.querySelector('#same-min').validationMessage")
    assert "How long did it last?" in message
    assert rae.episodes.count() == 1


def test_a_repeat_cramp_offline_waits_on_the_phone_and_reaches_the_server_once(
    browser, live_server
):
    from tests.browser.test_offline import outbox_size, without_service_worker

    rae = person_with_a_cramp_on_record()
    context, page = without_service_worker(browser, live_server)
    log_in(page)
    context.set_offline(True)
    page.get_by_role("button", name="Cramp started").click()
    page.click("text=It stopped")
    expect(page.locator("[data-saved]")).to_contain_text("Saved on this phone")
    expect(page.locator("[data-outbox-status]")).to_have_text("1 waiting to sync.")
    page.get_by_role("button", name="Undo").click()  # not sent yet: just dropped
    expect(page.locator("[data-saved]")).to_contain_text("Undone")
    assert outbox_size(page) == 0
    page.get_by_role("button", name="Cramp started").click()
    page.click("text=It stopped")
    status = page.locator("[data-outbox-status]")
    expect(status).to_have_text("1 waiting to sync.")
    context.set_offline(False)
    expect(status).to_have_text("1 sent. All synced.")
    assert rae.episodes.count() == 2 and outbox_size(page) == 0
    context.close()


def test_every_new_state_of_the_quick_log_passes_axe(phone):
    from tests.browser.test_accessibility import serious

    rae = person_with_a_cramp_on_record()
    log_in(phone)
    found = {}
    phone.get_by_role("button", name="Cramp started").click()
    found["running, with the late-start buttons"] = serious(phone)
    phone.goto("/history/")
    expect(phone.locator("[data-running-bar]")).to_be_visible()
    found["another page with the timer bar"] = serious(phone)
    phone.goto("/")
    phone.click("text=It stopped")
    expect(phone.locator("[data-saved]")).to_contain_text("Saved")
    found["saved, with Undo and the details"] = serious(phone)
    rae.episodes.all().delete()
    phone.goto("/")
    found["idle, first cramp"] = serious(phone)
    phone.get_by_role("button", name="Cramp started").click()
    phone.click("text=It stopped")
    found["first cramp's form, with Discard"] = serious(phone)
    assert {state: problems for state, problems in found.items() if problems} == {}


def test_a_repeat_cramp_is_two_taps_on_the_offline_copy_too(phone):
    from tests.browser.test_offline import controlled_by_service_worker

    rae = person_with_a_cramp_on_record()
    log_in(phone)
    controlled_by_service_worker(phone)
    phone.context.set_offline(True)
    phone.reload()  # the copy the service worker keeps, with no last cramp in it
    phone.get_by_role("button", name="Cramp started").click()
    phone.click("text=It stopped")
    expect(phone.locator("[data-saved]")).to_contain_text(
        "Saved on this phone: Back of thigh (hamstrings), right, pain 7/10."
    )
    phone.context.set_offline(False)
    expect(phone.locator("[data-outbox-status]")).to_have_text(
        "1 sent. All synced.", timeout=15_000
    )
    assert rae.episodes.count() == 2 and newest(rae).activity == "sleeping"
    # Log-out leaves no choices behind for the next person on this phone.
    phone.click("button:has-text('Log out')")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    assert phone.evaluate("localStorage.getItem('cramp.last')") is None


def test_changes_made_offline_to_a_cramp_already_sent_are_refused_plainly(browser, live_server):
    from tests.browser.test_offline import without_service_worker

    rae = person_with_a_cramp_on_record()
    context, page = without_service_worker(browser, live_server)
    log_in(page)
    page.get_by_role("button", name="Cramp started").click()
    page.click("text=It stopped")
    expect(page.locator("[data-saved]")).to_contain_text("Saved: Back of thigh")
    context.set_offline(True)
    page.get_by_label("Left", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("[data-saved]")).to_contain_text("Changes not saved: no connection")
    expect(page).to_have_url(re.compile(r"/$"))
    assert newest(rae).side == "right" and rae.episodes.count() == 2
    context.close()
