"""The main navigation of every page (templates/base.html)."""

import re

import pytest


def nav(html: str) -> list[tuple[str, str, bool]]:
    block = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return [
        (href, text, "aria-current" in attrs)
        for href, attrs, text in re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', block)
    ]


@pytest.mark.parametrize("path", ["/", "/history/", "/trends/", "/alerts/", "/accounts/profile/"])
def test_medicines_are_in_the_navigation_of_every_page(alice_client, path):
    links = nav(alice_client.get(path).content.decode())
    assert ("/medicines/", "Medicines", False) in links
    assert [text for _, text, _ in links] == [
        "Log",
        "History",
        "Trends",
        "Alerts",
        "Medicines",
        "Profile",
    ]


def test_the_medicines_page_is_marked_as_the_current_one(alice_client):
    links = nav(alice_client.get("/medicines/").content.decode())
    assert [text for _, text, current in links if current] == ["Medicines"]


def test_no_navigation_without_a_person(client, db):
    assert '<nav aria-label="Main">' not in client.get("/accounts/login/").content.decode()
