"""config/handlers.py: an API call with a key skips the page-only middleware, and keeps
every header and behaviour the full stack gives it."""

import io
import json
import uuid

import pytest

from accounts import tokens
from config.handlers import is_keyed_api_call
from config.wsgi import application
from tests.wsgi import keep_the_test_connection  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("keep_the_test_connection")


def call(path: str, *, method="GET", key: str | None = None, body: dict | None = None):
    payload = json.dumps(body).encode() if body is not None else b""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(payload),
        "CONTENT_LENGTH": str(len(payload)),
        "CONTENT_TYPE": "application/json",
    }
    if key:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


@pytest.mark.parametrize(
    ("path", "authorization", "keyed"),
    [
        ("/api/v1/episodes/", "Bearer abc", True),
        ("/api/v1/episodes/batch/", "token abc", True),
        ("/api/v1/episodes/", "Basic abc", False),
        ("/api/v1/episodes/", "", False),
        ("/api/v1/auth/token/", "Bearer abc", False),  # the lockout answers for log-in
        ("/history/", "Bearer abc", False),
    ],
)
def test_only_api_calls_with_a_key_take_the_short_way(path, authorization, keyed):
    environ = {"PATH_INFO": path, "HTTP_AUTHORIZATION": authorization}
    assert is_keyed_api_call(environ) is keyed


def test_a_keyed_create_is_saved_and_answered_with_every_usual_header(alice):
    key = tokens.issue(user=alice)[1]
    sent = {
        "id": str(uuid.uuid4()),
        "started_at": "2026-11-20T22:15:00+01:00",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 4,
        "activity": "resting",
        "hydration": "normal",
    }
    answer = call("/api/v1/episodes/", method="POST", key=key, body=sent)
    assert answer["status"] == 201, answer["body"]
    assert json.loads(answer["body"])["started_at"] == "2026-11-20T22:15:00+01:00"
    headers = answer["headers"]
    assert "no-store" in headers["Cache-Control"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "Set-Cookie" not in headers  # no session, no CSRF cookie
    assert alice.episodes.filter(id=sent["id"]).exists()


def test_a_wrong_key_is_a_401_problem_and_saves_nothing(alice):
    answer = call("/api/v1/episodes/", method="POST", key="not-a-key", body={})
    assert answer["status"] == 401
    assert answer["headers"]["Content-Type"] == "application/problem+json"
    assert not alice.episodes.exists()


def test_the_users_time_zone_does_not_leak_into_the_next_call(alice, bob):
    call("/api/v1/episodes/", key=tokens.issue(user=alice)[1])  # Alice is in Berlin
    from django.utils import timezone

    assert timezone.get_current_timezone_name() == "UTC"
