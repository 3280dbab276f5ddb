"""The quick log offline: episodes kept on the phone and sent exactly once when the network
is back, with the service worker, IndexedDB and Debian's chromium at phone size."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "olive")
    page.fill("#id_password", "olive-password-1")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))


def outbox_size(page) -> int:
    return page.evaluate("CrampOutbox.all().then((items) => items.length)")


def log_with_timer(page, intensity: str = "5"):
    page.click("[data-timer-start]")
    page.click("[data-timer-stop]")
    page.get_by_label("Calf", exact=True).check()
    page.get_by_label("Left", exact=True).check()
    page.locator("#field-intensity").get_by_label(intensity, exact=True).check()
    page.get_by_label("Sleeping", exact=True).check()
    page.get_by_label("Normal", exact=True).check()
    page.click("button:has-text('Save')")


def controlled_by_service_worker(page):
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def without_service_worker(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server.url,
        service_workers="block",
        timezone_id="Europe/Berlin",
    )
    return context, context.new_page()


def test_fifty_cramps_logged_offline_reach_the_server_exactly_once(phone, user, screenshot):
    log_in(phone)
    controlled_by_service_worker(phone)
    screenshot(phone, "offline-0-online")
    phone.context.set_offline(True)
    for n in range(50):
        log_with_timer(phone, str(n % 11))
        expect(phone.locator("[data-outbox-status]")).to_have_text(f"{n + 1} waiting to sync.")
    phone.reload()  # offline: the quick log comes from the service worker's cache
    expect(phone.locator("[data-timer-start]")).to_be_visible()
    expect(phone.locator("[data-outbox-status]")).to_have_text("50 waiting to sync.")
    assert Episode.objects.count() == 0
    screenshot(phone, "offline-1-waiting")
    phone.context.set_offline(False)
    # The page and the service worker's background sync may each send part of the queue
    # (each counts its own); the server below holds all 50, once.
    expect(phone.locator("[data-outbox-status]")).to_have_text(
        re.compile(r"^(\d+ sent\. )?All synced\.$"), timeout=30_000
    )
    screenshot(phone, "offline-2-synced")
    assert Episode.objects.filter(user=user).count() == 50
    assert sorted(Episode.objects.values_list("intensity", flat=True)) == sorted(
        n % 11 for n in range(50)
    )
    assert outbox_size(phone) == 0


def saved_but_answer_lost(browser, live_server):
    """A cramp the server stored whose answer never reached the phone: it waits there."""
    # Without the service worker, so the test can stand between the page and the server.
    context, page = without_service_worker(browser, live_server)
    log_in(page)

    def save_then_lose_the_answer(route):
        route.fetch()  # the server stores the episode...
        route.abort("connectionreset")  # ...and the phone never hears back

    page.route("**/api/v1/episodes/batch/", save_then_lose_the_answer)
    log_with_timer(page)
    expect(page.locator("[data-outbox-status]")).to_have_text("1 waiting to sync.")
    return context, page


def test_a_create_whose_answer_is_lost_is_sent_again_and_kept_once(browser, live_server, user):
    context, page = saved_but_answer_lost(browser, live_server)
    assert Episode.objects.count() == 1
    page.unroute("**/api/v1/episodes/batch/")
    page.reload()  # sending on page load
    expect(page.locator("[data-outbox-status]")).to_have_text("1 sent. All synced.")
    assert Episode.objects.count() == 1
    assert outbox_size(page) == 0
    context.close()


def test_the_timer_survives_going_offline_and_a_reload(phone, user):
    log_in(phone)
    controlled_by_service_worker(phone)
    phone.click("[data-timer-start]")
    phone.context.set_offline(True)
    phone.wait_for_timeout(1100)
    phone.reload()
    expect(phone.locator("[data-timer-stop]")).to_be_visible()
    expect(phone.locator("[data-timer-elapsed]")).not_to_have_text("0:00")


def test_the_quick_log_opens_offline_and_other_pages_say_so(phone, user):
    log_in(phone)
    controlled_by_service_worker(phone)
    phone.context.set_offline(True)
    phone.goto("/")
    expect(phone.get_by_role("button", name="Cramp started")).to_be_visible()
    phone.goto("/trends/")
    expect(phone.get_by_role("heading", name="You are offline")).to_be_visible()


def outbox_count_in_indexeddb(page) -> int:
    """Read straight from IndexedDB: the app's own script is gone after log-out."""
    return page.evaluate("""new Promise((resolve) => {
        const r = indexedDB.open("cramp-tracker", 1);
        r.onsuccess = () => {
            const q = r.result.transaction("outbox").objectStore("outbox").count();
            q.onsuccess = () => resolve(q.result);
        };
    })""")


def cramp_waiting_with_the_server_out_of_reach(browser, live_server):
    # No service worker here: it would send the cramp as soon as the network is back.
    context, page = without_service_worker(browser, live_server)
    log_in(page)
    context.set_offline(True)
    log_with_timer(page)
    expect(page.locator("[data-outbox-status]")).to_have_text("1 waiting to sync.")
    page.route("**/api/v1/**", lambda route: route.abort())  # the server stays out of reach
    context.set_offline(False)
    return context, page


def test_log_out_with_a_cramp_waiting_says_so_and_can_still_lose_it(
    browser, live_server, user, screenshot
):
    context, page = cramp_waiting_with_the_server_out_of_reach(browser, live_server)
    page.click("button:has-text('Log out')")
    dialog = page.get_by_role("dialog", name="Cramps not sent yet")
    expect(dialog).to_contain_text("1 cramp has not reached the server yet")
    page.get_by_role("button", name="Send them, then log out").click()
    expect(dialog.get_by_role("alert")).to_contain_text("1 cramp could not be sent")
    screenshot(page, "logout-dialog")
    page.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert outbox_size(page) == 1  # Cancel keeps it
    page.click("button:has-text('Log out')")
    page.get_by_role("button", name="Log out and lose them").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert outbox_count_in_indexeddb(page) == 0
    assert Episode.objects.count() == 0
    context.close()


def test_log_out_can_send_the_waiting_cramps_first(browser, live_server, user):
    context, page = cramp_waiting_with_the_server_out_of_reach(browser, live_server)
    page.click("button:has-text('Log out')")
    page.unroute("**/api/v1/**")  # the server is back
    page.get_by_role("button", name="Send them, then log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert Episode.objects.filter(user=user).count() == 1
    assert outbox_count_in_indexeddb(page) == 0
    context.close()


def test_log_out_removes_the_cached_pages(phone, user):
    log_in(phone)
    controlled_by_service_worker(phone)
    assert phone.evaluate("caches.keys().then((k) => k.length)") == 1
    phone.click("button:has-text('Log out')")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    assert phone.evaluate("caches.keys().then((k) => k.length)") == 0
    assert not get_user_model().objects.get(username="olive").episodes.exists()
