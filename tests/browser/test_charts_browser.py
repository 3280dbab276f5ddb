"""The Trends page's charts on a 390 px phone, light and dark: shown as wide as
tests/test_charts.py assumes (so its text is 11 px or more) and on a white card."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import EpisodeFactory
from tests.test_charts import SHOWN_PX
from tracker.models import Medication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def charted(db):
    """Ada, with 40 cramps over 12 weeks at every site and two medicines started."""
    from accounts.services import register

    user = register(username="ada", password="ada-password-123", time_zone="Europe/Berlin")
    now = datetime.now(UTC)
    sites = ["inner_thigh", "back_of_thigh", "front_of_thigh", "calf", "foot", "other"]
    for n in range(40):
        EpisodeFactory(
            user=user,
            started_at=now - timedelta(days=2 * n + 1, hours=n % 7),
            site=sites[n % 6],
            intensity=3 + n % 6,
            duration_seconds=60 + 25 * n,
            relief=["stretching"] if n % 2 else ["heat"],
            relief_helped="yes" if n % 3 else "partly",
        )
    for name, days in (("Atorvastatin 20 mg", 50), ("Furosemide", 47)):
        Medication.objects.create(
            user=user,
            name=name,
            kind="statin" if days == 50 else "diuretic",
            started_on=(now - timedelta(days=days)).date(),
        )
    return user


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_are_shown_358_px_wide_on_a_white_card(
    browser, live_server, charted, screenshot, scheme
):
    context = browser.new_context(
        viewport=PHONE, color_scheme=scheme, timezone_id="Europe/Berlin", base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "ada-password-123")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/trends/")
    images = page.locator("figure.chart img")
    expect(images).to_have_count(4)
    for n in range(4):
        image = images.nth(n)
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("i => i.naturalWidth") > 0, "the chart did not load"
        assert image.bounding_box()["width"] >= SHOWN_PX
        background = image.evaluate("i => getComputedStyle(i).backgroundColor")
        assert background == "rgb(255, 255, 255)", f"{scheme}: {background}"
    page.locator("figure.chart").first.scroll_into_view_if_needed()
    screenshot(page, f"trends-charts-{scheme}")
    page.locator("figure.chart").nth(2).scroll_into_view_if_needed()
    screenshot(page, f"trends-charts-lower-{scheme}")
    context.close()
