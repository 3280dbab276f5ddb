"""axe-core on every page at phone size, keyboard use, touch targets and 200% zoom."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Medication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/episodes/new/",
    "/history/",
    "/trends/",
    "/alerts/",
    "/alerts/settings/",
    "/medicines/",
    "/reports/share/",
    "/accounts/profile/",
    "/accounts/password/",
    "/accounts/profile/delete/",
    "/accounts/profile/activity/",
    "/emergency/",
    "/offline/",
]
ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/MQ/made-up/",
    "/accounts/password/reset/done/",
    "/emergency/",
]


@pytest.fixture
def signed_in(phone):
    from accounts.services import register

    user = register(username="ada", password="ada-password-123", time_zone="Europe/Berlin")
    EpisodeFactory(user=user, symptoms=["swelling"], notes="night")
    EpisodeFactory(user=user, relief=["stretching"], relief_helped="yes")
    Medication.objects.create(
        user=user, name="Atorvastatin", kind="statin", started_on=date(2026, 1, 1)
    )
    alerts.evaluate(user=user)
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "ada")
    phone.fill("#id_password", "ada-password-123")
    phone.click("button[type=submit]")
    expect(phone).to_have_url(re.compile(r"/$"))
    return user


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_or_critical_violation_on_any_signed_in_page(phone, signed_in, live_server):
    from django.utils import timezone

    from tracker.reports import last_days, sharing

    _, token = sharing.create_link(
        user=signed_in, period=last_days(timezone.localdate(), 30), days=3, now=timezone.now()
    )
    episode, medicine = signed_in.episodes.first(), signed_in.medications.first()
    hosts = set()
    phone.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    found = {}
    for path in PAGES + [
        f"/episodes/{episode.id}/edit/",
        f"/episodes/{episode.id}/delete/",
        f"/medicines/{medicine.id}/edit/",
        f"/medicines/{medicine.id}/delete/",
        "/accounts/password/done/",
        f"/share/{token}/",
    ]:
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        if problems := serious(phone):
            found[path] = problems
    # No request to any other host, from any page (charts, scripts, styles included).
    assert hosts == {live_server.url.split("/")[2]}
    phone.goto("/")
    phone.click("[data-timer-start]")
    phone.click("[data-timer-stop]")  # the form as it opens after a timed cramp
    if problems := serious(phone):
        found["/ (form open)"] = problems
    assert found == {}


def test_no_serious_or_critical_violation_on_public_pages(phone):
    found = {path: serious(phone) for path in ANONYMOUS_PAGES if not phone.goto(path) or True}
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_a_cramp_can_be_logged_by_keyboard_alone(phone, signed_in):
    phone.keyboard.press("Tab")  # skip link
    for _ in range(30):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.matches('[data-timer-start]')"):
            break
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-timer-stop]")).to_be_focused()
    phone.keyboard.press("Enter")
    # Focus lands in "Where"; arrow keys choose within a group, Tab moves to the next.
    expect(phone.locator("input[name=site]:checked")).to_be_focused()
    for name in ["side", "intensity", "activity", "hydration"]:
        phone.keyboard.press("Tab")
        phone.keyboard.press("Space")
        expect(phone.locator(f"input[name={name}]:checked")).to_have_count(1)
    phone.locator("button:has-text('Save')").focus()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"/history/"))
    assert signed_in.episodes.count() == 3


def test_focus_is_visible(phone, signed_in):
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_touch_targets_are_at_least_44_px(phone, signed_in):
    phone.click("[data-timer-start]")
    phone.click("[data-timer-stop]")
    phone.click("summary")
    small = phone.evaluate("""() => [...document.querySelectorAll(
        'button, .chips label, nav a, summary, input[type=text], input[type=number], select, '
        + '.check label'
      )].filter((el) => el.offsetParent !== null)
       .map((el) => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
       .filter(([, r]) => r.height < 44 || r.width < 44)
       .map(([text, r]) => `${text}: ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert small == []


def test_the_quick_log_works_at_200_percent_zoom(browser, live_server, signed_in):
    # 200% zoom on a 390 px phone leaves 195 CSS pixels: nothing may need sideways scrolling.
    context = browser.new_context(viewport={"width": 195, "height": 422}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "ada-password-123")
    page.click("button[type=submit]")
    for path in ["/", "/history/", "/episodes/new/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 196, path
    page.goto("/")
    page.click("[data-timer-start]")
    page.click("[data-timer-stop]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 196
    context.close()
