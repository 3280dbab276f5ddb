"""Log-in lockout keyed on the real client and the account together (accounts/lockout.py)."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.lockout import client_ip

PROXY = "10.0.0.2"  # our own reverse proxy, the only peer gunicorn hears from
ATTACKER = "203.0.113.66"
ALICE_AT_HOME = "198.51.100.23"
RIGHT = {"username": "alice", "password": "alice-password-1"}
WRONG = {"username": "alice", "password": "wrong"}


@pytest.fixture(autouse=True)
def fresh_axes(db):
    cache.clear()
    AccessAttempt.objects.all().delete()


def via_proxy(client_address: str, claimed: str = "") -> dict:
    """What gunicorn sees behind one proxy that appends the address it heard from."""
    chain = f"{claimed}, {client_address}" if claimed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def log_in(client, credentials, **extra):
    return client.post("/accounts/login/", credentials, **extra)


def token(credentials, **extra):
    return APIClient().post("/api/v1/auth/token/", credentials, format="json", **extra)


# --- the client address ----------------------------------------------------------------------


def test_without_a_trusted_proxy_the_address_is_the_peer_whatever_the_header_says(rf):
    request = rf.get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=ALICE_AT_HOME)
    assert client_ip(request) == ATTACKER


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_is_what_the_proxy_appended(rf):
    request = rf.get("/", **via_proxy(ATTACKER, claimed=ALICE_AT_HOME))
    assert client_ip(request) == ATTACKER


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_address_is_second_from_the_right(rf):
    request = rf.get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{ALICE_AT_HOME}, {ATTACKER}, 10.0.0.9"
    )
    assert client_ip(request) == ATTACKER


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_request_that_skipped_the_proxy_is_keyed_on_its_own_address(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR=ATTACKER)) == ATTACKER


def test_a_spoofed_header_from_an_untrusted_peer_changes_nothing(alice):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(5):
        # A new made-up address each time must not buy more guesses...
        log_in(attacker, WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert log_in(attacker, RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    # ...nor lock out the address it claimed to be.
    assert log_in(Client(REMOTE_ADDR="192.0.2.1"), RIGHT).status_code == 302


# --- the pair (username, address) ---------------------------------------------------------


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_an_attacker_locks_only_their_own_address(alice):
    for _ in range(5):
        log_in(Client(), WRONG, **via_proxy(ATTACKER))
    assert log_in(Client(), RIGHT, **via_proxy(ATTACKER)).status_code == 429
    # Alice comes through the same proxy, from her own address, with her right password.
    assert log_in(Client(), RIGHT, **via_proxy(ALICE_AT_HOME)).status_code == 302
    # Pretending to be the attacker's victim in the header does not move the lock.
    assert log_in(Client(), RIGHT, **via_proxy(ALICE_AT_HOME, claimed=ATTACKER)).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_token_endpoint_locks_only_the_attackers_address(alice):
    for _ in range(5):
        token(WRONG, **via_proxy(ATTACKER))
    locked = token(RIGHT, **via_proxy(ATTACKER))
    assert locked.status_code == 429 and "token" not in locked.json()
    mine = token(RIGHT, **via_proxy(ALICE_AT_HOME))
    assert mine.status_code == 200 and mine.json()["token"]


def test_another_account_from_the_locked_address_is_not_locked(alice, bob):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        log_in(attacker, WRONG)
    assert log_in(attacker, {"username": "bob", "password": "bob-password-1"}).status_code == 302


# --- Retry-After ---------------------------------------------------------------------------


def test_the_locked_page_says_how_many_seconds_are_left(alice):
    start = timezone.now()
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            log_in(attacker, WRONG)
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        response = log_in(attacker, RIGHT)
    assert response.status_code == 429
    # The right password does not count as a failure, so the hour still runs from the fifth.
    assert response["Retry-After"] == str(40 * 60)
    assert "40 minutes" in response.content.decode()


def test_the_token_endpoint_answers_429_with_retry_after(alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert token(WRONG, REMOTE_ADDR=ATTACKER).status_code == 400
        fifth = token(WRONG, REMOTE_ADDR=ATTACKER)
    assert fifth.status_code == 429 and fifth["Retry-After"] == "3600"
    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        later = token(RIGHT, REMOTE_ADDR=ATTACKER)
    assert later.status_code == 429 and later["Retry-After"] == str(3600 - 90)
    assert "59 minutes" in later.json()["detail"]


def test_a_negative_proxy_count_stops_the_app_at_start():
    from tests.test_security import PRODUCTION, run_with

    result = run_with({**PRODUCTION, "DJANGO_TRUSTED_PROXY_COUNT": "-1"}, "check")
    assert result.returncode != 0 and "DJANGO_TRUSTED_PROXY_COUNT" in result.stderr
