"""Dark at night: the phone's dark mode, the profile's switch, axe-core in both themes."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Theme
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.test_accessibility import ANONYMOUS_PAGES, PAGES, serious
from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.demo import build_history
from tracker.models import Episode, Medication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
PASSWORD = "dee-password-123"


@pytest.fixture
def dee(db):
    from accounts.services import register

    return register(username="dee", password=PASSWORD, time_zone="Europe/Berlin")


def phone_in(browser, live_server, scheme: str):
    """A phone whose own setting is light or dark, signed in as Dee."""
    context = browser.new_context(
        viewport=PHONE, color_scheme=scheme, timezone_id="Europe/Berlin", base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "dee")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    return page


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def is_dark(page) -> bool:
    red, green, blue = map(int, re.findall(r"\d+", background(page))[:3])
    return (red + green + blue) / 3 < 60


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_like_this_phone_follows_the_phones_own_setting(browser, live_server, dee, scheme):
    page = phone_in(browser, live_server, scheme)
    assert page.evaluate("document.documentElement.dataset.theme") == "system"
    assert is_dark(page) == (scheme == "dark")
    page.context.close()


@pytest.mark.parametrize(("chosen", "scheme"), [("dark", "light"), ("light", "dark")])
def test_the_profiles_choice_wins_over_the_phone(browser, live_server, dee, chosen, scheme):
    page = phone_in(browser, live_server, scheme)
    page.goto("/accounts/profile/")
    page.locator(f"input[name=theme][value={chosen}]").check()
    page.click("button:has-text('Save')")
    expect(page.locator(".messages")).to_contain_text("Profile saved")
    # Drawn by the server: dark from the first paint, with no script to wait for.
    assert page.evaluate("document.documentElement.dataset.theme") == chosen
    assert is_dark(page) == (chosen == "dark")
    dee.profile.refresh_from_db()
    assert dee.profile.theme == chosen
    page.context.close()


def test_a_dark_page_is_dark_before_any_script_runs(browser, live_server, dee):
    dee.profile.theme = Theme.DARK
    dee.profile.save()
    page = phone_in(browser, live_server, "light")
    page.route("**/*.js", lambda route: route.abort())
    page.goto("/history/")
    assert is_dark(page)
    page.context.close()


def _fill(user):
    """Four months of cramps as `make demo` makes them, a statin, and one with warning signs."""
    end = timezone.now() - timedelta(hours=2)
    Episode.objects.bulk_create(build_history(user=user, end=end, days=120, per_week=3.5))
    Medication.objects.create(
        user=user, name="Atorvastatin", kind="statin", started_on=(end - timedelta(days=50)).date()
    )
    EpisodeFactory(
        user=user,
        started_at=timezone.now() - timedelta(hours=1),
        symptoms=["swelling", "redness_warmth"],
        notes="Woke me at 3am",
    )
    alerts.evaluate(user=user)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violation_on_any_page_in_either_theme(
    browser, live_server, dee, scheme
):
    _fill(dee)
    page = phone_in(browser, live_server, scheme)
    found = {}
    episode = dee.episodes.first()
    for path in PAGES + [f"/episodes/{episode.id}/edit/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert is_dark(page) == (scheme == "dark"), path
        if problems := serious(page):
            found[path] = problems
    page.goto("/reports/share/")
    page.click("button:has-text('Make a link')")
    if problems := serious(page):
        found["/reports/share/ (new link)"] = problems
    page.goto("/")
    page.click("[data-timer-start]")
    page.click("[data-timer-stop]")
    if problems := serious(page):
        found["/ (form open)"] = problems
    assert found == {}
    page.context.close()


def test_no_serious_or_critical_violation_on_public_pages_in_the_dark(browser, live_server):
    context = browser.new_context(viewport=PHONE, color_scheme="dark", base_url=live_server.url)
    page = context.new_page()
    found = {}
    for path in ANONYMOUS_PAGES:
        page.goto(path)
        assert is_dark(page), path
        if problems := serious(page):
            found[path] = problems
    assert found == {}
    context.close()


def test_dark_screenshots_of_the_quick_log_history_and_trends(browser, live_server, dee):
    _fill(dee)
    page = phone_in(browser, live_server, "dark")
    SCREENSHOTS.mkdir(exist_ok=True)
    for path, name in [("/", "dark-quick-log"), ("/history/", "dark-history")]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENSHOTS / f"{name}.png")
    page.goto("/trends/")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.querySelector('figure.chart').scrollIntoView()")
    page.screenshot(path=SCREENSHOTS / "dark-trends.png")
    # The README shows these (docs/screenshots/dark-*.png): copied only where the folder is.
    if DOCS.is_dir():
        for name in ["dark-quick-log", "dark-history", "dark-trends"]:
            shutil.copy(SCREENSHOTS / f"{name}.png", DOCS / f"{name}.png")
    assert is_dark(page)
    page.context.close()
