"""The share-link page on a phone: Copy, the share sheet where the phone has one, the QR code."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium on Linux has no share sheet: this stands in for a phone's, and notes what it got.
FAKE_SHARE_SHEET = """
  window.shared = [];
  navigator.share = (data) => { window.shared.push(data); return Promise.resolve(); };
"""


def phone_with(browser, live_server, user, *, share_sheet: bool):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    if share_sheet:
        context.add_init_script(FAKE_SHARE_SHEET)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "olive-password-1")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/reports/share/")
    page.click("button:has-text('Make a link')")
    return page


def new_link(page) -> str:
    return page.locator("[data-share-link] a").get_attribute("href")


def test_copy_puts_the_new_link_on_the_clipboard(browser, live_server, user, screenshot):
    page = phone_with(browser, live_server, user, share_sheet=False)
    page.click("button:has-text('Copy link')")
    expect(page.locator("[data-share-status]")).to_have_text(re.compile("^Link copied"))
    assert page.evaluate("navigator.clipboard.readText()") == new_link(page)
    assert re.fullmatch(rf"{live_server.url}/share/[\w-]{{43}}/", new_link(page))
    # No share sheet on this browser: no button that would do nothing.
    expect(page.locator("[data-share]")).to_be_hidden()
    qr = page.locator("img[alt='QR code of the new link']")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the SVG drew
    screenshot(page, "share-link-new", full_page=True)
    page.context.close()


def test_share_hands_the_link_to_the_phones_share_sheet(browser, live_server, user):
    page = phone_with(browser, live_server, user, share_sheet=True)
    page.click("button:has-text('Share')")
    assert page.evaluate("window.shared") == [{"title": "My cramp report", "url": new_link(page)}]
    page.context.close()
