import os

import pytest
from rest_framework.test import APIClient

from accounts import tokens
from accounts.services import register


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is right for real passwords and far too slow for hundreds of test log-ins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # A file, not shared-cache memory: the browser tests' concurrent writers then meet
        # WAL and the busy timeout as in production, instead of "database table is locked".
        # CRAMP_TEST_DB lets a second run on the same checkout use its own file.
        default = settings.BASE_DIR / ".test-db.sqlite3"
        database.setdefault("TEST", {})["NAME"] = os.environ.get("CRAMP_TEST_DB", str(default))


@pytest.fixture
def alice(db):
    """Alice owns the data in most tests."""
    return register(username="alice", password="alice-password-1", time_zone="Europe/Berlin")


@pytest.fixture
def bob(db):
    """Bob is another user: he must never see or change anything of Alice's."""
    return register(username="bob", password="bob-password-1")


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user=user)[1]}")
    return client


@pytest.fixture
def alice_api(alice):
    return _token_client(alice)


@pytest.fixture
def bob_api(bob):
    return _token_client(bob)


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):
    from django.test import Client

    other = Client()
    other.force_login(bob)
    return other
