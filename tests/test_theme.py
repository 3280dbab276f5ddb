"""Light and dark: the profile's choice, drawn by the server on <html>, and colours at WCAG AA."""

import re

import pytest
from django.conf import settings

from accounts.models import Theme

PROFILE = {"time_zone": "Europe/Berlin", "fluid_unit": "ml"}


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_a_new_person_gets_the_phones_own_light_or_dark(alice_client, alice):
    assert alice.profile.theme == Theme.SYSTEM
    response = alice_client.get("/")
    assert 'data-theme="system"' in html_tag(response)
    assert '<meta name="color-scheme" content="light dark">' in response.content.decode()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_chosen_theme_is_saved_and_every_page_is_drawn_in_it(alice_client, alice, theme):
    response = alice_client.post("/accounts/profile/", {**PROFILE, "theme": theme})
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.theme == theme
    for path in ["/", "/history/", "/trends/", "/accounts/profile/"]:
        page = alice_client.get(path)
        assert f'data-theme="{theme}"' in html_tag(page), path
        assert f'<meta name="color-scheme" content="{theme}">' in page.content.decode()


def test_the_profile_offers_the_three_choices_as_pills(alice_client):
    page = alice_client.get("/accounts/profile/").content.decode()
    for value, label in Theme.choices:
        assert f'value="{value}"' in page and label in page


def test_an_unknown_theme_is_refused_by_name_and_nothing_changes(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/", {**PROFILE, "theme": "neon", "display_name": "Al"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["theme"][0]
    alice.profile.refresh_from_db()
    assert (alice.profile.theme, alice.profile.display_name) == ("system", "")


def test_a_form_sent_without_the_theme_keeps_the_saved_one(alice_client, alice):
    alice.profile.theme = Theme.DARK
    alice.profile.save()
    assert alice_client.post("/accounts/profile/", PROFILE).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.theme == Theme.DARK


def test_pages_without_a_person_follow_the_phone(client, db):
    for path in ["/accounts/login/", "/accounts/signup/", "/emergency/"]:
        assert 'data-theme="system"' in html_tag(client.get(path)), path


def test_the_theme_is_in_the_data_download(alice_client, alice):
    alice.profile.theme = Theme.LIGHT
    alice.profile.save()
    assert alice_client.get("/accounts/profile/export.json").json()["profile"]["theme"] == "light"


# --- contrast ----------------------------------------------------------------------------


def _colours(theme: str) -> dict[str, str]:
    """The stylesheet's colour variables as one theme resolves them."""
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    found = {}
    for name, value in re.findall(r"--([\w-]+):\s*([^;]+);", root):
        pair = re.fullmatch(r"light-dark\((#\w+),\s*(#\w+)\)", value.strip())
        found[name] = (pair.group(1 if theme == "light" else 2)) if pair else value.strip()
    return found


def _luminance(colour: str) -> float:
    hex_ = colour.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    channels = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


# (text, background) as the stylesheet pairs them: body text, links, buttons, banners.
TEXT_ON = [
    ("ink", "bg"),
    ("ink", "card"),
    ("ink", "field"),
    ("muted", "bg"),
    ("muted", "card"),
    ("brand", "bg"),
    ("brand", "card"),
    ("brand", "brand-soft"),
    ("brand-ink", "brand"),
    ("bar-ink", "bar"),
    ("danger", "card"),
    ("danger", "danger-soft"),
    ("danger-ink", "danger"),
    ("ink", "danger-soft"),
    ("warn", "card"),
    ("ink", "warn-soft"),
    ("ok", "card"),
    ("ink", "ok-soft"),
]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_meets_wcag_aa_in_both_themes(theme):
    colours = _colours(theme)
    weak = {
        f"{text} on {background}": round(contrast(colours[text], colours[background]), 2)
        for text, background in TEXT_ON
        if contrast(colours[text], colours[background]) < 4.5
    }
    assert weak == {}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_field_borders_stand_out_at_three_to_one(theme):
    colours = _colours(theme)
    for background in ["bg", "card"]:
        assert contrast(colours["field-line"], colours[background]) >= 3


def test_the_dark_theme_is_really_dark():
    dark, light = _colours("dark"), _colours("light")
    assert _luminance(dark["bg"]) < 0.02 < 0.9 < _luminance(light["bg"])


def test_the_error_page_drawn_without_a_request_follows_the_phone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'data-theme="system"' in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_browsers_without_light_dark_get_exactly_the_light_colours():
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    fallback = css[css.index("@supports not (color: light-dark(") :]
    fallback = fallback[: fallback.index("}")]
    kept = dict(re.findall(r"--([\w-]+):\s*(#\w+);", fallback))
    light = _colours("light")
    assert kept == {name: light[name] for name in kept}
    assert set(kept) == {n for n, v in light.items() if v != _colours("dark")[n]}
