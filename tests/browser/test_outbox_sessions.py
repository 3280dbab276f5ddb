"""The outbox across the end of a session and deletes on another device: a waiting cramp
is sent once the person logs in again, never lost to a log-in redirect, and never brought
back after it was deleted. Debian's chromium at phone size."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import UserSession
from tests.browser.test_offline import (
    controlled_by_service_worker,
    log_in,
    log_with_timer,
    outbox_size,
    saved_but_answer_lost,
)
from tests.factories import EpisodeFactory
from tracker import alerts, logbook
from tracker.models import Alert, Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def end_every_session():
    """What an expired session looks like to the server."""
    UserSession.objects.all().delete()


def log_in_again(page):
    page.get_by_role("link", name="Log in again").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "olive")
    page.fill("#id_password", "olive-password-1")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))


def test_cramps_saved_offline_reach_the_server_once_after_the_session_expired(phone, user):
    log_in(phone)
    controlled_by_service_worker(phone)
    phone.context.set_offline(True)
    log_with_timer(phone, "3")
    log_with_timer(phone, "8")
    status = phone.locator("[data-outbox-status]")
    expect(status).to_have_text("2 waiting to sync.")
    end_every_session()
    phone.context.set_offline(False)
    expect(status).to_contain_text("Your session has ended: 2 kept on this phone")
    assert Episode.objects.count() == 0
    log_in_again(phone)
    expect(status).to_have_text("2 sent. All synced.")
    assert sorted(user.episodes.values_list("intensity", flat=True)) == [3, 8]
    phone.reload()  # nothing is sent a second time
    expect(status).to_be_hidden()
    assert Episode.objects.count() == 2 and outbox_size(phone) == 0


def test_save_after_the_session_ended_keeps_the_cramp_and_asks_to_log_in(phone, user, screenshot):
    log_in(phone)
    end_every_session()  # the page stays open
    log_with_timer(phone, "6")
    status = phone.locator("[data-outbox-status]")
    expect(status).to_contain_text("Your session has ended: 1 kept on this phone")
    expect(phone).to_have_url(re.compile(r"/$"))  # no plain form post to the log-in page
    expect(status.get_by_role("link", name="Log in again")).to_be_visible()
    screenshot(phone, "quick-log-log-in-again")
    assert Episode.objects.count() == 0 and outbox_size(phone) == 1
    log_in_again(phone)
    expect(status).to_have_text("1 sent. All synced.")
    assert list(user.episodes.values_list("intensity", flat=True)) == [6]


def test_a_cramp_deleted_while_its_resend_waits_is_not_recreated(browser, live_server, user):
    context, page = saved_but_answer_lost(browser, live_server)
    logbook.delete_episode(episode=Episode.objects.get())  # deleted on another device
    page.unroute("**/api/v1/episodes/batch/")
    page.reload()  # sending on page load
    expect(page.locator("[data-outbox-status]")).to_have_text(
        "1 deleted on another device, so not sent again."
    )
    assert Episode.objects.count() == 0 and outbox_size(page) == 0
    context.close()


def test_the_service_worker_never_keeps_a_page_sent_no_store(phone, user):
    log_in(phone)
    EpisodeFactory(user=user, symptoms=["swelling"])  # a warning sign: an alert banner
    alerts.evaluate(user=user)
    assert Alert.objects.filter(user=user).exists()
    controlled_by_service_worker(phone)
    phone.goto("/history/")
    phone.goto("/")
    expect(phone.locator(".alert-banner")).to_be_visible()
    kept = phone.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const response = await cache.match(request);
                out.push([new URL(request.url).pathname, response.headers.get("Cache-Control")]);
            }
        }
        return out;
    }""")
    assert not [path for path, header in kept if "no-store" in (header or "")]
    assert "/" not in dict(kept)
    assert "/offline/quick-log/" in dict(kept)
    phone.context.set_offline(True)
    phone.reload()  # the quick log still opens, from the copy without the alert
    expect(phone.get_by_role("button", name="Cramp started")).to_be_visible()
    expect(phone.locator(".alert-banner")).to_have_count(0)


def test_a_cramp_the_server_refuses_comes_back_with_its_field_errors_not_lost(phone, user):
    log_in(phone)
    phone.click("[data-timer-start]")
    phone.click("[data-timer-stop]")
    phone.get_by_label("Calf", exact=True).check()
    phone.locator("#field-intensity").get_by_label("7", exact=True).check()
    phone.click("button:has-text('Save')")  # no side, no activity, no hydration
    expect(phone.locator(".error-summary")).to_be_visible()
    expect(phone.locator("#field-side")).to_contain_text("This field is required")
    expect(phone.get_by_label("Calf", exact=True)).to_be_checked()  # what was typed stays
    assert outbox_size(phone) == 0  # nothing left behind to be sent later
    assert Episode.objects.count() == 0


def log_in_as_someone_else(page):
    from accounts.services import register

    register(username="pat", password="pat-password-12", time_zone="Europe/Berlin")
    page.goto("/accounts/login/")
    page.fill("#id_username", "pat")
    page.fill("#id_password", "pat-password-12")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))


def settled(page):
    """Waits for the page's own send to finish (sends queue one after another): its answer
    may set a CSRF cookie, which must not land after the next page's log-in form."""
    page.evaluate("CrampOutbox.flush()")


def test_cramps_waiting_for_one_person_never_reach_the_next_who_logs_in(phone, user):
    log_in(phone)
    controlled_by_service_worker(phone)
    phone.context.set_offline(True)
    log_with_timer(phone, "8")  # Olive's, waiting on the phone
    phone.get_by_role("button", name="Cramp started").click()  # and a timer running
    end_every_session()  # "Log out everywhere" from another device
    phone.context.clear_cookies()
    phone.context.set_offline(False)
    settled(phone)
    log_in_as_someone_else(phone)
    expect(phone.locator("[data-timer-stop]")).to_be_hidden()  # Olive's timer is not Pat's
    phone.reload()  # another page load sends what is waiting: Pat's, none
    expect(phone.locator("[data-timer-stop]")).to_be_hidden()
    settled(phone)
    assert Episode.objects.count() == 0 and outbox_size(phone) == 1  # still Olive's
    end_every_session()
    phone.context.clear_cookies()
    log_in(phone)  # Olive again: hers goes now
    expect(phone.locator("[data-outbox-status]")).to_have_text("1 sent. All synced.")
    assert list(user.episodes.values_list("intensity", flat=True)) == [8]
