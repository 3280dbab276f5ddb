import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from config import settings as project_settings
from tests.factories import EpisodeFactory
from tests.test_access import ACCESS, client_for, world  # noqa: F401 - the fixture

# --- production settings --------------------------------------------------------------------


def run_with(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our interpreter, our manage.py
        [sys.executable, "manage.py", *args],
        # The browser tests' async switch is for Playwright only; a deployment never has it.
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        cwd=project_settings.BASE_DIR,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-like-secret-0123456789-abcdefghijklmnopqrstuvwxyzABCDEF",
    "DJANGO_ALLOWED_HOSTS": "cramps.example.org",
    "DJANGO_EMAIL_HOST": "mail.example.org",
}


def test_production_settings_pass_check_deploy_with_no_warning():
    result = run_with(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({**PRODUCTION, "DJANGO_SECRET_KEY": ""}, "check")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_httponly_and_samesite():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = run_with(PRODUCTION, "shell", "--no-imports", "-c", code)
    assert result.stdout.split() == ["True", "True", "True", "Lax", "True", "True"], result.stderr


# --- headers on every page ------------------------------------------------------------------

HTML_ROWS = [
    name
    for name, row in ACCESS.items()
    if row[0] == "GET"
    and not re.search(r"\.(pdf|csv|json|svg)$", row[1])
    and not row[1].startswith("/api/v1/")
]


SOURCE_HOSTS = {"www.nhs.uk", "www.msdmanuals.com", "www.mayoclinic.org", "medlineplus.gov"}


@pytest.mark.parametrize("name", HTML_ROWS)
def test_every_page_sends_a_strict_csp_and_has_nothing_inline(world, name):  # noqa: F811
    method, template, *_ = ACCESS[name]
    path = template.format(token=world["token"], **world["ids"])
    response = client_for("owner", world, api=False).get(path, follow=True)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert (
        "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    )
    assert "default-src 'self'" in csp and "http" not in csp  # no other host
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    if "<html" in html:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert "<style" not in html and not re.search(r"\sstyle=", html), "inline style"
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"
        assert not re.search(r'src="(https?:)?//', html), "a resource from another host"
        assert not re.search(r'<link[^>]*href="(https?:)?//', html), "a resource from another host"
        # Links out go only to the guidance the alerts cite, and carry no referrer.
        for anchor in re.findall(r'<a [^>]*href="(?:https?:)?//[^"]*"[^>]*>', html):
            if 'href="http://testserver/share' in anchor:
                continue
            host = re.search(r'href="(?:https?:)?//([^/"]+)', anchor).group(1)
            assert host in SOURCE_HOSTS and 'rel="noopener noreferrer"' in anchor, anchor


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/history/",
        "/accounts/profile/export.json",
        "/reports/physician.pdf",
        "/api/v1/episodes/",
        "/trends/charts/weekly.svg",
    ],
)
def test_personal_pages_and_exports_are_never_cached(world, path):  # noqa: F811
    response = client_for("owner", world, api=path.startswith("/api/")).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- sessions -------------------------------------------------------------------------------


def test_a_password_change_ends_the_users_other_sessions(alice):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        assert (
            device.post(
                "/accounts/login/", {"username": "alice", "password": "alice-password-1"}
            ).status_code
            == 302
        )
    response = laptop.post(
        "/accounts/password/",
        {
            "old_password": "alice-password-1",
            "new_password1": "brand-new-phrase-9",
            "new_password2": "brand-new-phrase-9",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/history/").status_code == 200  # the session that changed it stays
    assert phone.get("/history/")["Location"].startswith("/accounts/login/")


# --- brute force ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_axes(db):
    cache.clear()
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_five_failed_log_ins_lock_the_account_from_that_address(alice):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        assert (
            response.status_code == 200
            and "correct username and password" in response.content.decode()
        )
    fifth = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert fifth.status_code == 429 and "try again in 60 minutes" in fifth.content.decode()
    # Even the right password waits now, from that address...
    right = client.post("/accounts/login/", {"username": "alice", "password": "alice-password-1"})
    assert right.status_code == 429
    # ...but not from another one.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert (
        elsewhere.post(
            "/accounts/login/", {"username": "alice", "password": "alice-password-1"}
        ).status_code
        == 302
    )


def test_the_lock_lifts_after_an_hour(alice):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    client = Client(REMOTE_ADDR="203.0.113.8")
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        assert (
            client.post(
                "/accounts/login/", {"username": "alice", "password": "alice-password-1"}
            ).status_code
            == 429
        )
    with time_machine.travel(start + __import__("datetime").timedelta(minutes=61), tick=False):
        assert (
            client.post(
                "/accounts/login/", {"username": "alice", "password": "alice-password-1"}
            ).status_code
            == 302
        )


def test_the_token_endpoint_locks_too(alice):
    api = APIClient(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        assert (
            api.post(
                "/api/v1/auth/token/", {"username": "alice", "password": "bad"}, format="json"
            ).status_code
            == 400
        )
    locked = api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "bad"}, format="json"
    )
    assert locked.status_code == 429 and "try again in 60 minutes" in locked.json()["detail"]
    right = api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "alice-password-1"}, format="json"
    )
    assert right.status_code == 429 and "token" not in right.json()


def test_log_in_answers_the_same_for_an_unknown_and_a_known_username(alice):
    known = Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    unknown = Client().post("/accounts/login/", {"username": "nobody-here", "password": "wrong"})
    assert known.status_code == unknown.status_code == 200

    def strip(response):
        csrf_and_typed_name = (
            r'name="csrfmiddlewaretoken" value="[^"]+"|value="(alice|nobody-here)"'
        )
        return re.sub(csrf_and_typed_name, "", response.content.decode())

    assert strip(known) == strip(unknown)
    api_known = APIClient().post(
        "/api/v1/auth/token/", {"username": "alice", "password": "x"}, format="json"
    )
    api_unknown = APIClient().post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json"
    )
    assert (api_known.status_code, api_known.json()) == (
        api_unknown.status_code,
        api_unknown.json(),
    )


def test_api_sign_up_answers_the_same_for_a_taken_and_a_free_username(alice):
    # The page says a name is taken (and limits tries per address); the API's v1 contract
    # answers 201 either way.
    api = APIClient()
    body = {"password": "pass-phrase-77x"}
    taken = api.post("/api/v1/accounts/", {**body, "username": "ALICE"}, format="json")
    free = api.post("/api/v1/accounts/", {**body, "username": "yan"}, format="json")
    assert taken.status_code == free.status_code == 201
    assert set(taken.json()) == set(free.json()) == {"username"}  # no e-mail was given
    assert get_user_model().objects.filter(username__iexact="alice").count() == 1
    alice.refresh_from_db()
    assert alice.check_password("alice-password-1")  # nothing about the account changed
    refused = api.post("/api/v1/auth/token/", {**body, "username": "ALICE"}, format="json")
    assert refused.status_code == 400


def test_nothing_personal_is_logged_on_a_bad_request(alice_api, caplog):
    alice_api.post(
        "/api/v1/episodes/", {"notes": "very private words", "intensity": 99}, format="json"
    )
    assert "very private words" not in caplog.text


def test_the_share_token_never_reaches_a_query_string(alice_client, alice):
    EpisodeFactory(user=alice)
    html = alice_client.post(
        "/reports/share/", {"start": "2026-01-01", "end": "2026-01-31", "expires_in_days": "3"}
    ).content.decode()
    assert re.search(r"/share/[\w-]{40,}/", html) and not re.search(r"\?[^\"]*token", html)
    assert get_user_model().objects.count() == 1


# --- the policy built once ------------------------------------------------------------------


def _answers_of_every_kind():
    """Answers as views give them: plain, exempt, with the policy changed or replaced, with a
    nonce asked for, and the ones a debug page is."""
    from csp.decorators import csp_exempt, csp_replace, csp_update
    from django.http import HttpResponse, HttpResponseNotFound
    from django.test import RequestFactory

    plain = lambda request: HttpResponse("ok")  # noqa: E731
    with_nonce = lambda request: HttpResponse(str(request.csp_nonce))  # noqa: E731
    views = {
        "plain": plain,
        "exempt": csp_exempt()(plain),
        "updated": csp_update({"img-src": ["https://maps.example"]})(plain),
        "replaced": csp_replace({"script-src": ["https://cdn.example"]})(plain),
        "nonce": with_nonce,
        "not found": lambda request: HttpResponseNotFound("no"),
    }
    for name, view in views.items():
        yield name, RequestFactory().get("/api/v1/episodes/"), view


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("report_only", [False, True])
def test_the_policy_built_once_is_the_one_django_csp_builds_for_every_answer(
    settings, debug, report_only
):
    from csp.middleware import CSPMiddleware

    from accounts.middleware import SitePolicyCSPMiddleware

    settings.DEBUG = debug
    if report_only:  # a second policy, with a path it does not cover
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
            "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"},
            "EXCLUDE_URL_PREFIXES": ["/api/"],
        }
    headers = {}
    for middleware in (CSPMiddleware, SitePolicyCSPMiddleware):
        for name, request, view in _answers_of_every_kind():
            answer = middleware(view)(request)
            policy = {
                key: sorted(answer.get(key, "").split("; "))  # directive order is a set's
                for key in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
            }
            headers.setdefault(name, []).append(policy)
    for name, (theirs, ours) in headers.items():
        assert ours == theirs, name
    updated, plain = (headers[n][1]["Content-Security-Policy"] for n in ("updated", "plain"))
    assert "img-src 'self' data: https://maps.example" in updated
    assert "frame-ancestors 'none'" in plain and headers["exempt"][1][
        "Content-Security-Policy"
    ] == [""]
